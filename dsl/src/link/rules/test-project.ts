/**
 * Test support for the link rules: builds a ProjectModel from in-memory files through the
 * real parse -> shape -> build stages, and runs one rule over it. Not used by the compiler.
 *
 * Fixtures must be valid up to the link stage: `buildTestProject` throws when parsing,
 * shape validation or building reports anything, so a rule test cannot pass because its
 * input was silently dropped by an earlier stage.
 */
import { buildConfig } from '../../build/build-config.js';
import { buildJourney } from '../../build/build-journey.js';
import { buildPolicy } from '../../build/build-policy.js';
import { buildTemplate } from '../../build/build-template.js';
import { codeInfo } from '../../diagnostics/codes.js';
import type { Severity } from '../../diagnostics/diagnostic.js';
import type { Problem } from '../../diagnostics/report.js';
import type { ConfigFile, FileKind, JourneyFile, PolicyFile, TemplateFile } from '../../model/ast.js';
import { parseYamlFile } from '../../parse/parse-yaml-file.js';
import { validateShape } from '../../schema/validate-shape.js';
import type { Span } from '../../source/source-file.js';
import type { LinkRule } from '../link-context.js';
import type { ManifestResult } from '../plugin-manifest.js';
import { buildSymbols, type PathKind, type ProjectModel, type UnbuiltJourney } from '../symbols.js';

/** Plugins every test project can use: three channels (email, sms, `any`) and an HTTP source. */
export const DEFAULT_MANIFESTS: Readonly<Record<string, ManifestResult>> = {
  '@herald/channel-email': {
    ok: true,
    path: '/node_modules/@herald/channel-email/herald-plugin.json',
    manifest: {
      name: '@herald/channel-email',
      kind: 'channel',
      message: 'email',
      configSchema: {
        type: 'object',
        additionalProperties: false,
        required: ['from'],
        properties: {
          from: { type: 'string', pattern: '@' },
          host: { type: 'string' },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          secure: { type: 'boolean' },
          mode: { enum: ['smtp', 'api'] },
        },
      },
    },
  },
  '@herald/channel-sms': {
    ok: true,
    path: '/node_modules/@herald/channel-sms/herald-plugin.json',
    manifest: {
      name: '@herald/channel-sms',
      kind: 'channel',
      message: 'sms',
      configSchema: { type: 'object', properties: { apiKey: { type: 'string' }, sender: { type: 'string', maxLength: 11 } } },
    },
  },
  '@herald/channel-log': {
    ok: true,
    path: '/node_modules/@herald/channel-log/herald-plugin.json',
    manifest: { name: '@herald/channel-log', kind: 'channel', message: 'any' },
  },
  '@herald/source-http': {
    ok: true,
    path: '/node_modules/@herald/source-http/herald-plugin.json',
    manifest: {
      name: '@herald/source-http',
      kind: 'source',
      configSchema: {
        type: 'object',
        required: ['baseUrl'],
        properties: { baseUrl: { type: 'string' }, timeoutMs: { type: 'integer' }, retries: { type: 'number' } },
      },
      querySchema: {
        type: 'object',
        additionalProperties: false,
        required: ['path'],
        properties: { path: { type: 'string' }, method: { enum: ['GET', 'POST'] } },
      },
    },
  },
};

/** A herald.yaml that declares everything the rule tests refer to unless they bring their own. */
export const BASE_CONFIG = `project: test
defaults:
  policy: standard
channels:
  email: { use: '@herald/channel-email', config: { from: billing@example.com } }
  sms: { use: '@herald/channel-sms' }
  log: { use: '@herald/channel-log' }
sources:
  crm:
    use: '@herald/source-http'
    config: { baseUrl: 'https://crm.example.com' }
    queries:
      customerById: { args: { id: string }, returns: { name: string, segment: string }, with: { path: /customers } }
      invoices: { returns: 'list<{id: string}>', with: { path: /invoices } }
events:
  invoice.overdue: { fields: { customerId: string, invoiceId: string } }
  invoice.paid: { fields: { invoiceId: string } }
  reminder.sent: {}
`;

export interface TestProject {
  readonly model: ProjectModel;
  readonly files: Readonly<Record<string, string>>;
}

export interface TestProjectOptions {
  /** Manifest per `use:` value; default DEFAULT_MANIFESTS. */
  readonly manifests?: Readonly<Record<string, ManifestResult>>;
  /**
   * Codes the earlier stages must report, exactly (in any order): for a fixture that
   * exercises a rule's defence against input the schema already rejects.
   */
  readonly earlierProblems?: readonly string[];
  /** What paths name on the host (ProjectModel.pathKind); default none, as a host that cannot look. */
  readonly pathKind?: (absPath: string) => PathKind;
}

