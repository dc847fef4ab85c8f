/**
 * `*.test.yaml` → journey tests, or problems at `file:line:col`, each with a code and a hint.
 * Parsed with the compiler's own YAML stage (duplicate keys, limits, positions), then read field
 * by field so every mistake is reported where it is, all at once; with the project, the names
 * the file takes from it (journeys, steps, templates, channels, queries, subject fields) are
 * checked too, so nothing runs on a test that could only fail, or pass, for a typo. The format
 * is documented in docs/testing.md.
 */
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { GraphIR } from '../lower/ir.js';
import { parseYamlFile } from '../parse/parse-yaml-file.js';
import { pointerToPath } from '../parse/yaml-tree.js';
import { SourceFile, type Span } from '../source/source-file.js';
import { referenceProblems, type ProjectReference } from './check-project-references.js';
import {
  DEFAULT_TEST_START,
  type CaptureOutcome,
  type ChannelOutcomes,
  type EventStep,
  type Fixture,
  type JourneyTest,
  RECEIPT_PICKS,
  type ReceiptStatus,
  type ReceiptStep,
  type StopStep,
  type SubjectInput,
  type TestFileProblem,
  type TestSubjectProblem,
  type TestStep,
} from './journey-test.js';
import { OUTCOMES, readExpectation } from './read-expectation.js';
import { keysOf } from './test-file-keys.js';
import { isObj, toJson, TestFileReader, type Path } from './test-file-reader.js';

const STEP_KINDS = keysOf('step');
export const RECEIPT_STATUSES: readonly ReceiptStatus[] = ['delivered', 'bounced', 'failed'];

// ---- setup ---------------------------------------------------------------------------------

function readSubjects(r: TestFileReader, value: unknown, path: Path): SubjectInput[] {
  const map = r.obj(value, path, 'subjects');
  if (!map) return [];
  const out: SubjectInput[] = [];
  for (const [id, profile] of Object.entries(map)) {
    const p = readSubjectProfile(r, profile, [...path, id], id);
    if (p) out.push(p);
  }
  return out;
}

function readSubjectProfile(r: TestFileReader, value: unknown, path: Path, id: string): SubjectInput | undefined {
  const profile = r.obj(value ?? {}, path, `subject ${id}`);
  if (!profile) return undefined;
  if (profile['contacts'] !== undefined) r.obj(profile['contacts'], [...path, 'contacts'], 'contacts');
  for (const f of ['channels', 'optOuts'] as const) if (profile[f] !== undefined) r.strList(profile[f], [...path, f], f);
  for (const p of r.checks.subject?.(id, profile, r.graph) ?? []) r.problem([...path, ...pointerToPath(p.pointer)], p.code, p.message, { key: p.key, hint: p.hint });
  return { ...profile, id };
}

function readFixtures(r: TestFileReader, value: unknown, path: Path): Record<string, Fixture[]> {
  const map = r.obj(value, path, 'fixtures');
  const out: Record<string, Fixture[]> = {};
  for (const [name, list] of Object.entries(map ?? {})) {
    const p = [...path, name];
    if (/^[^.]+\.[^.]+$/.test(name)) r.reference({ kind: 'query', name }, p, true);
    else r.problem(p, 'invalid-value', `fixtures are keyed by source.query (crm.customerById), got "${name}"`, { key: true });
    const items = Array.isArray(list) ? list : [list];
    out[name] = items.flatMap((item, i) => {
      const ip = Array.isArray(list) ? [...p, i] : p;
      const f = r.obj(item, ip, 'a fixture');
      if (!f) return [];
      r.keys(f, ip, keysOf('fixture'), 'a fixture');
      if (f['args'] !== undefined && r.obj(f['args'], [...ip, 'args'], 'args') !== undefined) fixtureArgs(r, name, f['args'] as Record<string, unknown>, [...ip, 'args']);
      if (f['returns'] !== undefined && r.graph !== undefined && r.checks.fixtureReturns && /^[^.]+\.[^.]+$/.test(name)) {
        // As a source's answer is checked at run time: said here, once, at the fixture.
        const [source, query] = name.split('.') as [string, string];
        const misfit = r.checks.fixtureReturns(r.graph, source, query, f['returns']);
        if (misfit !== null) r.problem([...ip, 'returns'], 'invalid-value', misfit);
      }
      if ((f['returns'] === undefined) === (f['fail'] === undefined)) r.problem(ip, 'missing-key', 'a fixture needs either returns: (the result) or fail: (a reason)');
      if (f['fail'] !== undefined) r.str(f['fail'], [...ip, 'fail'], 'fail');
      // `retryable: maybe` would read as true; only the two booleans mean anything here.
      if (f['retryable'] !== undefined && typeof f['retryable'] !== 'boolean') {
        r.problem([...ip, 'retryable'], 'wrong-type', `retryable must be true or false, got ${JSON.stringify(f['retryable'])}`);
      }
      if (f['retryable'] !== undefined && f['fail'] === undefined) {
        r.problem([...ip, 'retryable'], 'invalid-value', 'retryable goes with fail: (a failing fixture); a fixture with returns: answers');
      }
      return [f as Fixture];
    });
  }
  return out;
}

