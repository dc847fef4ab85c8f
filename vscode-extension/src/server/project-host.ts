/**
 * Workspace folders -> Herald projects, each kept alive and fed every edit.
 *
 * A project is a folder with `herald.yaml`; its files are what the CLI reads (every YAML file
 * below it, skipping node_modules, .git, .herald, dist and out), with open editors' unsaved
 * text laid over the disk. Three copies of the compiler's `Project` serve three needs:
 *
 * - `workspace`: every file, never checked as a whole; per-file ASTs for navigation.
 * - `focus`: herald.yaml, every template and policy, and only the journeys one edit can
 *   affect. Checking it gives the edited file's diagnostics in milliseconds (exactly those of
 *   the whole project: see `focusJourneys`), and the scopes completion and hover need.
 * - the full check (full-check.ts), in a worker thread: the whole project, as the CLI checks
 *   it, when typing pauses; its result is what every other file shows.
 *
 * A Herald file outside every workspace folder with no herald.yaml above it belongs to no
 * project: a loose project of its folder's open files checks what its own text decides.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  classifyFile,
  fileSizeOnDisk,
  isFileOnDisk,
  isFolderOnDisk,
  isSkippedName,
  isYamlFile,
  listProjectYamlFiles,
  Project,
  readFileOrUndefined,
  type CheckResult,
  type Diagnostic,
  type GraphIR,
  type JourneyFile,
  type ProjectFile,
  type Type,
} from '@herald/dsl';
import { FocusTimings } from './focus-timings.js';
import { InlineChecker, WorkerChecker, type FullChecker, type FullCheckResponse } from './full-check.js';
import { fileLocalDiagnostics, noProjectNotice } from './loose-file.js';

export function toPosix(p: string): string {
  return p.split(sep).join('/');
}

export interface HostOptions {
  /** Searched for plugin manifests after the project's own node_modules, like the CLI's install folder. */
  readonly pluginRoots: readonly string[];
  /** The full check's worker script; undefined runs the full check on the main thread. */
  readonly workerUrl: URL | undefined;
  /** Cache files read from disk (template includes, plugin manifests); only when the client reports file changes. */
  readonly cacheReads: boolean;
  /** Quiet time after the last edit before the whole project is checked again. */
  readonly fullCheckDelayMs: number;
}

export interface CheckedInfo {
  readonly root: string;
  readonly kind: 'focus' | 'full';
  readonly file?: string;
  readonly ms: number;
  readonly diagnostics: number;
}

export interface HostListener {
  /** Diagnostics of one file from a focus check: exactly what the full check will say about it. */
  focusDiagnostics(project: HeraldProject, file: string, diagnostics: readonly Diagnostic[]): void;
  /** Every diagnostic of a project from a full check. */
  fullDiagnostics(project: HeraldProject, diagnostics: readonly Diagnostic[]): void;
  checked(info: CheckedInfo): void;
  log(message: string): void;
}