function kindOf(path: string): FileKind | undefined {
  if (path === 'herald.yaml' || path.endsWith('/herald.yaml')) return 'config';
  const m = /\.(journey|template|policy)\.ya?ml$/.exec(path);
  return m ? (m[1] as FileKind) : undefined;
}

/** Build a project from `{ path: text }`; YAML files of unknown kind are ignored, other files are readable by `file:` (and the folders they are in are folders). */
export function buildTestProject(files: Readonly<Record<string, string>>, options: TestProjectOptions = {}): TestProject {
  const problems: Problem[] = [];
  const all: Record<string, string> = { ...files };
  let config: ConfigFile | undefined;
  const journeys: JourneyFile[] = [];
  const templates: TemplateFile[] = [];
  const policies: PolicyFile[] = [];
  const unbuiltJourneys: UnbuiltJourney[] = [];
  let unbuiltConfig: UnbuiltJourney | undefined;
  for (const [path, text] of Object.entries(files)) {
    const kind = kindOf(path);
    if (!kind) continue;
    const before = problems.length;
    // As the Project records it: a journey file with problems (allowed by `earlierProblems`) or without a journey.
    const built = journeys.length;
    const noteUnbuilt = () => {
      if (kind === 'journey' && (problems.length > before || journeys.length === built)) unbuiltJourneys.push({ file: path, text });
      if (kind === 'config' && !config) unbuiltConfig = { file: path, text };
    };
    const parsed = parseYamlFile(path, text);
    problems.push(...parsed.problems);
    const root = parsed.root;
    if (!root) {
      noteUnbuilt();
      continue;
    }
    problems.push(...validateShape(kind, root));
    if (root.kind !== 'map') {
      noteUnbuilt();
      continue;
    }
    switch (kind) {
      case 'config':
        config = buildConfig(path, root, problems);
        noteUnbuilt();
        break;
      case 'journey': {
        const j = buildJourney(path, root, problems);
        if (j) journeys.push(j);
        noteUnbuilt();
        break;
      }
      case 'policy': {
        const p = buildPolicy(path, root);
        if (p) policies.push(p);
        break;
      }
      case 'template': {
        const isFolder = (p: string) => Object.keys(files).some((f) => f.startsWith(`${p}/`));
        const t = buildTemplate(path, root, (p) => files[p], problems, isFolder);
        for (const inc of t.included) all[inc.path] = inc.text;
        if (t.template) templates.push(t.template);
        break;
      }
    }
  }
  const expected = [...(options.earlierProblems ?? [])].sort();
  const actual = problems.map((p) => p.code).sort();
  if (expected.join() !== actual.join()) {
    const lines = problems.map((p) => `  ${p.span.file}@${p.span.start}: ${p.code}: ${p.message}`);
    throw new Error(`earlier stages reported [${actual.join(', ')}], expected [${expected.join(', ')}]:\n${lines.join('\n')}`);
  }
  const manifests = new Map(Object.entries(options.manifests ?? DEFAULT_MANIFESTS));
  return { model: { root: '/project', config, journeys, templates, policies, unbuiltJourneys, unbuiltConfig, manifests, pathKind: options.pathKind }, files: all };
}

/** A problem in a form tests can compare: the text each span covers instead of offsets. */
export interface CheckedProblem {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  /** The source text the problem points at, and its 1-based line. */
  readonly at: string;
  readonly line: number;
  readonly hint: string | undefined;
  readonly related: readonly { readonly file: string; readonly at: string; readonly line: number; readonly message: string }[];
  readonly fix: { readonly at: string; readonly newText: string } | undefined;
}

export function textAt(files: Readonly<Record<string, string>>, span: Span): string {
  return (files[span.file] ?? '').slice(span.start, span.end);
}

export function lineAt(files: Readonly<Record<string, string>>, span: Span): number {
  return (files[span.file] ?? '').slice(0, span.start).split('\n').length;
}

export function describeProblem(files: Readonly<Record<string, string>>, p: Problem): CheckedProblem {
  return {
    code: p.code,
    severity: p.severity ?? codeInfo(p.code).severity,
    message: p.message,
    file: p.span.file,
    at: textAt(files, p.span),
    line: lineAt(files, p.span),
    hint: p.hint,
    related: (p.related ?? []).map((r) => ({ file: r.span.file, at: textAt(files, r.span), line: lineAt(files, r.span), message: r.message })),
    fix: p.fix ? { at: textAt(files, p.fix.span), newText: p.fix.newText } : undefined,
  };
}

/** Run one rule over a project built from `files` and return what it reported, in report order. */
export function checkRule(rule: LinkRule, files: Readonly<Record<string, string>>, options: TestProjectOptions = {}): CheckedProblem[] {
  const { model, files: all } = buildTestProject(files, options);
  const problems: Problem[] = [];
  rule({ model, symbols: buildSymbols(model), report: (p) => problems.push(p) });
  return problems.map((p) => describeProblem(all, p));
}
