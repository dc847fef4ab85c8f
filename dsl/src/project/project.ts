/**
 * A Herald project held in memory: the files, and every stage's results cached so that
 * re-checking after one file changes redoes only what depends on it. The CLI uses it
 * once; the language server keeps one alive and feeds it edits.
 */
import { redactPathProblems } from '../typecheck/check-redact-paths.js';
import { posix } from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { codeInfo } from '../diagnostics/codes.js';
import { toDiagnostic, type Problem } from '../diagnostics/report.js';
import { runJourneyLinkRules, runProjectLinkRules } from '../link/rules/index.js';
import { resolvePluginManifest, type ManifestResult, type ReadAbsolute } from '../link/plugin-manifest.js';
import { buildSymbols, type PathKind, type ProjectModel, type Symbols, type UnbuiltJourney } from '../link/symbols.js';
import type { GraphIR } from '../lower/ir.js';
import { lowerProject } from '../lower/lower-project.js';
import type { ConfigFile, JourneyFile, Located, PolicyFile, TemplateFile } from '../model/ast.js';
import { SourceFile } from '../source/source-file.js';
import {
  checkJourney,
  checkPolicyAlone,
  checkPolicyInScope,
  checkTemplateAlone,
  checkTemplateInScope,
  templateProblemsOverSenders,
  type TemplateSend,
} from '../typecheck/check-sites.js';
import { JOURNEY_META_TYPE, projectSubjectType } from '../typecheck/journey-scope.js';
import type { Type } from '../types/type.js';
import { classifyFile, isYamlFile, kindFromContent, type ProjectFileKind } from './classify-file.js';
import { compileFile, type CompiledFile } from './compile-file.js';

export interface CompilerHost {
  /** Read a file by absolute path: plugin manifests, and template files not given to the project. */
  readonly readFile: ReadAbsolute;
  /** Folders whose node_modules are searched after the project's own, for bundled plugins. */
  readonly pluginRoots?: readonly string[];
  /**
   * Whether an absolute path is a folder: asked only about a template `file:` that could not be
   * read, so the message can say it names a folder. Without it, none is (the message says
   * "not found"); hosts on disk pass `isFolderOnDisk` (node-host.ts).
   */
  readonly isFolder?: (absPath: string) => boolean;
  /**
   * Whether an absolute path is a file: asked about plugin config values whose schema marks them
   * `"x-herald-file"` (`true` or `"json"`). Without it, such values are not judged (a host that
   * cannot look at its files must not call them missing); hosts on disk pass `isFileOnDisk`
   * (node-host.ts). A `"json"` file is then read through `readFile` and must parse.
   */
  readonly isFile?: (absPath: string) => boolean;
  /**
   * A file's size in bytes, asked before a `"json"` data file is read: one over the check's limit
   * is not read at all (the editor compiles on every keystroke). Without it, files are read to be
   * measured; hosts on disk pass `fileSizeOnDisk` (node-host.ts).
   */
  readonly fileSize?: (absPath: string) => number | undefined;
}


export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly model: ProjectModel;
  readonly symbols: Symbols;
  /** Scope of each journey, with inferred `set` variable types (for completion and hover). */
  readonly scopes: ReadonlyMap<JourneyFile, Readonly<Record<string, Type>>>;
}