/** A fixture's `args` are the query's declared arguments: a misspelt one would never match. */
function fixtureArgs(r: TestFileReader, name: string, args: Record<string, unknown>, path: Path): void {
  const [source, query] = name.split('.') as [string, string];
  const type = r.graph?.sources[source]?.queries[query]?.args;
  if (type?.kind !== 'object') return;
  const known = Object.keys(type.fields);
  for (const key of Object.keys(args)) {
    if (Object.hasOwn(type.fields, key)) continue;
    const near = didYouMean(key, known);
    r.problem([...path, key], 'unknown-field', `query ${name} has no argument "${key}": this fixture would never match`, {
      key: true,
      hint: near !== undefined ? `did you mean \`${near}\`?` : known.length > 0 ? `its arguments: ${known.join(', ')}` : 'it takes no arguments',
    });
  }
}

function readOutcomes(r: TestFileReader, value: unknown, path: Path): Record<string, ChannelOutcomes> {
  const map = r.obj(value, path, 'outcomes');
  const out: Record<string, ChannelOutcomes> = {};
  const outcome = (v: unknown, p: Path): CaptureOutcome => r.oneOf(v, p, OUTCOMES, 'an outcome') ?? 'delivered';
  for (const [channel, v] of Object.entries(map ?? {})) {
    const p = [...path, channel];
    r.reference({ kind: 'channel', name: channel }, p, true);
    if (typeof v === 'string') {
      out[channel] = { outcome: outcome(v, p), byAddress: {} };
      continue;
    }
    const byAddress: Record<string, CaptureOutcome> = {};
    let all: CaptureOutcome = 'delivered';
    for (const [addr, o] of Object.entries(r.obj(v, p, `outcomes of ${channel}`) ?? {})) {
      const parsed = outcome(o, [...p, addr]);
      if (addr === '*') all = parsed;
      else byAddress[addr] = parsed;
    }
    out[channel] = { outcome: all, byAddress };
  }
  return out;
}

// ---- steps ---------------------------------------------------------------------------------

/** One event; `rejected:` only where it stands alone (an `event:` step). */
function readEvent(r: TestFileReader, v: unknown, p: Path, alone: boolean): EventStep | undefined {
  const e = r.obj(v, p, 'event');
  if (!e) return undefined;
  const checked = r.keys(e, p, alone ? keysOf('event') : keysOf('event').filter((k) => k !== 'rejected'), 'event');
  const type = r.required(e, 'type', p, 'an event', checked) ? r.str(e['type'], [...p, 'type'], 'event type') : undefined;
  const data = r.obj(e['data'] ?? {}, [...p, 'data'], 'event data');
  const rejected = e['rejected'] === undefined || !alone ? undefined : r.strList(e['rejected'], [...p, 'rejected'], 'rejected');
  const id = e['id'] === undefined ? undefined : r.str(e['id'], [...p, 'id'], 'id');
  // An unknown type is the test's mistake, unless the test is about its refusal (`rejected: [/type]`).
  if (type !== undefined && !rejected?.includes('/type')) r.reference({ kind: 'event', name: type }, [...p, 'type']);
  if (!type || !data) return undefined;
  return { kind: 'event', type, data, ...(id ? { id } : {}), ...(rejected ? { rejected } : {}) };
}

