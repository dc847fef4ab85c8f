/**
 * `*.test.yaml` → journey tests, or problems at `file:line:col`. Parsed with the compiler's
 * own YAML stage (duplicate keys, limits, positions), then read field by field so every
 * mistake is reported where it is, all at once. The format is documented in docs/testing.md.
 */
import { parseDuration, parseYamlFile, SourceFile, type YNode } from '@herald/dsl';
import { parseTime } from '../api/parse-archive-query.js';
import {
  DEFAULT_TEST_START,
  type CaptureOutcome,
  type ChannelOutcomes,
  type DeliveryMatcher,
  type EventStep,
  type Expectation,
  type Fixture,
  type InstanceMatcher,
  type JourneyTest,
  type MessageMatcher,
  type StepLocation,
  type SubjectInput,
  type TestFileProblem,
  type TestStep,
  type TextMatcher,
} from './journey-test.js';

type Path = readonly (string | number)[];
type Obj = Readonly<Record<string, unknown>>;

const OUTCOMES: readonly CaptureOutcome[] = ['delivered', 'accepted', 'failed', 'rejected', 'bounced'];
const STATUSES = ['active', 'completed', 'exited', 'failed'] as const;

function toJson(node: YNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toJson);
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [e.key, toJson(e.value)]));
  }
}