export interface CompileResult {
  readonly ir: GraphIR | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

interface FileEntry {
  text: string;
  source: SourceFile;
  kind: ProjectFileKind | undefined;
  compiled?: CompiledFile;
}

interface JourneyMemo {
  deps: readonly unknown[];
  generation: number;
  scope: Readonly<Record<string, Type>>;
  problems: readonly Problem[];
  /** The templates it sends, checked in its scope: merged with the other senders' results (templateProblemsOverSenders). */
  sends: readonly TemplateSend[];
}

export class Project {
  private readonly entries = new Map<string, FileEntry>();
  private readonly manifests = new Map<string, ManifestResult>();
  private readonly journeyMemo = new WeakMap<JourneyFile, JourneyMemo>();
  private readonly linkMemo = new WeakMap<JourneyFile, { deps: readonly unknown[]; problems: readonly Problem[]; generation: number }>();
  /** Problems of a template checked on its own (no journey sends it), while neither it nor herald.yaml changes. */
  private readonly aloneMemo = new WeakMap<TemplateFile, { config: ConfigFile | undefined; problems: readonly Problem[] }>();
  /**
   * Bumped when anything a journey may depend on changes (herald.yaml, any template or policy,
   * the set of names). While it stays, an unchanged journey's cached results are valid without
   * looking at its dependencies: that is what keeps a one-file edit fast in a large project.
   */
  private generation = 0;
  private lastShared: readonly unknown[] = [];
  private readonly includedSources = new Map<string, SourceFile>();

  constructor(
    readonly root: string,
    private readonly host: CompilerHost,
  ) {}

  /** Add or replace a file (project-relative POSIX path). Other files (HTML included by templates) are kept as overlays. */
  setFile(path: string, text: string): void {
    const old = this.entries.get(path);
    if (old && old.text === text) return;
    this.entries.set(path, { text, source: new SourceFile(path, text), kind: classifyFile(path) });
    if (old?.kind === 'config') this.manifests.clear();
    // A template that included this file must be built again.
    for (const e of this.entries.values()) if (e.compiled?.included.some((i) => i.path === path)) delete e.compiled;
  }

  removeFile(path: string): void {
    const old = this.entries.get(path);
    this.entries.delete(path);
    if (old?.kind === 'config') this.manifests.clear();
    for (const e of this.entries.values()) if (e.compiled?.included.some((i) => i.path === path)) delete e.compiled;
  }

  hasFile(path: string): boolean {
    return this.entries.has(path);
  }

  paths(): string[] {
    return [...this.entries.keys()].sort();
  }

  sourceFile(path: string): SourceFile | undefined {
    return this.entries.get(path)?.source ?? this.includedSources.get(path);
  }

  /** The built AST of one file, if it parsed. */
  fileAst(path: string): CompiledFile | undefined {
    const e = this.entries.get(path);
    return e ? this.compiled(path, e) : undefined;
  }

  private readProjectFile = (rel: string): string | undefined => {
    const e = this.entries.get(rel);
    if (e) return e.text;
    return this.host.readFile(posix.join(this.root, rel));
  };

  /** A project-relative path that holds files given to the project, or a folder on the host. */
  private isProjectFolder = (rel: string): boolean => {
    const prefix = `${rel}/`;
    for (const p of this.entries.keys()) if (p.startsWith(prefix)) return true;
    return this.host.isFolder?.(posix.join(this.root, rel)) ?? false;
  };

  /** The project-relative path of an absolute one inside the project; undefined outside it (or the root itself). */
  private insideProject(absPath: string): string | undefined {
    const rel = posix.relative(this.root, absPath);
    return rel !== '' && rel !== '..' && !rel.startsWith('../') && !posix.isAbsolute(rel) ? rel : undefined;
  }

  /** What an absolute path names: a file given to the project is one even before it is saved. */
  private pathKind = (absPath: string): PathKind => {
    const rel = this.insideProject(absPath);
    if (rel !== undefined && this.entries.has(rel)) return 'file';
    if (this.host.isFile?.(absPath)) return 'file';
    if (rel !== undefined ? this.isProjectFolder(rel) : this.host.isFolder?.(absPath)) return 'folder';
    return 'missing';
  };

  /**
   * The text of a file by absolute path: a file given to the project is read from memory; one on
   * the host larger than `maxBytes` (when the host can tell) is not read, and is undefined.
   */
  private readAbsolute = (absPath: string, maxBytes?: number): string | undefined => {
    const rel = this.insideProject(absPath);
    const given = rel !== undefined ? this.entries.get(rel)?.text : undefined;
    if (given !== undefined) return given;
    if (maxBytes !== undefined && (this.host.fileSize?.(absPath) ?? 0) > maxBytes) return undefined;
    return this.host.readFile(absPath);
  };