function readReceipt(r: TestFileReader, v: unknown, p: Path): ReceiptStep | undefined {
  const o = r.obj(v, p, 'receipt');
  if (!o) return undefined;
  const checked = r.keys(o, p, keysOf('receipt'), 'receipt');
  const channel = r.required(o, 'channel', p, 'a receipt', checked) ? r.str(o['channel'], [...p, 'channel'], 'channel') : undefined;
  if (channel !== undefined) r.reference({ kind: 'channel', name: channel }, [...p, 'channel']);
  const status = r.required(o, 'status', p, 'a receipt', checked) ? r.oneOf(o['status'], [...p, 'status'], RECEIPT_STATUSES, 'a receipt status') : undefined;
  const pick: Record<string, string> = {};
  for (const k of RECEIPT_PICKS) {
    if (o[k] === undefined) continue;
    // A key may be written as a number (INV numbers, order ids): the store keeps its decimal string.
    const value = k === 'key' && typeof o[k] === 'number' ? String(o[k]) : r.str(o[k], [...p, k], k);
    if (value !== undefined) pick[k] = value;
  }
  if (pick['template'] !== undefined) r.reference({ kind: 'template', name: pick['template'] }, [...p, 'template']);
  if (pick['journey'] !== undefined) r.reference({ kind: 'journey', name: pick['journey'] }, [...p, 'journey']);
  if (pick['step'] !== undefined) r.reference({ kind: 'send-step', name: pick['step'], ...(pick['journey'] ? { journey: pick['journey'] } : {}) }, [...p, 'step']);
  const reason = o['reason'] === undefined ? undefined : r.str(o['reason'], [...p, 'reason'], 'reason');
  if (channel === undefined || status === undefined) return undefined;
  return { kind: 'receipt', channel, status, pick, ...(reason ? { reason } : {}) };
}

function readStop(r: TestFileReader, v: unknown, p: Path): StopStep | undefined {
  const o = r.obj(v, p, 'stop');
  if (!o) return undefined;
  const checked = r.keys(o, p, keysOf('stop'), 'stop');
  const journey = r.required(o, 'journey', p, 'a stop', checked) ? r.str(o['journey'], [...p, 'journey'], 'journey') : undefined;
  if (journey !== undefined) r.reference({ kind: 'journey', name: journey }, [...p, 'journey']);
  const subject = o['subject'] === undefined ? undefined : r.str(o['subject'], [...p, 'subject'], 'subject');
  // A key may be written as a number (INV numbers, order ids): the store keeps its decimal string.
  const key = o['key'] === undefined ? undefined : typeof o['key'] === 'number' ? String(o['key']) : r.str(o['key'], [...p, 'key'], 'key');
  const reason = o['reason'] === undefined ? 'stopped in a test' : r.str(o['reason'], [...p, 'reason'], 'reason');
  if (journey === undefined || reason === undefined) return undefined;
  return { kind: 'stop', journey, ...(subject !== undefined ? { subject } : {}), ...(key !== undefined ? { key } : {}), reason };
}

/** Which step it is: one of STEP_KINDS, or a problem (with a did-you-mean for a misspelt kind). */
function stepKind(r: TestFileReader, step: Readonly<Record<string, unknown>>, path: Path): (typeof STEP_KINDS)[number] | undefined {
  const kinds = STEP_KINDS.filter((k) => k in step);
  const expected = `a step is one of ${STEP_KINDS.map((k) => `${k}:`).join(', ')}`;
  if (kinds.length > 1) return r.problem(path, 'multiple-step-kinds', `${expected}; this one has ${kinds.join(' and ')}`, { hint: 'split it into one step each' });
  if (kinds.length === 1) {
    r.keys(step, path, kinds, 'a step');
    return kinds[0];
  }
  const keys = Object.keys(step);
  const near = keys.map((k) => [k, didYouMean(k, STEP_KINDS)] as const).find(([, s]) => s !== undefined);
  const at = near?.[0] ?? keys[0];
  return r.problem(at === undefined ? path : [...path, at], 'unknown-step-kind', expected, { key: true, hint: near && `did you mean \`${near[1]}\`?` });
}

