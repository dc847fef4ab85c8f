/**
 * Test support: compile an in-memory Herald project with the real compiler and return its
 * IR. Plugin manifests come from this repository's `plugins/` (through the workspace's
 * node_modules links), so tests use the real `@herald/channel-email`, `@herald/channel-log`
 * and `@herald/source-file` manifests. Not used by the runtime itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, type GraphIR } from '@herald/dsl';

/** The repository root: runtime/src/engine (or runtime/dist/engine) is three levels down. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A herald.yaml with an email channel, two log channels (sms, letter), a file source and a few events. */
export const TEST_CONFIG = `project: test
defaults:
  locale: en
  timezone: Europe/Berlin
  policy: standard
channels:
  email: { use: "@herald/channel-email", config: { from: "billing@example.com" } }
  sms: { use: "@herald/channel-log" }
  letter: { use: "@herald/channel-log" }
sources:
  crm:
    use: "@herald/source-file"
    config: { path: data/crm.json }
    queries:
      customerById:
        args: { id: string }
        with: { collection: customers, key: id }
        returns: { name: string, segment: string }
events:
  order.placed: { fields: { subjectId: string, orderId: string, amount: number, at: timestamp } }
  order.paid: { fields: { subjectId: string, orderId: string } }
  item.viewed: { fields: { subjectId: string, sku: string } }
  order.flagged: { fields: { subjectId: string, orderId: string, note: string } }
`;

/** A policy and a template every test journey can send with. */
export const TEST_POLICY = `policy: standard
channels: [email, sms]
`;

export const TEST_TEMPLATE = `template: note
email:
  en: { subject: "Hello", text: "Hello {{subject.id}}" }
sms:
  en: { body: "Hello" }
`;

function readReal(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Compile `files` (project-relative path -> text). Missing `herald.yaml`, `standard` policy
 * and `note` template are filled with the defaults above. Throws with the diagnostics when
 * the project has errors, so a test never runs on a graph the compiler would reject.
 */
export function compileTestGraph(files: Readonly<Record<string, string>>): GraphIR {
  const project = new Project('/virtual/project', { readFile: readReal, pluginRoots: [REPO_ROOT] });
  const all: Record<string, string> = {
    'herald.yaml': TEST_CONFIG,
    'policies/standard.policy.yaml': TEST_POLICY,
    'templates/note.template.yaml': TEST_TEMPLATE,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) project.setFile(path, text);
  return compiled(project);
}

/** Compile a project folder of this repository (e.g. `examples/invoice-dunning`) from disk. */
export function compileRepoProject(relative: string): GraphIR {
  const root = join(REPO_ROOT, relative);
  const project = new Project(root, { readFile: readReal, pluginRoots: [REPO_ROOT] });
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    const abs = join(entry.parentPath, entry.name);
    project.setFile(projectPath(root, abs), readFileSync(abs, 'utf8'));
  }
  return compiled(project);
}

function projectPath(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

function compiled(project: Project): GraphIR {
  const { ir, diagnostics } = project.compile();
  if (!ir) {
    const lines = diagnostics.map((d) => `  ${d.file}:${d.range.start.line}:${d.range.start.column} ${d.code}: ${d.message}`);
    throw new Error(`the test project does not compile:\n${lines.join('\n')}`);
  }
  return ir;
}