/** Offset of the node at `path` (its key when `key`), or of the nearest parent that exists. */
function offsetAt(root: YNode, path: Path, key: boolean): number {
  let node: YNode = root;
  let offset = root.span.start;
  for (const [i, seg] of path.entries()) {
    if (node.kind === 'map') {
      const entry = [...node.entries].reverse().find((e) => e.key === String(seg));
      if (!entry) break;
      offset = key && i === path.length - 1 ? entry.keySpan.start : entry.value.span.start;
      node = entry.value;
    } else if (node.kind === 'seq' && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg]!;
      offset = node.span.start;
    } else break;
  }
  return offset;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class TestFileReader {
  readonly problems: TestFileProblem[] = [];
  private readonly source: SourceFile;

  constructor(
    readonly file: string,
    text: string,
    private readonly root: YNode,
  ) {
    this.source = new SourceFile(file, text);
  }

  loc(path: Path, key = false): StepLocation {
    const p = this.source.position(offsetAt(this.root, path, key));
    return { line: p.line, column: p.column };
  }

  problem(path: Path, message: string, key = false): undefined {
    this.problems.push({ file: this.file, ...this.loc(path, key), message });
    return undefined;
  }

  /** Unknown keys are mistakes (a typo in `expect` would otherwise check nothing). */
  keys(value: Obj, path: Path, allowed: readonly string[], what: string): void {
    for (const k of Object.keys(value)) {
      if (!allowed.includes(k)) this.problem([...path, k], `${what} has no field "${k}" (fields: ${allowed.join(', ')})`, true);
    }
  }

  obj(value: unknown, path: Path, what: string): Obj | undefined {
    return isObj(value) ? value : this.problem(path, `${what} must be a map`);
  }

  list(value: unknown, path: Path, what: string): readonly unknown[] | undefined {
    return Array.isArray(value) ? value : this.problem(path, `${what} must be a list`);
  }

  str(value: unknown, path: Path, what: string): string | undefined {
    if (typeof value === 'string' && value !== '') return value;
    const hint = typeof value === 'number' ? ' (quote it: phone numbers and ids that look like numbers must be strings)' : '';
    return this.problem(path, `${what} must be a non-empty string${hint}`);
  }

  strList(value: unknown, path: Path, what: string): string[] | undefined {
    const items = this.list(value, path, what);
    if (!items) return undefined;
    const out = items.map((v, i) => this.str(v, [...path, i], `each of ${what}`));
    return out.every((v): v is string => v !== undefined) ? out : undefined;
  }

  time(value: unknown, path: Path, what: string): number | undefined {
    const ms = typeof value === 'string' ? parseTime(value) : undefined;
    return ms ?? this.problem(path, `${what} must be an ISO 8601 time such as 2026-03-02T09:00:00Z`);
  }

  text(value: unknown, path: Path, what: string): TextMatcher | undefined {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (isObj(value) && Object.keys(value).length === 1) {
      const [op, arg] = Object.entries(value)[0]!;
      if (['equals', 'contains', 'matches', 'notContains'].includes(op) && typeof arg === 'string') {
        if (op === 'matches') {
          try {
            new RegExp(arg);
          } catch (error) {
            return this.problem([...path, op], `not a regular expression: ${(error as Error).message}`);
          }
        }
        return { [op]: arg } as TextMatcher;
      }
    }
    return this.problem(path, `${what} must be a string, or one of {equals|contains|matches|notContains: string}`);
  }

  // ---- setup -------------------------------------------------------------------------------

  subjects(value: unknown, path: Path): SubjectInput[] {
    const map = this.obj(value, path, 'subjects');
    if (!map) return [];
    const out: SubjectInput[] = [];
    for (const [id, profile] of Object.entries(map)) {
      const p = this.subjectProfile(profile, [...path, id], id);
      if (p) out.push(p);
    }
    return out;
  }

  subjectProfile(value: unknown, path: Path, id: string): SubjectInput | undefined {
    const profile = this.obj(value ?? {}, path, `subject ${id}`);
    if (!profile) return undefined;
    if (profile['contacts'] !== undefined) {
      const contacts = this.obj(profile['contacts'], [...path, 'contacts'], 'contacts');
      for (const [ch, addr] of Object.entries(contacts ?? {})) this.str(addr, [...path, 'contacts', ch], `the ${ch} address`);
    }
    for (const f of ['channels', 'optOuts'] as const) if (profile[f] !== undefined) this.strList(profile[f], [...path, f], f);
    return { ...profile, id };
  }

  fixtures(value: unknown, path: Path): Record<string, Fixture[]> {
    const map = this.obj(value, path, 'fixtures');
    const out: Record<string, Fixture[]> = {};
    for (const [name, list] of Object.entries(map ?? {})) {
      const p = [...path, name];
      if (!/^[^.]+\.[^.]+$/.test(name)) this.problem(p, `fixtures are keyed by source.query (crm.customerById), got "${name}"`, true);
      const items = Array.isArray(list) ? list : [list];
      out[name] = items.flatMap((item, i) => {
        const ip = Array.isArray(list) ? [...p, i] : p;
        const f = this.obj(item, ip, 'a fixture');
        if (!f) return [];
        this.keys(f, ip, ['args', 'returns', 'fail', 'retryable'], 'a fixture');
        if (f['args'] !== undefined) this.obj(f['args'], [...ip, 'args'], 'args');
        if ((f['returns'] === undefined) === (f['fail'] === undefined)) this.problem(ip, 'a fixture needs either returns: (the result) or fail: (a reason)');
        if (f['fail'] !== undefined) this.str(f['fail'], [...ip, 'fail'], 'fail');
        return [f as Fixture];
      });
    }
    return out;
  }

  outcomes(value: unknown, path: Path): Record<string, ChannelOutcomes> {
    const map = this.obj(value, path, 'outcomes');
    const out: Record<string, ChannelOutcomes> = {};
    const outcome = (v: unknown, p: Path): CaptureOutcome | undefined =>
      OUTCOMES.includes(v as CaptureOutcome) ? (v as CaptureOutcome) : this.problem(p, `an outcome is one of ${OUTCOMES.join(', ')}`);
    for (const [channel, v] of Object.entries(map ?? {})) {
      const p = [...path, channel];
      if (typeof v === 'string') {
        out[channel] = { outcome: outcome(v, p) ?? 'delivered', byAddress: {} };
        continue;
      }
      const byAddress: Record<string, CaptureOutcome> = {};
      let all: CaptureOutcome = 'delivered';
      for (const [addr, o] of Object.entries(this.obj(v, p, `outcomes of ${channel}`) ?? {})) {
        const parsed = outcome(o, [...p, addr]) ?? 'delivered';
        if (addr === '*') all = parsed;
        else byAddress[addr] = parsed;
      }
      out[channel] = { outcome: all, byAddress };
    }
    return out;
  }

  // ---- steps -------------------------------------------------------------------------------

  /** One event; `rejected:` only where it stands alone (an `event:` step). */
  event(v: unknown, p: Path, alone: boolean): EventStep | undefined {
    const e = this.obj(v, p, 'event');
    if (!e) return undefined;
    this.keys(e, p, alone ? ['type', 'data', 'id', 'rejected'] : ['type', 'data', 'id'], 'event');
    const type = this.str(e['type'], [...p, 'type'], 'event type');
    const data = this.obj(e['data'] ?? {}, [...p, 'data'], 'event data');
    const rejected = e['rejected'] === undefined || !alone ? undefined : this.strList(e['rejected'], [...p, 'rejected'], 'rejected');
    const id = e['id'] === undefined ? undefined : this.str(e['id'], [...p, 'id'], 'id');
    if (!type || !data) return undefined;
    return { kind: 'event', type, data, ...(id ? { id } : {}), ...(rejected ? { rejected } : {}) };
  }

  step(value: unknown, path: Path): TestStep | undefined {
    const step = this.obj(value, path, 'a step');
    if (!step) return undefined;
    const kinds = ['event', 'events', 'advance', 'subject', 'expect'].filter((k) => k in step);
    if (kinds.length !== 1) return this.problem(path, 'a step is one of event:, events:, advance:, subject:, expect:');
    const kind = kinds[0]!;
    this.keys(step, path, [kind], 'a step');
    const p = [...path, kind];
    const v = step[kind];
    switch (kind) {
      case 'event':
        return this.event(v, p, true);
      case 'events': {
        if (!Array.isArray(v) || v.length === 0) return this.problem(p, 'events: takes a list of events ({type, data, id?}), ingested together');
        const events = v.map((e, i) => this.event(e, [...p, i], false));
        if (events.some((e) => e === undefined)) return undefined;
        return { kind: 'events', events: events as EventStep[] };
      }
      case 'advance': {
        if (isObj(v) && 'to' in v) {
          const at = this.time(v['to'], [...p, 'to'], 'advance to');
          return at === undefined ? undefined : { kind: 'advanceTo', at, text: String(v['to']) };
        }
        const ms = typeof v === 'string' ? parseDuration(v) : undefined;
        if (ms === undefined) return this.problem(p, 'advance takes a duration (7d, 36h, 1h30m) or {to: <ISO time>}');
        return { kind: 'advance', ms, text: v as string };
      }
      case 'subject': {
        const s = this.obj(v, p, 'subject');
        const id = s && this.str(s['id'], [...p, 'id'], 'subject id');
        const profile = id ? this.subjectProfile(s, p, id) : undefined;
        return profile ? { kind: 'subject', profile } : undefined;
      }
      default: {
        const expect = this.expectation(v, p);
        return expect ? { kind: 'expect', expect } : undefined;
      }
    }
  }

  expectation(value: unknown, path: Path): Expectation | undefined {
    const e = this.obj(value, path, 'expect');
    if (!e) return undefined;
    this.keys(e, path, ['sent', 'notSent', 'sentCount', 'instance', 'noInstance', 'archive'], 'expect');
    const messages = (key: 'sent' | 'notSent') => {
      if (e[key] === undefined) return undefined;
      const items = this.list(e[key], [...path, key], key) ?? [];
      return items.map((m, i) => this.messageMatcher(m, [...path, key, i])).filter((m): m is MessageMatcher => m !== undefined);
    };
    const sent = messages('sent');
    const notSent = messages('notSent');
    let sentCount: number | undefined;
    if (e['sentCount'] !== undefined) {
      if (Number.isInteger(e['sentCount']) && (e['sentCount'] as number) >= 0) sentCount = e['sentCount'] as number;
      else this.problem([...path, 'sentCount'], 'sentCount must be a whole number');
    }
    const instance = e['instance'] === undefined ? undefined : this.instanceMatcher(e['instance'], [...path, 'instance']);
    let noInstance: Expectation['noInstance'];
    if (e['noInstance'] !== undefined) {
      const n = this.obj(e['noInstance'], [...path, 'noInstance'], 'noInstance');
      if (n) {
        this.keys(n, [...path, 'noInstance'], ['journey', 'subject'], 'noInstance');
        noInstance = n as Expectation['noInstance'];
      }
    }
    const archive =
      e['archive'] === undefined
        ? undefined
        : (this.list(e['archive'], [...path, 'archive'], 'archive') ?? [])
            .map((d, i) => this.deliveryMatcher(d, [...path, 'archive', i]))
            .filter((d): d is DeliveryMatcher => d !== undefined);
    return {
      ...(sent ? { sent } : {}),
      ...(notSent ? { notSent } : {}),
      ...(sentCount === undefined ? {} : { sentCount }),
      ...(instance ? { instance } : {}),
      ...(noInstance ? { noInstance } : {}),
      ...(archive ? { archive } : {}),
    };
  }

  messageMatcher(value: unknown, path: Path): MessageMatcher | undefined {
    const m = this.obj(value, path, 'a message');
    if (!m) return undefined;
    this.keys(m, path, ['journey', 'channel', 'template', 'step', 'subject', 'to', 'locale', 'content', 'outcome'], 'a message');
    if (m['outcome'] !== undefined && !OUTCOMES.includes(m['outcome'] as CaptureOutcome)) this.problem([...path, 'outcome'], `an outcome is one of ${OUTCOMES.join(', ')}`);
    for (const k of ['journey', 'channel', 'template', 'step', 'subject', 'locale'] as const) if (m[k] !== undefined) this.str(m[k], [...path, k], k);
    const to = m['to'] === undefined ? undefined : this.text(m['to'], [...path, 'to'], 'to');
    let content: Record<string, TextMatcher> | undefined;
    if (m['content'] !== undefined) {
      content = {};
      for (const [field, t] of Object.entries(this.obj(m['content'], [...path, 'content'], 'content') ?? {})) {
        const matcher = this.text(t, [...path, 'content', field], `content.${field}`);
        if (matcher !== undefined) content[field] = matcher;
      }
    }
    return { ...(m as MessageMatcher), ...(to === undefined ? {} : { to }), ...(content ? { content } : {}) };
  }

  instanceMatcher(value: unknown, path: Path): InstanceMatcher | undefined {
    const m = this.obj(value, path, 'instance');
    if (!m) return undefined;
    this.keys(m, path, ['journey', 'subject', 'status', 'at', 'exitReason', 'vars', 'visited', 'notVisited', 'history'], 'instance');
    if (m['status'] !== undefined && !STATUSES.includes(m['status'] as (typeof STATUSES)[number])) {
      this.problem([...path, 'status'], `status is one of ${STATUSES.join(', ')}`);
    }
    if (m['vars'] !== undefined) this.obj(m['vars'], [...path, 'vars'], 'vars');
    for (const k of ['visited', 'notVisited', 'history'] as const) if (m[k] !== undefined) this.strList(m[k], [...path, k], k);
    return m as InstanceMatcher;
  }

  deliveryMatcher(value: unknown, path: Path): DeliveryMatcher | undefined {
    const m = this.obj(value, path, 'an archive entry');
    if (!m) return undefined;
    this.keys(m, path, ['journey', 'template', 'step', 'subject', 'status', 'history'], 'an archive entry');
    if (m['history'] !== undefined) this.strList(m['history'], [...path, 'history'], 'history');
    return m as DeliveryMatcher;
  }
}