function readStep(r: TestFileReader, value: unknown, path: Path): TestStep | undefined {
  const step = r.obj(value, path, 'a step');
  if (!step) return undefined;
  const kind = stepKind(r, step, path);
  if (!kind) return undefined;
  const p = [...path, kind];
  const v = step[kind];
  switch (kind) {
    case 'event':
      return readEvent(r, v, p, true);
    case 'events': {
      if (!Array.isArray(v) || v.length === 0) return r.problem(p, 'wrong-type', 'events: takes a list of events ({type, data, id?}), ingested together');
      const events = v.map((e, i) => readEvent(r, e, [...p, i], false));
      if (events.some((e) => e === undefined)) return undefined;
      return { kind: 'events', events: events as EventStep[] };
    }
    case 'advance': {
      if (isObj(v) && 'to' in v) {
        const at = r.time(v['to'], [...p, 'to'], 'advance to');
        return at === undefined ? undefined : { kind: 'advanceTo', at, text: String(v['to']) };
      }
      const ms = r.duration(v, p);
      return ms === undefined ? undefined : { kind: 'advance', ms, text: v as string };
    }
    case 'subject': {
      const s = r.obj(v, p, 'subject');
      if (!s) return undefined;
      if (s['id'] === undefined) return r.problem(p, 'missing-key', 'subject: needs the id: of the subject it changes');
      const id = r.str(s['id'], [...p, 'id'], 'subject id');
      const profile = id ? readSubjectProfile(r, s, p, id) : undefined;
      return profile ? { kind: 'subject', profile } : undefined;
    }
    case 'receipt':
      return readReceipt(r, v, p);
    case 'stop':
      return readStop(r, v, p);
    case 'expect': {
      const expect = readExpectation(r, v, p);
      return expect ? { kind: 'expect', expect } : undefined;
    }
  }
}

// ---- the file ------------------------------------------------------------------------------

export interface ReadTestFileResult {
  /** Empty when the file has problems: none of its tests runs. */
  readonly tests: readonly JourneyTest[];
  readonly problems: readonly TestFileProblem[];
  /** The names of the tests the file holds, read even when it has problems (for `--filter`). */
  readonly names: readonly string[];
  /** Every name the file takes from the project, where it stands (the editor's references and rename). */
  readonly references: readonly TestFileReference[];
}

/** A name a test file takes from the project, and the span of its text (the key, for `fixtures:` and `outcomes:` entries). */
export type TestFileReference = ProjectReference & { readonly span: Span };

/**
 * The checks of a test file that need the runtime's rules, which the compiler does not hold:
 * `herald test` gives them; the editor reads test files without them.
 */
export interface TestFileChecks {
  /** A subject profile (`subjects:` or a `subject:` step) as `PUT /subjects/:id` checks it. */
  readonly subject?: (id: string, profile: Readonly<Record<string, unknown>>, graph: GraphIR | undefined) => readonly TestSubjectProblem[];
  /** Why a fixture's `returns:` does not fit its query's declared type; null when it fits. */
  readonly fixtureReturns?: (graph: GraphIR, source: string, query: string, value: unknown) => string | null;
}

