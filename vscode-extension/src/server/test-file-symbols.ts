/**
 * The names a journey test file (`*.test.yaml`) takes from the project, as symbol occurrences:
 * what find references, rename and go to definition see in test files. Read with the
 * compiler's test-file reader, which notes every name with its place whether or not the
 * project has it, so no graph is needed.
 *
 * A step is the step of a journey: of the one the test names beside it (`instance: { journey:
 * x, at: y }`), else of the one journey that has a step of that id. A step id several journeys
 * share, named without its journey, is left out: renaming it in one journey must not rewrite a
 * test that may mean the other.
 */
import { classifyFile, readTestFile, type ProjectReference, type TestFileReference } from '@herald/dsl';
import type { HeraldProject } from './project-host.js';
import { occurrences, type SymbolKind, type SymbolOccurrence } from './symbol-index.js';

/** The kinds of names a test file can hold. */
export const TEST_FILE_KINDS: ReadonlySet<SymbolKind> = new Set(['journey', 'step', 'template', 'channel', 'event', 'query']);

/** Per project and test file, the references read from its last text. */
const cache = new WeakMap<HeraldProject, Map<string, { readonly text: string; readonly refs: readonly TestFileReference[] }>>();

function referencesOf(project: HeraldProject, rel: string, text: string): readonly TestFileReference[] {
  let files = cache.get(project);
  if (!files) cache.set(project, (files = new Map()));
  const hit = files.get(rel);
  if (hit?.text === text) return hit.refs;
  const refs = readTestFile(rel, text).references;
  files.set(rel, { text, refs });
  return refs;
}

export function testFilesOf(project: HeraldProject): string[] {
  return [...project.texts.keys()].filter((p) => classifyFile(p) === 'test').sort();
}

/** The journey files by journey id, and by step id the journey files that have such a step. */
interface JourneyIndex {
  readonly fileOf: ReadonlyMap<string, string>;
  readonly filesWithStep: ReadonlyMap<string, readonly string[]>;
}

function journeyIndex(project: HeraldProject): JourneyIndex {
  const fileOf = new Map<string, string>();
  const filesWithStep = new Map<string, string[]>();
  for (const j of project.asts('journey')) {
    if (j.id && !fileOf.has(j.id.value)) fileOf.set(j.id.value, j.file);
    for (const s of j.steps) {
      if (!s.id) continue;
      const files = filesWithStep.get(s.id.value) ?? [];
      if (!files.includes(j.file)) files.push(j.file);
      filesWithStep.set(s.id.value, files);
    }
  }
  return { fileOf, filesWithStep };
}

function toOccurrence(ref: TestFileReference, journeys: JourneyIndex): SymbolOccurrence | undefined {
  const at = { span: ref.span, def: false } as const;
  switch (ref.kind) {
    case 'journey':
    case 'template':
    case 'channel':
    case 'event':
      return { kind: ref.kind, name: ref.name, container: '', ...at };
    case 'query': {
      const [source, query] = ref.name.split('.');
      return source && query ? { kind: 'query', name: query, container: source, ...at } : undefined;
    }
    case 'step':
    case 'send-step': {
      const file = stepFile(ref, journeys);
      return file === undefined ? undefined : { kind: 'step', name: ref.name, container: file, ...at };
    }
  }
}

function stepFile(ref: Extract<ProjectReference, { kind: 'step' | 'send-step' }>, journeys: JourneyIndex): string | undefined {
  if (ref.journey !== undefined) return journeys.fileOf.get(ref.journey);
  const files = journeys.filesWithStep.get(ref.name) ?? [];
  return files.length === 1 ? files[0] : undefined;
}

/** The occurrences in one test file of the project. */
export function testFileOccurrences(project: HeraldProject, rel: string, index: JourneyIndex = journeyIndex(project)): SymbolOccurrence[] {
  const text = project.texts.get(rel);
  if (text === undefined) return [];
  return referencesOf(project, rel, text).flatMap((r) => toOccurrence(r, index) ?? []);
}

/** The occurrences in every test file of the project. */
export function allTestFileOccurrences(project: HeraldProject): SymbolOccurrence[] {
  const index = journeyIndex(project);
  return testFilesOf(project).flatMap((rel) => testFileOccurrences(project, rel, index));
}

/** The occurrences in a file of the project: its AST's, or a test file's; undefined when it has no AST. */
export function fileOccurrences(project: HeraldProject, rel: string): SymbolOccurrence[] | undefined {
  if (classifyFile(rel) === 'test') return testFileOccurrences(project, rel);
  const ast = project.ast(rel);
  return ast ? occurrences(ast) : undefined;
}