export interface ReadTestFileResult {
  readonly tests: readonly JourneyTest[];
  readonly problems: readonly TestFileProblem[];
}

export function readTestFile(file: string, text: string): ReadTestFileResult {
  const parsed = parseYamlFile(file, text);
  const source = new SourceFile(file, text);
  if (!parsed.root || parsed.problems.length > 0) {
    const problems = parsed.problems.map((p) => ({ file, ...pick(source.position(p.span.start)), message: p.message }));
    return { tests: [], problems: problems.length ? problems : [{ file, line: 1, column: 1, message: 'the file is empty' }] };
  }
  const r = new TestFileReader(file, text, parsed.root);
  const doc = r.obj(toJson(parsed.root), [], 'a test file');
  if (!doc) return { tests: [], problems: r.problems };
  r.keys(doc, [], ['start', 'subjects', 'fixtures', 'outcomes', 'tests'], 'a test file');

  const fileStart = doc['start'] === undefined ? DEFAULT_TEST_START : r.time(doc['start'], ['start'], 'start');
  const fileSubjects = doc['subjects'] === undefined ? [] : r.subjects(doc['subjects'], ['subjects']);
  const fileFixtures = doc['fixtures'] === undefined ? {} : r.fixtures(doc['fixtures'], ['fixtures']);
  const fileOutcomes = doc['outcomes'] === undefined ? {} : r.outcomes(doc['outcomes'], ['outcomes']);

  const tests: JourneyTest[] = [];
  const names = new Set<string>();
  for (const [i, t] of (r.list(doc['tests'], ['tests'], 'tests') ?? []).entries()) {
    const path = ['tests', i];
    const test = r.obj(t, path, 'a test');
    if (!test) continue;
    r.keys(test, path, ['name', 'start', 'subjects', 'fixtures', 'outcomes', 'steps'], 'a test');
    const name = r.str(test['name'], [...path, 'name'], 'name');
    if (name && names.has(name)) r.problem([...path, 'name'], `another test in this file is named "${name}"`);
    if (name) names.add(name);
    const start = test['start'] === undefined ? fileStart : r.time(test['start'], [...path, 'start'], 'start');
    const own = test['subjects'] === undefined ? [] : r.subjects(test['subjects'], [...path, 'subjects']);
    const subjects = new Map(fileSubjects.map((s) => [s.id, s]));
    for (const s of own) subjects.set(s.id, { ...subjects.get(s.id), ...s });
    const fixtures: Record<string, Fixture[]> = { ...fileFixtures };
    // The test's own fixtures are tried before the file's.
    for (const [k, v] of Object.entries(test['fixtures'] === undefined ? {} : r.fixtures(test['fixtures'], [...path, 'fixtures']))) {
      fixtures[k] = [...v, ...(fileFixtures[k] ?? [])];
    }
    const outcomes = { ...fileOutcomes, ...(test['outcomes'] === undefined ? {} : r.outcomes(test['outcomes'], [...path, 'outcomes'])) };
    const steps: JourneyTest['steps'][number][] = [];
    for (const [j, s] of (r.list(test['steps'], [...path, 'steps'], 'steps') ?? []).entries()) {
      const step = r.step(s, [...path, 'steps', j]);
      if (step) steps.push({ ...step, loc: r.loc([...path, 'steps', j]) });
    }
    if (!name || start === undefined) continue;
    tests.push({ name, file, line: r.loc(path).line, start, subjects: [...subjects.values()], fixtures, outcomes, steps });
  }
  if (doc['tests'] !== undefined && tests.length === 0 && r.problems.length === 0) r.problem(['tests'], 'the file has no tests');
  return { tests: r.problems.length ? [] : tests, problems: r.problems };
}

const pick = (p: { line: number; column: number }) => ({ line: p.line, column: p.column });
