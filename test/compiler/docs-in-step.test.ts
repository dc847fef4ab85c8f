import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, classifyFile, FILE_SCHEMAS, parseYamlFile, Project } from '@herald/dsl';
import { validateShape } from '../../dsl/src/schema/validate-shape.js';
import { REPO_ROOT } from '../helpers/cli.js';

const read = (p: string) => readFileSync(join(REPO_ROOT, p), 'utf8');

/** Every key any schema defines, found through properties, items, additionalProperties and $defs. */
function schemaKeys(schema: unknown, out = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  for (const [k, v] of Object.entries((s['properties'] as Record<string, unknown>) ?? {})) {
    out.add(k);
    schemaKeys(v, out);
  }
  for (const key of ['items', 'additionalProperties', 'then', 'else']) schemaKeys(s[key], out);
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const x of (s[key] as unknown[]) ?? []) schemaKeys(x, out);
  for (const v of Object.values((s['$defs'] as Record<string, unknown>) ?? {})) schemaKeys(v, out);
  return out;
}

describe('docs stay in step with the code', () => {
  it('docs/dsl.md documents every key of every file schema', () => {
    const doc = read('docs/dsl.md');
    const missing = Object.values(FILE_SCHEMAS)
      .flatMap((s) => [...schemaKeys(s)])
      .filter((k) => !doc.includes(`\`${k}\``) && !doc.includes(`${k}:`));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every YAML example in docs/dsl.md is valid for its file kind', () => {
    const doc = read('docs/dsl.md');
    const blocks = [...doc.matchAll(/```yaml\n# file: (\S+)\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const [, file, body] of blocks) {
      const kind = classifyFile(file!);
      if (!kind || kind === 'test') throw new Error(`unknown kind for ${file}`);
      const { root, problems } = parseYamlFile(file!, body!);
      expect(problems, file).toEqual([]);
      expect(validateShape(kind, root!).map((p) => `${file}: ${p.code} ${p.message}`)).toEqual([]);
    }
  });

  it('the YAML examples of docs/dsl.md together make one project that compiles without errors or warnings', () => {
    const doc = read('docs/dsl.md');
    const blocks = [...doc.matchAll(/```yaml\n# file: (\S+)\n([\s\S]*?)```/g)].map(([, file, body]) => [file!, body!] as const);
    // What the examples refer to but the reference does not show, kept as small as possible:
    // the HTML files payment-reminder includes, and the templates of two sends whose text does not matter.
    const extra: Record<string, string> = {
      'templates/footer.html': '<p>Acme Billing</p>',
      'templates/payment-reminder.en.html': '<p>Dear {{customer.name}}, invoice {{trigger.invoiceId}} is overdue.</p>',
      'templates/payment-thanks.template.yaml': 'template: payment-thanks\nemail:\n  en: { subject: "Thank you", text: "Invoice {{trigger.invoiceId}} is paid." }\n',
      'templates/cart-single.template.yaml': 'template: cart-single\nemail:\n  en: { subject: "In your cart", text: "{{trigger.qty}} × {{trigger.sku}}" }\n',
    };
    const files = [...blocks, ...Object.entries(extra)];
    // Each example is a file of its own, and the extras add, not replace.
    expect(new Set(files.map(([f]) => f)).size).toBe(files.length);
    const root = mkdtempSync(join(tmpdir(), 'herald-docs-'));
    try {
      for (const [file, body] of files) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), body);
      }
      const readFile = (path: string): string | undefined => {
        try {
          return readFileSync(path, 'utf8');
        } catch {
          return undefined;
        }
      };
      // Plugins (`@herald/channel-email`, ...) are found in the repository's node_modules; HTML includes are read from disk.
      const project = new Project(root, { readFile, pluginRoots: [REPO_ROOT] });
      for (const [file] of files) if (classifyFile(file)) project.setFile(file, readFileSync(join(root, file), 'utf8'));
      const { ir, diagnostics } = project.compile();
      expect(diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.file}:${d.range.start.line}: ${d.code}: ${d.message}`)).toEqual([]);
      expect(ir?.journeys.map((j) => j.id)).toEqual(['digest', 'invoice-overdue', 'waits']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('docs/diagnostics.md lists exactly the codes of the registry', () => {
    const doc = read('docs/diagnostics.md');
    const documented = new Set([...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!));
    expect([...Object.keys(CODES)].filter((c) => !documented.has(c))).toEqual([]);
    expect([...documented].filter((c) => !(c in CODES))).toEqual([]);
    // Severity, stage and summary in the table are the registry's.
    for (const [, code, severity, stage, summary] of doc.matchAll(/^\| `([a-z-]+)` \| (\w+) \| (\w+) \| (.*) \|$/gm)) {
      const info = (CODES as Record<string, { severity: string; stage: string; summary: string }>)[code!]!;
      expect({ code, severity, stage, summary }).toEqual({ code, severity: info.severity, stage: info.stage, summary: info.summary });
    }
  });
});
