/**
 * An `expect:` step of a test file (docs/testing.md), read with positions. Every name it takes
 * from the project (journey, step, template, channel) is noted for the check against the
 * project, and an `expect` that asserts nothing is a mistake: it cannot fail.
 */
import { DELIVERY_STATUSES, type CaptureOutcome, type DeliveryMatcher, type Expectation, type InstanceMatcher, type MessageMatcher, type TextMatcher } from './journey-test.js';
import type { Obj, Path, TestFileReader } from './test-file-reader.js';
import { keysOf } from './test-file-keys.js';

export const OUTCOMES: readonly CaptureOutcome[] = ['delivered', 'accepted', 'failed', 'rejected', 'bounced'];
export const INSTANCE_STATUSES = ['active', 'completed', 'exited', 'failed'] as const;
const ASSERTIONS = keysOf('expect');
const LISTS = ['sent', 'notSent', 'archive'] as const;

export function readExpectation(r: TestFileReader, value: unknown, path: Path): Expectation | undefined {
  const e = r.obj(value, path, 'expect');
  if (!e) return undefined;
  const checked = r.keys(e, path, ASSERTIONS, 'expect');
  if (checked.unknown.length === 0) emptiness(r, e, path);
  const messages = (key: 'sent' | 'notSent') => {
    if (e[key] === undefined) return undefined;
    const items = r.list(e[key], [...path, key], key) ?? [];
    return items.map((m, i) => messageMatcher(r, m, [...path, key, i])).filter((m): m is MessageMatcher => m !== undefined);
  };
  const sent = messages('sent');
  const notSent = messages('notSent');
  let sentCount: number | undefined;
  if (e['sentCount'] !== undefined) {
    if (Number.isInteger(e['sentCount']) && (e['sentCount'] as number) >= 0) sentCount = e['sentCount'] as number;
    else r.problem([...path, 'sentCount'], 'invalid-value', 'sentCount must be a whole number');
  }
  const instance = e['instance'] === undefined ? undefined : instanceMatcher(r, e['instance'], [...path, 'instance']);
  let noInstance: Expectation['noInstance'];
  if (e['noInstance'] !== undefined) {
    const p = [...path, 'noInstance'];
    const n = r.obj(e['noInstance'], p, 'noInstance');
    if (n) {
      r.keys(n, p, keysOf('noInstance'), 'noInstance');
      which(r, n, p);
      noInstance = withKey(r, n, p) as Expectation['noInstance'];
    }
  }
  const archive =
    e['archive'] === undefined
      ? undefined
      : (r.list(e['archive'], [...path, 'archive'], 'archive') ?? [])
          .map((d, i) => deliveryMatcher(r, d, [...path, 'archive', i]))
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

/** An expect with nothing to check passes whatever happened, so it tests nothing. */
function emptiness(r: TestFileReader, e: Obj, path: Path): void {
  const given = ASSERTIONS.filter((k) => e[k] !== undefined);
  const empty = (k: string) => (LISTS as readonly string[]).includes(k) && Array.isArray(e[k]) && (e[k] as unknown[]).length === 0;
  if (!given.every(empty)) return;
  if (given.length === 0) {
    r.problem(path, 'empty-expect', 'this expect checks nothing', { hint: `give it one of ${ASSERTIONS.join(', ')} (sentCount: 0 says nothing was sent)` });
    return;
  }
  const listed = given.map((k) => `${k}: []`).join(', ');
  const hint = given.includes('sent') || given.includes('notSent') ? 'to say nothing was sent, use `sentCount: 0`' : undefined;
  r.problem([...path, given[0]!], 'empty-expect', `${listed} expects nothing, so this expect checks nothing`, { key: true, hint });
}

/** `journey` and `subject`, which pick instances or messages: names, and the journey one of the project's. */
function which(r: TestFileReader, m: Obj, path: Path): void {
  if (m['journey'] !== undefined && r.str(m['journey'], [...path, 'journey'], 'journey')) r.reference({ kind: 'journey', name: m['journey'] as string }, [...path, 'journey']);
  if (m['subject'] !== undefined) r.str(m['subject'], [...path, 'subject'], 'subject');
}

/** An instance's `key` as the store keeps it: a number written in the test is its decimal string. */
function withKey(r: TestFileReader, m: Obj, path: Path): Obj {
  if (m['key'] === undefined) return m;
  if (typeof m['key'] === 'number') return { ...m, key: String(m['key']) };
  r.str(m['key'], [...path, 'key'], 'key');
  return m;
}

/** The journey a matcher names, for looking its steps up (none: any journey). */
const journeyOf = (m: Obj) => (typeof m['journey'] === 'string' ? { journey: m['journey'] } : {});

function messageMatcher(r: TestFileReader, value: unknown, path: Path): MessageMatcher | undefined {
  const m = r.obj(value, path, 'a message');
  if (!m) return undefined;
  r.keys(m, path, keysOf('message'), 'a message');
  if (m['outcome'] !== undefined) r.oneOf(m['outcome'], [...path, 'outcome'], OUTCOMES, 'an outcome');
  which(r, m, path);
  for (const k of ['channel', 'template'] as const) {
    if (m[k] !== undefined && r.str(m[k], [...path, k], k)) r.reference({ kind: k, name: m[k] as string }, [...path, k]);
  }
  if (m['step'] !== undefined && r.str(m['step'], [...path, 'step'], 'step')) {
    r.reference({ kind: 'send-step', name: m['step'] as string, ...journeyOf(m) }, [...path, 'step']);
  }
  if (m['locale'] !== undefined) r.str(m['locale'], [...path, 'locale'], 'locale');
  const to = m['to'] === undefined ? undefined : r.text(m['to'], [...path, 'to'], 'to');
  let content: Record<string, TextMatcher> | undefined;
  if (m['content'] !== undefined) {
    content = {};
    for (const [field, t] of Object.entries(r.obj(m['content'], [...path, 'content'], 'content') ?? {})) {
      const matcher = r.text(t, [...path, 'content', field], `content.${field}`);
      if (matcher !== undefined) content[field] = matcher;
    }
  }
  return { ...(m as MessageMatcher), ...(to === undefined ? {} : { to }), ...(content ? { content } : {}) };
}

function instanceMatcher(r: TestFileReader, value: unknown, path: Path): InstanceMatcher | undefined {
  const m = r.obj(value, path, 'instance');
  if (!m) return undefined;
  r.keys(m, path, keysOf('instance'), 'instance');
  which(r, m, path);
  if (m['status'] !== undefined) r.oneOf(m['status'], [...path, 'status'], INSTANCE_STATUSES, 'status');
  if (m['at'] !== undefined && m['at'] !== null) {
    if (typeof m['at'] !== 'string' || m['at'] === '') r.problem([...path, 'at'], 'wrong-type', 'at must be a step id, or null once the instance ended');
    else r.reference({ kind: 'step', name: m['at'], ...journeyOf(m) }, [...path, 'at']);
  }
  if (m['exitReason'] !== undefined && m['exitReason'] !== null) r.str(m['exitReason'], [...path, 'exitReason'], 'exitReason');
  if (m['vars'] !== undefined) r.obj(m['vars'], [...path, 'vars'], 'vars');
  for (const k of ['visited', 'notVisited'] as const) {
    if (m[k] === undefined) continue;
    const steps = r.strList(m[k], [...path, k], k) ?? [];
    steps.forEach((name, i) => r.reference({ kind: 'step', name, ...journeyOf(m) }, [...path, k, i]));
  }
  if (m['history'] !== undefined) r.strList(m['history'], [...path, 'history'], 'history');
  return withKey(r, m, path) as InstanceMatcher;
}

function deliveryMatcher(r: TestFileReader, value: unknown, path: Path): DeliveryMatcher | undefined {
  const m = r.obj(value, path, 'an archive entry');
  if (!m) return undefined;
  r.keys(m, path, keysOf('archive'), 'an archive entry');
  which(r, m, path);
  if (m['template'] !== undefined && r.str(m['template'], [...path, 'template'], 'template')) r.reference({ kind: 'template', name: m['template'] as string }, [...path, 'template']);
  if (m['step'] !== undefined && r.str(m['step'], [...path, 'step'], 'step')) r.reference({ kind: 'send-step', name: m['step'] as string, ...journeyOf(m) }, [...path, 'step']);
  if (m['status'] !== undefined) r.oneOf(m['status'], [...path, 'status'], DELIVERY_STATUSES, 'a delivery status');
  if (m['history'] !== undefined) r.strList(m['history'], [...path, 'history'], 'history');
  return m as DeliveryMatcher;
}