  private compiled(path: string, e: FileEntry): CompiledFile | undefined {
    if (!e.kind || e.kind === 'test') return undefined;
    if (e.compiled && e.compiled.included.every((i) => this.readProjectFile(i.path) === i.text)) return e.compiled;
    e.compiled = compileFile(path, e.kind, e.text, this.readProjectFile, this.isProjectFolder);
    return e.compiled;
  }

  private manifest(use: string): ManifestResult {
    let m = this.manifests.get(use);
    if (!m) {
      m = resolvePluginManifest(use, this.root, this.host.readFile, this.host.pluginRoots);
      this.manifests.set(use, m);
    }
    return m;
  }

  check(): CheckResult {
    const problems: Problem[] = [];
    let config: ConfigFile | undefined;
    const journeys: JourneyFile[] = [];
    const templates: TemplateFile[] = [];
    const policies: PolicyFile[] = [];
    const unbuiltTemplates: Located<string>[] = [];
    const unbuiltJourneys: UnbuiltJourney[] = [];
    let configSeen = false;
    let unbuiltConfig: UnbuiltJourney | undefined;
    for (const path of this.paths()) {
      const e = this.entries.get(path)!;
      if (e.kind === 'config') configSeen = true;
      if (!e.kind && isYamlFile(path)) problems.push(unknownFileKind(path, e.text));
      const c = this.compiled(path, e);
      if (!c) continue;
      problems.push(...c.problems);
      for (const inc of c.included) if (!this.entries.has(inc.path)) this.includedSources.set(inc.path, new SourceFile(inc.path, inc.text));
      if (c.unbuiltTemplate) unbuiltTemplates.push(c.unbuiltTemplate);
      if (c.kind === 'journey' && (!c.ast || c.problems.some(isError))) unbuiltJourneys.push({ file: path, text: e.text });
      if (c.kind === 'config' && !c.ast) unbuiltConfig ??= { file: path, text: e.text };
      const ast = c.ast;
      if (!ast) continue;
      if (ast.kind === 'config') config ??= ast;
      else if (ast.kind === 'journey') journeys.push(ast);
      else if (ast.kind === 'template') templates.push(ast);
      else policies.push(ast);
    }
    const manifests = new Map<string, ManifestResult>();
    for (const d of [...(config?.channels ?? []), ...(config?.sources ?? [])]) manifests.set(d.use.value, this.manifest(d.use.value));
    const pathKind = this.host.isFile ? this.pathKind : undefined;
    const readFile = pathKind && this.readAbsolute;
    // Only when no herald.yaml built: a second one that does not build changes nothing.
    if (config) unbuiltConfig = undefined;
    const model: ProjectModel = { root: this.root, config, journeys, templates, policies, unbuiltTemplates, unbuiltJourneys, unbuiltConfig, manifests, pathKind, readFile };
    if (!configSeen) {
      problems.push({
        code: 'missing-project-file',
        message: 'this folder has no herald.yaml',
        span: { file: 'herald.yaml', start: 0, end: 0 },
        hint: 'create herald.yaml with at least `project: <name>`; run `herald validate` in the project folder',
      });
    }
    const symbols = buildSymbols(model);
    runProjectLinkRules(model, symbols, (p) => problems.push(p));
    // Names anywhere in the project: a new or removed template, policy or step can change any journey's links.
    const namesKey = [...symbols.templates.keys(), '|', ...symbols.unbuiltTemplates.keys(), '|', ...symbols.policies.keys()].join(',');
    const shared: unknown[] = [config, namesKey, ...templates, '|', ...unbuiltTemplates, '|', ...policies];
    if (shared.length !== this.lastShared.length || shared.some((x, i) => x !== this.lastShared[i])) this.generation++;
    this.lastShared = shared;
    for (const j of journeys) problems.push(...this.linkJourney(j, model, symbols, namesKey));

    const scopes = new Map<JourneyFile, Readonly<Record<string, Type>>>();
    // Without a readable herald.yaml every event, source and subject type is unknown: type
    // errors would only repeat the herald.yaml problem, so the type stage waits for it.
    const configBroken = configSeen && !config;
    const senders = new Map<TemplateFile, TemplateSend[]>();
    for (const j of configBroken ? [] : journeys) {
      const r = this.checkJourneyTypes(j, symbols, config);
      scopes.set(j, r.scope);
      problems.push(...r.problems);
      for (const s of r.sends) {
        const t = symbols.templates.get(s.send.template.value)!;
        const list = senders.get(t);
        if (list) list.push(s);
        else senders.set(t, [s]);
      }
    }
    const lineOf = (span: Problem['span']) => this.sourceFile(span.file)?.position(span.start).line ?? 1;
    for (const [t, sends] of senders) problems.push(...templateProblemsOverSenders(t, sends, lineOf));
    // Policy expressions that do not depend on a journey are checked once, used or not; a
    // template that no journey sends (so no journey's type stage checks it) on its own.
    if (!configBroken) {
      const alone = { subject: projectSubjectType(symbols, config), journey: JOURNEY_META_TYPE };
      for (const p of policies) problems.push(...checkPolicyAlone(p, alone));
      const sent = new Set<TemplateFile>();
      for (const j of journeys) {
        for (const s of j.steps) {
          const t = s.kind === 'send' ? symbols.templates.get(s.template.value) : undefined;
          if (t) sent.add(t);
        }
      }
      for (const t of templates) if (!sent.has(t)) problems.push(...this.checkTemplateAlone(t, config, alone));
      if (config?.archive) problems.push(...redactPathProblems(config.archive.redact, scopes.values(), templates));
    }

    const fileOf = (p: string) => this.sourceFile(p);
    const seen = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    for (const p of problems) {
      const d = toDiagnostic(p, fileOf);
      const key = `${d.file}:${d.range.start.offset}:${d.range.end.offset}:${d.code}:${d.message}`;
      if (seen.has(key)) continue; // a template sent from several journeys reports its problem once
      seen.add(key);
      diagnostics.push(d);
    }
    diagnostics.sort(compareDiagnostics);
    return { diagnostics, model, symbols, scopes };
  }

