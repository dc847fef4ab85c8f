/**
 * Code lenses of a journey test file (`*.test.yaml`): "Run tests" on its `tests:` key and
 * "Run test" on each test, which run `herald test <file>[:line]` (the client's RUN_TEST_COMMAND).
 * The line given is the test's first, which the CLI reads as that test. Read from the YAML tree,
 * so a file with mistakes still has its lenses: running it says the mistakes.
 */
import type { YEntry, YMap, YNode } from '@herald/dsl';
import type { CodeLens } from 'vscode-languageserver';
import { RUN_TEST_COMMAND } from '../shared/protocol.js';
import type { DocContext } from './doc-context.js';

export function testCodeLenses(doc: DocContext): CodeLens[] {
  if (doc.kind !== 'test') return [];
  const root = doc.tree();
  if (root?.kind !== 'map') return [];
  const key = entry(root, 'tests');
  const tests = key?.value;
  if (!key || tests?.kind !== 'seq') return [];
  const lenses: CodeLens[] = [];
  const named = tests.items.filter((t) => t.kind === 'map');
  if (named.length > 0) {
    const title = named.length === 1 ? '$(run-all) Run the test' : `$(run-all) Run ${named.length} tests`;
    lenses.push(lens(doc, key.keySpan.start, title, [doc.uri]));
  }
  for (const test of named) {
    const line = doc.lines.spanRange(test.span).start.line;
    lenses.push(lens(doc, test.span.start, `$(play) Run test${nameOf(test)}`, [doc.uri, line + 1]));
  }
  return lenses;
}

function nameOf(test: YNode): string {
  const name = test.kind === 'map' ? entry(test, 'name')?.value : undefined;
  return name?.kind === 'scalar' && typeof name.value === 'string' && name.value.length <= 40 ? ` "${name.value}"` : '';
}

function lens(doc: DocContext, offset: number, title: string, args: unknown[]): CodeLens {
  const at = doc.lines.spanRange({ start: offset, end: offset });
  return { range: at, command: { title, command: RUN_TEST_COMMAND, arguments: args } };
}

/** The last entry of the key, as the compiler reads a duplicate key. */
function entry(map: YMap, key: string): YEntry | undefined {
  return map.entries.findLast((e) => e.key === key);
}