/** A journey's id as written on its `journey:` line; undefined when it is not written plainly there. */
const JOURNEY_ID_LINE = /^journey:[ \t]*(["']?)([^\s"'#]+)\1[ \t]*(?:#.*)?$/m;

/** What completion and hover know about the journey(s) a file is checked in. */
export interface FileScope {
  readonly journey: JourneyFile;
  readonly scope: Readonly<Record<string, Type>>;
}

export class HeraldProject {
  readonly workspace: Project;
  private focusProject: Project | undefined;
  private readonly focusJourneyPaths = new Set<string>();
  /** Text of every file the project holds (YAML from disk, and overlays of open editors). */
  readonly texts = new Map<string, string>();
  /** The journeys among `texts`, kept as files come and go (classifying thousands of paths per edit adds up). */
  private readonly journeySet = new Set<string>();
  /** Files whose text comes from an open editor. */
  readonly overlays = new Set<string>();
  private readonly journeyIds = new Map<string, { text: string; id: string | undefined }>();
  /** Scopes seen by the last focus check of each file (journeys: their own; templates and policies: their senders'). */
  private readonly scopes = new Map<string, readonly FileScope[]>();
  /** The last AST of each file that parsed, for completion in half-typed YAML. */
  private readonly lastParsed = new Map<string, ProjectFile>();
  /** How long focus checks of each file take: slow files are checked after a pause in typing. */
  readonly focusTimings = new FocusTimings();
  /** The last focus check: symbols for completion (templates, policies, events...). */
  lastFocus: CheckResult | undefined;
  /** Every diagnostic of the last full check, by file. */
  fullDiagnostics = new Map<string, Diagnostic[]>();
  private generation = 0;
  private fullTimer: NodeJS.Timeout | undefined;
  private fullInFlight: number | undefined;
  private fullAgain = false;

  constructor(
    readonly root: string,
    private readonly host: ProjectHost,
    /**
     * Holds only the open Herald files of a folder with no herald.yaml, outside every workspace
     * folder (loose-file.ts): checked on their own, never as a project.
     */
    readonly loose = false,
  ) {
    this.workspace = new Project(root, host.compilerHost);
  }

  /** Reads files the way the compiler does (template includes, plugin manifests). */
  get workspaceRead(): (absPath: string) => string | undefined {
    return this.host.compilerHost.readFile;
  }

  get pluginRoots(): readonly string[] {
    return this.host.options.pluginRoots;
  }

  /** Read the project's files from disk, as the CLI lists them. */
  load(): void {
    for (const rel of listProjectYamlFiles(this.root)) {
      if (this.overlays.has(rel)) continue;
      const text = readFileOrUndefined(join(this.root, rel));
      if (text !== undefined) this.setText(rel, text);
    }
  }

  relative(absPath: string): string {
    return toPosix(relative(this.root, absPath));
  }

  contains(absPath: string): boolean {
    const rel = relative(this.root, absPath);
    return rel !== '' && !rel.startsWith('..') && !/^[a-zA-Z]:/.test(rel);
  }

  /** Would the CLI read this file as part of the project? */
  isProjectYaml(rel: string): boolean {
    return isYamlFile(rel) && !rel.split('/').some(isSkippedName);
  }

  setText(rel: string, text: string): void {
    if (this.texts.get(rel) === text) return;
    if (!this.texts.has(rel) && classifyFile(rel) === 'journey') this.journeySet.add(rel);
    this.texts.set(rel, text);
    this.generation++;
    this.workspace.setFile(rel, text);
    if (classifyFile(rel) !== 'journey') this.lastFocus = undefined;
    if (classifyFile(rel) !== 'journey' || this.focusJourneyPaths.has(rel)) this.focusProject?.setFile(rel, text);
    if (!this.loose) this.host.checker.send({ type: 'set', root: this.root, path: rel, text });
  }

  removeText(rel: string): void {
    if (!this.texts.has(rel)) return;
    this.texts.delete(rel);
    this.journeySet.delete(rel);
    this.generation++;
    this.workspace.removeFile(rel);
    if (classifyFile(rel) !== 'journey') this.lastFocus = undefined;
    this.focusProject?.removeFile(rel);
    this.focusJourneyPaths.delete(rel);
    this.scopes.delete(rel);
    this.lastParsed.delete(rel);
    this.focusTimings.forget(rel);
    if (!this.loose) this.host.checker.send({ type: 'remove', root: this.root, path: rel });
  }

  /** Replay every file into a fresh full checker (after the worker died). */
  replayInto(checker: FullChecker): void {
    if (this.loose) return;
    checker.send({ type: 'open', root: this.root, pluginRoots: this.host.options.pluginRoots });
    for (const [path, text] of this.texts) checker.send({ type: 'set', root: this.root, path, text });
  }

  /** A file an editor opened or changed: lay its text over the disk. */
  openOrChange(rel: string, text: string): void {
    this.overlays.add(rel);
    this.setText(rel, text);
  }

  /** An editor closed the file: back to what is on disk (or gone, for files the CLI would not read). */
  close(rel: string): void {
    this.overlays.delete(rel);
    const disk = this.loose ? undefined : readFileOrUndefined(join(this.root, rel));
    if (disk !== undefined && this.isProjectYaml(rel)) this.setText(rel, disk);
    else this.removeText(rel);
  }

  private get focus(): Project {
    if (!this.focusProject) {
      const p = new Project(this.root, this.host.compilerHost);
      for (const [path, text] of this.texts) if (classifyFile(path) !== 'journey') p.setFile(path, text);
      this.focusProject = p;
      this.focusJourneyPaths.clear();
    }
    return this.focusProject;
  }

  private journeyId(path: string, text: string): string | undefined {
    const cached = this.journeyIds.get(path);
    if (cached && cached.text === text) return cached.id;
    const id = JOURNEY_ID_LINE.exec(text)?.[2];
    this.journeyIds.set(path, { text, id });
    return id;
  }

  private idOf(path: string): string | undefined {
    const ast = this.focus.fileAst(path)?.ast;
    return ast && ast.kind !== 'config' ? ast.id.value : undefined;
  }

  private journeyPaths(): Iterable<string> {
    return this.journeySet;
  }

  /**
   * The journeys a focus check of `path` must hold so that its diagnostics are exactly those
   * of the whole project; undefined when that would be most of the project anyway.
   *
   * Every link rule and the type stage look at one journey at a time against the project's
   * symbol tables (herald.yaml, templates, policies: always in the focus project), except
   * `duplicate-id` between journeys. So a journey needs itself and the journeys that may share
   * its id (same id on the `journey:` line, or an id not written plainly there); a template
   * or policy needs every journey that may use it (its id appears in the journey's text).
   */
  private focusJourneys(path: string): Set<string> | undefined {
    const kind = classifyFile(path);
    const out = new Set<string>();
    if (kind === 'journey') {
      out.add(path);
      const id = this.idOf(path);
      if (id === undefined) return out;
      for (const j of this.journeyPaths()) {
        const other = this.journeyId(j, this.texts.get(j)!);
        if (other === undefined || other === id) out.add(j);
      }
      return out;
    }
    if (kind === 'template' || kind === 'policy') {
      const id = this.idOf(path);
      if (id === undefined) return out;
      const cfgPath = this.focus.paths().find((p) => classifyFile(p) === 'config');
      const cfgAst = cfgPath === undefined ? undefined : this.focus.fileAst(cfgPath)?.ast;
      const cfg = cfgAst?.kind === 'config' ? cfgAst : undefined;
      const isDefaultPolicy = kind === 'policy' && cfg?.defaults.policy?.value === id;
      for (const j of this.journeyPaths()) {
        const text = this.texts.get(j)!;
        if (text.includes(id) || (isDefaultPolicy && text.includes('send'))) out.add(j);
      }
      return out.size > 200 ? undefined : out;
    }
    return undefined;
  }

  /**
   * Check `path` with the focus project; returns its diagnostics, or undefined when only the
   * full check can say (herald.yaml, included files, a widely used template).
   */
  focusCheck(path: string): readonly Diagnostic[] | undefined {
    const t0 = performance.now();
    if (!this.texts.has(path)) return undefined;
    const focus = this.focus;
    if (classifyFile(path) === 'journey' && !this.focusJourneyPaths.has(path)) {
      focus.setFile(path, this.texts.get(path)!);
      this.focusJourneyPaths.add(path);
    }
    const wanted = this.focusJourneys(path);
    if (!wanted) return undefined;
    for (const j of [...this.focusJourneyPaths]) {
      if (!wanted.has(j)) {
        focus.removeFile(j);
        this.focusJourneyPaths.delete(j);
      }
    }
    for (const j of wanted) {
      if (this.focusJourneyPaths.has(j)) continue;
      focus.setFile(j, this.texts.get(j)!);
      this.focusJourneyPaths.add(j);
    }
    const result = focus.check();
    this.lastFocus = result;
    this.recordScopes(path, result);
    const compiled = focus.fileAst(path);
    if (compiled?.ast) this.lastParsed.set(path, compiled.ast);
    const own = result.diagnostics.filter((d) => d.file === path);
    const diagnostics = this.loose ? [noProjectNotice(path), ...fileLocalDiagnostics(own, compiled?.problems ?? [])] : own;
    const ms = performance.now() - t0;
    this.focusTimings.record(path, ms);
    this.host.listener.checked({ root: this.root, kind: 'focus', file: path, ms, diagnostics: diagnostics.length });
    return diagnostics;
  }

  /** Lower the focus project of a journey (itself and what it uses) to the IR; undefined while there are errors. */
  compileFocus(path: string): { ir: GraphIR | undefined; diagnostics: readonly Diagnostic[] } {
    const own = this.focusCheck(path) ?? [];
    const r = this.focus.compile();
    return { ir: r.ir, diagnostics: own };
  }

  private recordScopes(path: string, result: CheckResult): void {
    const kind = classifyFile(path);
    const byJourney = [...result.scopes].map(([journey, scope]) => ({ journey, scope }));
    if (kind === 'journey') {
      this.scopes.set(path, byJourney.filter((s) => s.journey.file === path));
      return;
    }
    const ast = result.model[kind === 'template' ? 'templates' : 'policies'].find((f) => f.file === path);
    if (!ast) return;
    const cfgPolicy = result.model.config?.defaults.policy?.value;
    const senders = byJourney.filter(({ journey }) =>
      journey.steps.some(
        (s) => s.kind === 'send' && (kind === 'template' ? s.template.value === ast.id.value : (s.policy?.value ?? cfgPolicy) === ast.id.value),
      ),
    );
    this.scopes.set(path, senders);
  }

  /**
   * Build the focus project (every template and policy compiled) while the editor is idle
   * after start-up, so the first edit of a journey does not pay for it.
   */
  warm(): void {
    if (this.focusProject) return;
    this.lastFocus = this.focus.check();
  }

  /** The scopes `path` was last checked in (run a focus check first when there are none yet). */
  scopesOf(path: string): readonly FileScope[] {
    let s = this.scopes.get(path);
    if (!s) {
      this.focusCheck(path);
      s = this.scopes.get(path) ?? [];
      this.scopes.set(path, s);
    }
    return s;
  }

  /** A file's built AST, compiled from its current text (by the focus project when it holds the file: compiled once). */
  ast(path: string): ProjectFile | undefined {
    if (this.focusProject?.hasFile(path)) return this.focusProject.fileAst(path)?.ast;
    return this.workspace.fileAst(path)?.ast;
  }

  /**
   * The file's AST from its current text, or while that does not parse (half-typed YAML) the
   * last one that did. Completion may arrive while the focus check of a slow file waits for a
   * pause in typing: building one file's AST is cheap, and the focus check reuses it.
   */
  currentAst(path: string): ProjectFile | undefined {
    const ast = this.ast(path);
    if (ast) this.lastParsed.set(path, ast);
    return ast ?? this.lastParsed.get(path);
  }

  /** Symbol tables of the last focus check (templates, policies, events, channels, sources). */
  symbols(): CheckResult['symbols'] {
    if (!this.lastFocus) this.lastFocus = this.focus.check();
    return this.lastFocus.symbols;
  }

  /** The ASTs of every file of one kind. */
  asts<K extends ProjectFile['kind']>(kind: K): Extract<ProjectFile, { kind: K }>[] {
    const out: Extract<ProjectFile, { kind: K }>[] = [];
    for (const p of this.workspace.paths()) {
      if (classifyFile(p) !== kind) continue;
      const a = this.ast(p);
      if (a?.kind === kind) out.push(a as Extract<ProjectFile, { kind: K }>);
    }
    return out;
  }

  config(): Extract<ProjectFile, { kind: 'config' }> | undefined {
    return this.asts('config')[0];
  }

  // ---------------------------------------------------------------- full check

  scheduleFullCheck(delayMs = this.host.options.fullCheckDelayMs): void {
    if (this.loose) return;
    if (this.fullTimer) clearTimeout(this.fullTimer);
    this.fullTimer = setTimeout(() => {
      this.fullTimer = undefined;
      this.startFullCheck();
    }, delayMs);
  }

  private startFullCheck(): void {
    if (this.fullInFlight !== undefined) {
      this.fullAgain = true;
      return;
    }
    this.fullInFlight = this.generation;
    this.host.checker.send({ type: 'check', root: this.root, id: this.generation });
  }

  onFullCheck(r: FullCheckResponse): void {
    this.fullInFlight = undefined;
    if (r.type === 'failed') {
      this.host.listener.log(`herald: the project check failed in ${this.root}: ${r.error}`);
    } else if (r.id === this.generation) {
      // Results for an older text are dropped: the check that follows the newer edits reports.
      const byFile = new Map<string, Diagnostic[]>();
      for (const d of r.diagnostics) {
        let list = byFile.get(d.file);
        if (!list) byFile.set(d.file, (list = []));
        list.push(d);
      }
      this.fullDiagnostics = byFile;
      this.host.listener.fullDiagnostics(this, r.diagnostics);
      this.host.listener.checked({ root: this.root, kind: 'full', ms: r.ms, diagnostics: r.diagnostics.length });
    } else {
      this.fullAgain = true;
    }
    if (this.fullAgain) {
      this.fullAgain = false;
      this.scheduleFullCheck(0);
    }
  }

  dispose(): void {
    if (this.fullTimer) clearTimeout(this.fullTimer);
    if (!this.loose) this.host.checker.send({ type: 'close', root: this.root });
  }
}

/** Folders below `dir` that hold a herald.yaml, searched to a bounded depth. */
export function findProjectRoots(dir: string, maxDepth = 8): string[] {
  const out: string[] = [];
  let budget = 20_000;
  const walk = (d: string, depth: number) => {
    if (depth > maxDepth || budget <= 0) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    budget -= names.length;
    if (names.includes('herald.yaml') || names.includes('herald.yml')) out.push(toPosix(d));
    for (const name of names) {
      if (isSkippedName(name)) continue;
      const p = join(d, name);
      try {
        if (statSync(p).isDirectory()) walk(p, depth + 1);
      } catch {
        // unreadable: skip
      }
    }
  };
  walk(resolve(dir), 0);
  return out;
}

export class ProjectHost {
  readonly projects = new Map<string, HeraldProject>();
  /** Loose files' folders (see HeraldProject.loose); apart from `projects`, so that they never claim a real project's files. */
  private readonly looseProjects = new Map<string, HeraldProject>();
  checker: FullChecker;
  private readonly readCache = new Map<string, string | undefined>();
  readonly compilerHost: {
    readFile: (p: string) => string | undefined;
    isFolder: (p: string) => boolean;
    isFile: (p: string) => boolean;
    fileSize: (p: string) => number | undefined;
    pluginRoots: readonly string[];
  };
  private workspaceFolders: string[] = [];

  constructor(
    readonly options: HostOptions,
    readonly listener: HostListener,
  ) {
    this.compilerHost = {
      readFile: options.cacheReads ? (p) => this.cachedRead(p) : readFileOrUndefined,
      isFolder: isFolderOnDisk,
      isFile: isFileOnDisk,
      fileSize: fileSizeOnDisk,
      pluginRoots: options.pluginRoots,
    };
    this.checker = this.createChecker();
  }

  private createChecker(): FullChecker {
    let checker: FullChecker;
    if (this.options.workerUrl) {
      try {
        checker = new WorkerChecker(this.options.workerUrl, (e) => this.workerFailed(e));
      } catch (e) {
        this.listener.log(`herald: no worker thread (${String(e)}); checking on the main thread`);
        checker = new InlineChecker();
      }
    } else checker = new InlineChecker();
    checker.onResponse((r) => this.projects.get(r.root)?.onFullCheck(r));
    return checker;
  }

  private workerFailed(e: Error): void {
    this.listener.log(`herald: the check worker stopped (${e.message}); checking on the main thread from now on`);
    this.checker.dispose();
    this.checker = new InlineChecker();
    this.checker.onResponse((r) => this.projects.get(r.root)?.onFullCheck(r));
    for (const p of this.projects.values()) {
      p.replayInto(this.checker);
      p.scheduleFullCheck(0);
    }
  }

  private cachedRead(path: string): string | undefined {
    if (this.readCache.has(path)) return this.readCache.get(path);
    const text = readFileOrUndefined(path);
    this.readCache.set(path, text);
    return text;
  }

  /** A file changed on disk: forget what was read of it. */
  invalidateRead(absPath: string): void {
    this.readCache.delete(toPosix(absPath));
    this.readCache.delete(absPath);
  }

  setWorkspaceFolders(folders: readonly string[]): void {
    this.workspaceFolders = folders.map((f) => toPosix(resolve(f)));
    for (const f of this.workspaceFolders) for (const root of findProjectRoots(f)) this.openProject(root);
  }

  openProject(root: string): HeraldProject {
    const key = toPosix(resolve(root));
    let p = this.projects.get(key);
    if (p) return p;
    p = new HeraldProject(key, this);
    this.projects.set(key, p);
    this.checker.send({ type: 'open', root: key, pluginRoots: this.options.pluginRoots });
    p.load();
    p.scheduleFullCheck(0);
    const warming = setTimeout(() => {
      try {
        p.warm();
      } catch (e) {
        this.listener.log(`herald: preparing ${key} failed: ${String(e)}`);
      }
    }, 50);
    warming.unref();
    return p;
  }

  /** The deepest known project holding `absPath`, if any (no disk access). */
  knownProjectFor(absPath: string): HeraldProject | undefined {
    let best: HeraldProject | undefined;
    for (const p of this.projects.values()) if (p.contains(absPath) && (!best || p.root.length > best.root.length)) best = p;
    return best;
  }

  /**
   * The project of a file: the nearest folder above it with a herald.yaml; without one, the
   * workspace folder that holds it (where the CLI would report the missing herald.yaml), or
   * outside every workspace folder, a loose project of its folder's open files.
   */
  projectFor(absPath: string): HeraldProject | undefined {
    const known = this.knownProjectFor(absPath);
    const folder = this.workspaceFolders.filter((f) => absPath.startsWith(f + '/') || absPath.startsWith(f + sep)).sort((a, b) => b.length - a.length)[0];
    let dir = dirname(absPath);
    for (;;) {
      if (known && toPosix(dir) === known.root) return known;
      if (existsSync(join(dir, 'herald.yaml')) || existsSync(join(dir, 'herald.yml'))) return this.openProject(dir);
      const parent = dirname(dir);
      if (parent === dir || (folder && toPosix(dir) === folder)) break;
      dir = parent;
    }
    if (known) return known;
    const name = absPath.split(/[\\/]/).pop() ?? '';
    if (!classifyFile(name)) return undefined;
    return folder ? this.openProject(folder) : this.openLoose(dirname(absPath));
  }

  private openLoose(dir: string): HeraldProject {
    const key = toPosix(resolve(dir));
    let p = this.looseProjects.get(key);
    if (!p) this.looseProjects.set(key, (p = new HeraldProject(key, this, true)));
    return p;
  }

  /** A loose project whose last file was closed holds nothing worth keeping. */
  dropIfEmpty(project: HeraldProject): void {
    if (project.loose && project.texts.size === 0) this.looseProjects.delete(project.root);
  }

  /** A herald.yaml appeared or disappeared: rediscover projects under the workspace folders. */
  rediscover(): void {
    for (const f of this.workspaceFolders) for (const root of findProjectRoots(f)) this.openProject(root);
  }

  readDisk(absPath: string): string | undefined {
    try {
      return readFileSync(absPath, 'utf8');
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    for (const p of this.projects.values()) p.dispose();
    this.looseProjects.clear();
    this.checker.dispose();
  }
}