/** `graph`: the project the tests run against; without it, the names the file takes from it are not checked. */
export function readTestFile(file: string, text: string, graph?: GraphIR, checks: TestFileChecks = {}): ReadTestFileResult {
  const parsed = parseYamlFile(file, text);
  if (!parsed.root || parsed.problems.length > 0) {
    const source = new SourceFile(file, text);
    const problems = parsed.problems.map((p) => {
      const range = source.range(p.span.start, p.span.end);
      return { file, line: range.start.line, column: range.start.column, code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}), range };
    });
    return { tests: [], problems: problems.length ? problems : [{ file, line: 1, column: 1, code: 'empty-file', message: 'the file is empty' }], names: [], references: [] };
  }
  const r = new TestFileReader(file, text, parsed.root, graph, checks);
  const doc = r.obj(toJson(parsed.root), [], 'a test file');
  if (!doc) return { tests: [], problems: r.problems, names: [], references: [] };
  const fileKeys = r.keys(doc, [], keysOf('file'), 'a test file');

  const fileStart = doc['start'] === undefined ? DEFAULT_TEST_START : r.time(doc['start'], ['start'], 'start');
  const fileSubjects = doc['subjects'] === undefined ? [] : readSubjects(r, doc['subjects'], ['subjects']);
  const fileFixtures = doc['fixtures'] === undefined ? {} : readFixtures(r, doc['fixtures'], ['fixtures']);
  const fileOutcomes = doc['outcomes'] === undefined ? {} : readOutcomes(r, doc['outcomes'], ['outcomes']);

  const tests: JourneyTest[] = [];
  const names: string[] = [];
  const list = r.required(doc, 'tests', [], 'a test file', fileKeys) ? r.list(doc['tests'], ['tests'], 'tests') : undefined;
  for (const [i, t] of (list ?? []).entries()) {
    const path = ['tests', i];
    const test = r.obj(t, path, 'a test');
    if (!test) continue;
    const checked = r.keys(test, path, keysOf('test'), 'a test');
    const name = r.required(test, 'name', path, 'a test', checked) ? r.str(test['name'], [...path, 'name'], 'name') : undefined;
    if (name && names.includes(name)) r.problem([...path, 'name'], 'duplicate-test-name', `another test in this file is named "${name}"`, { hint: 'names pick tests for --filter and in the output' });
    if (name) names.push(name);
    const start = test['start'] === undefined ? fileStart : r.time(test['start'], [...path, 'start'], 'start');
    const own = test['subjects'] === undefined ? [] : readSubjects(r, test['subjects'], [...path, 'subjects']);
    const subjects = new Map(fileSubjects.map((s) => [s.id, s]));
    for (const s of own) subjects.set(s.id, { ...subjects.get(s.id), ...s });
    const fixtures: Record<string, Fixture[]> = { ...fileFixtures };
    // The test's own fixtures are tried before the file's.
    for (const [k, v] of Object.entries(test['fixtures'] === undefined ? {} : readFixtures(r, test['fixtures'], [...path, 'fixtures']))) {
      fixtures[k] = [...v, ...(fileFixtures[k] ?? [])];
    }
    const outcomes = { ...fileOutcomes, ...(test['outcomes'] === undefined ? {} : readOutcomes(r, test['outcomes'], [...path, 'outcomes'])) };
    const steps: JourneyTest['steps'][number][] = [];
    const items = r.required(test, 'steps', path, 'a test', checked) ? r.list(test['steps'], [...path, 'steps'], 'steps') : undefined;
    if (items?.length === 0) r.problem([...path, 'steps'], 'empty-steps', 'a test with no steps tests nothing', { hint: 'give it an event: and an expect: of what should follow' });
    for (const [j, s] of (items ?? []).entries()) {
      const step = readStep(r, s, [...path, 'steps', j]);
      if (step) steps.push({ ...step, loc: r.loc([...path, 'steps', j]) });
    }
    if (!name || start === undefined) continue;
    tests.push({ name, file, line: r.loc(path).line, start, subjects: [...subjects.values()], fixtures, outcomes, steps });
  }
  if (list !== undefined && tests.length === 0 && r.problems.length === 0) r.problem(['tests'], 'no-tests', 'the file has no tests');
  if (graph) {
    for (const p of referenceProblems(graph, r.references)) r.problem(p.ref.path, p.code, p.message, { key: p.ref.key, hint: p.hint });
  }
  const problems = [...r.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const references = r.references.map(({ path, key, ...ref }) => ({ ...ref, span: r.span(path, key) }) as TestFileReference);
  return { tests: problems.length ? [] : tests, problems, names, references };
}