  /** A template that no journey sends, checked on its own; reused while neither it nor herald.yaml (the subject's type) changes. */
  private checkTemplateAlone(t: TemplateFile, config: ConfigFile | undefined, scope: Readonly<Record<string, Type>>): readonly Problem[] {
    const memo = this.aloneMemo.get(t);
    if (memo && memo.config === config) return memo.problems;
    const problems = checkTemplateAlone(t, scope);
    this.aloneMemo.set(t, { config, problems });
    return problems;
  }

  /** Journey link rules, reused while neither the journey nor what it refers to has changed. */
  private linkJourney(j: JourneyFile, model: ProjectModel, symbols: Symbols, namesKey: string): readonly Problem[] {
    const memo = this.linkMemo.get(j);
    if (memo && memo.generation === this.generation) return memo.problems;
    const deps: unknown[] = [model.config, namesKey];
    for (const s of j.steps) {
      if (s.kind !== 'send') continue;
      const template = symbols.templates.get(s.template.value) ?? symbols.unbuiltTemplates.get(s.template.value);
      deps.push(template, symbols.policies.get(s.policy?.value ?? model.config?.defaults.policy?.value ?? ''));
    }
    if (memo && memo.deps.length === deps.length && memo.deps.every((d, i) => d === deps[i])) {
      memo.generation = this.generation;
      return memo.problems;
    }
    const problems: Problem[] = [];
    runJourneyLinkRules(model, symbols, j, (p) => problems.push(p));
    this.linkMemo.set(j, { deps, problems, generation: this.generation });
    return problems;
  }

  /** Type stage for one journey, reused while neither it nor anything it uses has changed. */
  private checkJourneyTypes(j: JourneyFile, symbols: Symbols, config: ConfigFile | undefined): JourneyMemo {
    const cached = this.journeyMemo.get(j);
    if (cached && cached.generation === this.generation) return cached;
    const used: unknown[] = [config];
    for (const s of j.steps) {
      if (s.kind !== 'send') continue;
      used.push(symbols.templates.get(s.template.value));
      used.push(symbols.policies.get(s.policy?.value ?? config?.defaults.policy?.value ?? ''));
    }
    const memo = this.journeyMemo.get(j);
    if (memo && memo.deps.length === used.length && memo.deps.every((d, i) => d === used[i])) {
      memo.generation = this.generation;
      return memo;
    }
    const r = checkJourney(j, symbols, config);
    const problems = [...r.problems];
    const sends: TemplateSend[] = [];
    const checked = new Set<unknown>();
    for (const s of j.steps) {
      if (s.kind !== 'send') continue;
      const template = symbols.templates.get(s.template.value);
      if (template && !checked.has(template)) {
        checked.add(template);
        sends.push({ journey: j, send: s, problems: checkTemplateInScope(template, r.scope) });
      }
      const fromDefaults = s.policy ? undefined : config?.defaults.policy;
      const policy = symbols.policies.get(s.policy?.value ?? fromDefaults?.value ?? '');
      if (policy && !checked.has(policy)) {
        checked.add(policy);
        problems.push(...checkPolicyInScope(policy, r.scope, { journey: j, send: s, fromDefaults }));
      }
    }
    const result = { deps: used, scope: r.scope, problems, sends, generation: this.generation };
    this.journeyMemo.set(j, result);
    return result;
  }

  /**
   * `tolerate`: error codes that do not stop the graph, reported as warnings instead — what a
   * caller that does not need it knows does not matter to it (`herald test` swaps every plugin
   * for a fixture or a capture, so a plugin's data file need not be there).
   */
  compile(options: { readonly tolerate?: ReadonlySet<string> } = {}): CompileResult {
    return this.compileChecked(this.check(), options);
  }

  /** `compile` of a check the caller has made already (it needs the check's model too): the check is not made twice. */
  compileChecked(checked: CheckResult, options: { readonly tolerate?: ReadonlySet<string> } = {}): CompileResult {
    const tolerate = options.tolerate;
    const diagnostics = tolerate
      ? checked.diagnostics.map((d) => (d.severity === 'error' && tolerate.has(d.code) ? { ...d, severity: 'warning' as const } : d))
      : checked.diagnostics;
    if (diagnostics.some((d) => d.severity === 'error')) return { ir: undefined, diagnostics };
    const ir = lowerProject({ model: checked.model, symbols: checked.symbols, scopes: checked.scopes, fileOf: (p) => this.sourceFile(p) });
    return { ir, diagnostics };
  }
}

/** An error (not a warning) while reading a file: it may have kept part of the file from being built. */
function isError(p: Problem): boolean {
  return (p.severity ?? codeInfo(p.code).severity) === 'error';
}

/** `unknown-file-kind`: a YAML file Herald ignores because its name is no file kind. */
function unknownFileKind(path: string, text: string): Problem {
  const name = path.split('/').pop() ?? path;
  const kind = kindFromContent(text);
  const stem = name.replace(/\.ya?ml$/i, '');
  const hint = kind
    ? `it looks like a ${kind}: rename it \`${stem}.${kind}.yaml\``
    : 'Herald reads `herald.yaml`, `*.journey.yaml`, `*.template.yaml`, `*.policy.yaml` and `*.test.yaml` (or `.yml`); rename it, or move it out of the project';
  return {
    code: 'unknown-file-kind',
    message: `\`${name}\` is not a Herald file name, so Herald ignores it`,
    span: { file: path, start: 0, end: 0 },
    hint,
  };
}
