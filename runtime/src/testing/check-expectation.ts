/**
 * One `expect:` block against what a test run observed: pure, so every failure message is
 * tested without running a journey. Messages name what was expected and what was there
 * instead: "expected an sms to c-100, got: email to ada@example.com (template payment-reminder)".
 */
import type { Delivery } from '../delivery/types.js';
import type { ArchivedMessage } from '../driver/driver.js';
import { HISTORY_LIMIT } from '../engine/run-state.js';
import type { HistoryEntry, Instance } from '../engine/types.js';
import type { CaptureOutcome, DeliveryMatcher, Expectation, InstanceMatcher, MessageMatcher, TextMatcher } from '@herald/dsl';
import { whyNothingWasSent } from './why-nothing-sent.js';

/** One send: a message as a channel received it, and what the channel answered. */
export interface SentMessage {
  readonly journey: string;
  readonly channel: string;
  readonly template: string | undefined;
  readonly step: string;
  readonly subject: string;
  readonly to: string;
  readonly locale: string;
  readonly content: Readonly<Record<string, string | undefined>>;
  /** Virtual time of the send, epoch ms. */
  readonly at: number;
  readonly outcome: CaptureOutcome;
}

export interface Observed {
  /** Messages sent since the previous `expect`. */
  readonly sent: readonly SentMessage[];
  readonly instances: readonly Instance[];
  readonly archive: readonly ArchivedMessage[];
  /**
   * Deliveries decided on since the previous `expect`, and those still deferred: what says why
   * an expected message was not sent. Absent: "nothing was sent" is all there is to say.
   */
  readonly recent?: readonly Delivery[];
  /**
   * Instance id → when routing started it, counting up (RuntimeOptions.onRouted). The virtual
   * clock stands still between steps, so instances started at one instant share `startedAt`;
   * this says which of them is the latest. Absent, or an id not in it: the later in `instances`
   * (the store lists them by start time, then id), the later started.
   */
  readonly startOrder?: ReadonlyMap<string, number>;
}

export function matchText(m: TextMatcher, actual: string): boolean {
  if (typeof m === 'string') return actual === m;
  if ('equals' in m) return actual === m.equals;
  if ('contains' in m) return actual.includes(m.contains);
  if ('notContains' in m) return !actual.includes(m.notContains);
  return new RegExp(m.matches).test(actual);
}

function describeText(m: TextMatcher): string {
  if (typeof m === 'string') return JSON.stringify(m);
  if ('equals' in m) return JSON.stringify(m.equals);
  if ('contains' in m) return `containing ${JSON.stringify(m.contains)}`;
  if ('notContains' in m) return `not containing ${JSON.stringify(m.notContains)}`;
  return `matching /${m.matches}/`;
}

const article = (word: string) => (/^[aeiou]/i.test(word) || /^(sms|smtp)$/i.test(word) ? 'an' : 'a');

export function describeMatcher(m: MessageMatcher): string {
  let text = m.channel ? `${article(m.channel)} ${m.channel}` : 'a message';
  if (m.to !== undefined) text += ` to ${typeof m.to === 'string' ? m.to : describeText(m.to)}`;
  else if (m.subject !== undefined) text += ` to ${m.subject}`;
  const details = [
    m.template && `template ${m.template}`,
    m.journey && `journey ${m.journey}`,
    m.step && `step ${m.step}`,
    m.locale && `locale ${m.locale}`,
    m.outcome && `${m.outcome}`,
    ...Object.entries(m.content ?? {}).map(([f, t]) => `${f} ${typeof t === 'string' ? '= ' : ''}${describeText(t)}`),
  ].filter(Boolean);
  return details.length ? `${text} (${details.join(', ')})` : text;
}

export function describeSent(s: SentMessage): string {
  return `${s.channel} to ${s.to} (template ${s.template ?? '?'}, step ${s.step}${s.outcome === 'delivered' ? '' : `, ${s.outcome}`})`;
}

/** Why `s` does not match `m`; empty when it does. */
export function messageMismatches(m: MessageMatcher, s: SentMessage): string[] {
  const out: string[] = [];
  const eq = (field: string, want: string | undefined, got: string | undefined) => {
    if (want !== undefined && want !== got) out.push(`${field} is ${got ?? '(none)'}, not ${want}`);
  };
  eq('channel', m.channel, s.channel);
  eq('template', m.template, s.template);
  eq('journey', m.journey, s.journey);
  eq('step', m.step, s.step);
  eq('subject', m.subject, s.subject);
  eq('locale', m.locale, s.locale);
  eq('outcome', m.outcome, s.outcome);
  if (m.to !== undefined && !matchText(m.to, s.to)) out.push(`to is ${s.to}, expected ${describeText(m.to)}`);
  for (const [field, t] of Object.entries(m.content ?? {})) {
    const got = s.content[field];
    if (got === undefined) out.push(`it has no ${field} (fields: ${Object.keys(s.content).join(', ')})`);
    else if (!matchText(t, got)) out.push(`${field} is ${JSON.stringify(clip(got))}, expected ${describeText(t)}`);
  }
  return out;
}

const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}...` : text);

/** "nothing was sent", and why when the deliveries `m` could have come from say. */
function nothingSent(recent: readonly Delivery[], m?: MessageMatcher): string {
  const why = whyNothingWasSent(recent, m);
  return why ? `nothing was sent; ${why}` : 'nothing was sent';
}

function checkSent(e: Expectation, sent: readonly SentMessage[], recent: readonly Delivery[]): string[] {
  const failures: string[] = [];
  const used = new Set<number>();
  for (const m of e.sent ?? []) {
    const i = sent.findIndex((s, idx) => !used.has(idx) && messageMismatches(m, s).length === 0);
    if (i >= 0) {
      used.add(i);
      continue;
    }
    // The closest miss says which field was off, which is usually the whole story.
    let closest: { s: SentMessage; why: string[] } | undefined;
    for (const s of sent) {
      const why = messageMismatches(m, s);
      if (!closest || why.length < closest.why.length) closest = { s, why };
    }
    const hint = closest && closest.why.length <= 2 ? `; closest: ${describeSent(closest.s)}: ${closest.why.join(', ')}` : '';
    const got = sent.length === 0 ? nothingSent(recent, m) : `got: ${sent.map(describeSent).join('; ')}`;
    failures.push(`expected ${describeMatcher(m)}, ${got}${hint}`);
  }
  for (const m of e.notSent ?? []) {
    const hit = sent.find((s) => messageMismatches(m, s).length === 0);
    if (hit) failures.push(`expected no ${describeMatcher(m).replace(/^an? /, '')}, but sent ${describeSent(hit)}`);
  }
  if (e.sentCount !== undefined && sent.length !== e.sentCount) {
    failures.push(`expected ${e.sentCount} message${e.sentCount === 1 ? '' : 's'} sent, ${sent.length === 0 ? nothingSent(recent) : `got ${sent.length}: ${sent.map(describeSent).join('; ')}`}`);
  }
  return failures;
}

/**
 * Whether the engine dropped the oldest entries of an instance's history (it keeps the last
 * HISTORY_LIMIT, engine/run-state.ts). A whole history opens with the `triggered by ...` note
 * `newInstance` writes (engine/start-instance.ts), the only note at no step with that text; at
 * the limit without it, older entries are gone. Shorter histories are whole whatever they open
 * with, so hand-built instances are never taken for trimmed ones.
 */
function historyTrimmed(history: readonly HistoryEntry[]): boolean {
  const first = history[0];
  return history.length >= HISTORY_LIMIT && !(first !== undefined && first.node === null && first.note.startsWith('triggered by '));
}

const describeInstance = (i: Instance) =>
  `${i.journey} for ${i.subjectId}${i.key !== undefined ? ` (key ${i.key})` : ''} (${i.status}${i.at ? ` at ${i.at}` : ''}${i.exitReason ? `, exit ${i.exitReason}` : ''})`;

/**
 * The instance an `instance:` block means: the latest started of those matching its journey and
 * subject, latest first. Instances started at the same virtual instant (the normal case: the
 * clock does not move between steps) go by `startOrder`, the one routing started last first.
 */
function pickInstance(m: Pick<InstanceMatcher, 'journey' | 'subject' | 'key'>, instances: readonly Instance[], startOrder?: ReadonlyMap<string, number>): Instance[] {
  // Ids startOrder does not know rank below those it does, in the order given (negative ranks).
  return instances
    .map((i, index) => ({ i, rank: startOrder?.get(i.id) ?? index - instances.length }))
    .filter(({ i }) => (m.journey === undefined || i.journey === m.journey) && (m.subject === undefined || i.subjectId === m.subject) && (m.key === undefined || i.key === m.key))
    .sort((a, b) => b.i.startedAt - a.i.startedAt || b.rank - a.rank)
    .map(({ i }) => i);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `visited` / `notVisited` against the steps the instance's (possibly trimmed) history names. */
function checkVisits(name: string, m: Pick<InstanceMatcher, 'visited' | 'notVisited'>, history: readonly HistoryEntry[]): string[] {
  const out: string[] = [];
  const visited = new Set(history.map((h) => h.node).filter((n): n is string => n !== null));
  const trimmed = historyTrimmed(history);
  const path = (trimmed ? '... → ' : '') + [...visited].join(' → ');
  // A step missing from a trimmed history may have been passed before the kept entries start:
  // "it did not pass through" would be a guess, so would a passing notVisited.
  const cannotTell = `its history holds only the last ${HISTORY_LIMIT} entries, so it cannot tell`;
  for (const node of m.visited ?? []) {
    if (visited.has(node)) continue;
    if (trimmed) out.push(`${name}: expected to pass through ${node}, but ${cannotTell}; its recent path was ${path}`);
    else out.push(`${name}: expected to pass through ${node}, its path was ${path || '(empty)'}`);
  }
  for (const node of m.notVisited ?? []) {
    if (visited.has(node)) out.push(`${name}: expected not to pass through ${node}, its path was ${path}`);
    else if (trimmed) out.push(`${name}: expected not to pass through ${node}, but ${cannotTell}`);
  }
  return out;
}

function checkInstance(m: InstanceMatcher, instances: readonly Instance[], startOrder?: ReadonlyMap<string, number>): string[] {
  const who = [m.journey ?? 'any journey', m.subject && `for ${m.subject}`, m.key !== undefined && `(key ${m.key})`].filter(Boolean).join(' ');
  const [inst] = pickInstance(m, instances, startOrder);
  if (!inst) {
    const all = instances.length ? `; instances: ${instances.map(describeInstance).join('; ')}` : '; no journey started';
    return [`expected an instance of ${who}, found none${all}`];
  }
  const out: string[] = [];
  const name = `instance ${inst.journey} for ${inst.subjectId}`;
  if (m.status !== undefined && inst.status !== m.status) {
    const last = inst.history.at(-1);
    out.push(`${name}: expected status ${m.status}, got ${inst.status}${inst.at ? ` at ${inst.at}` : ''}${last ? ` (last: ${last.note})` : ''}`);
  }
  if (m.at !== undefined && inst.at !== m.at) out.push(`${name}: expected to be at ${m.at ?? '(ended)'}, it is at ${inst.at ?? '(ended)'}`);
  if (m.exitReason !== undefined && inst.exitReason !== m.exitReason) {
    out.push(`${name}: expected exit reason ${m.exitReason ?? '(none)'}, got ${inst.exitReason ?? '(none)'}`);
  }
  for (const [k, v] of Object.entries(m.vars ?? {})) {
    if (!deepEqual(inst.vars[k], v)) out.push(`${name}: expected vars.${k} = ${JSON.stringify(v)}, got ${JSON.stringify(inst.vars[k]) ?? '(unset)'}`);
  }
  out.push(...checkVisits(name, m, inst.history));
  for (const text of m.history ?? []) {
    if (!inst.history.some((h) => h.note.includes(text))) {
      out.push(`${name}: expected a history note containing ${JSON.stringify(text)}; notes: ${inst.history.map((h) => JSON.stringify(h.note)).join(', ') || '(none)'}`);
    }
  }
  return out;
}

function checkArchive(m: DeliveryMatcher, archive: readonly ArchivedMessage[]): string[] {
  const candidates = archive.filter(
    (a) =>
      (m.journey === undefined || a.delivery.journey === m.journey) &&
      (m.template === undefined || a.delivery.template === m.template) &&
      (m.step === undefined || a.delivery.node === m.step) &&
      (m.subject === undefined || a.delivery.subjectId === m.subject),
  );
  const what = [m.template && `template ${m.template}`, m.step && `step ${m.step}`, m.subject && `for ${m.subject}`].filter(Boolean).join(', ') || 'any';
  if (candidates.length === 0) {
    return [`expected an archived delivery (${what}), found none; archived: ${archive.map((a) => `${a.delivery.template} (${a.delivery.status})`).join(', ') || 'nothing'}`];
  }
  const ok = candidates.find(
    (a) => (m.status === undefined || a.delivery.status === m.status) && (m.history ?? []).every((t) => a.delivery.history.some((h) => h.note.includes(t))),
  );
  if (ok) return [];
  const a = candidates.at(-1)!;
  const notes = a.delivery.history.map((h) => JSON.stringify(h.note)).join(', ') || '(none)';
  const wanted = [m.status && `status ${m.status}`, ...(m.history ?? []).map((t) => `a note containing ${JSON.stringify(t)}`)].filter(Boolean).join(' and ');
  return [`expected an archived delivery (${what}) with ${wanted}; it is ${a.delivery.status}, notes: ${notes}`];
}

export function checkExpectation(e: Expectation, observed: Observed): string[] {
  const failures = checkSent(e, observed.sent, observed.recent ?? []);
  if (e.instance) failures.push(...checkInstance(e.instance, observed.instances, observed.startOrder));
  if (e.noInstance) {
    const found = pickInstance(e.noInstance, observed.instances);
    const n = e.noInstance;
    if (found.length) failures.push(`expected no instance of ${n.journey ?? 'any journey'}${n.subject ? ` for ${n.subject}` : ''}${n.key !== undefined ? ` (key ${n.key})` : ''}, found ${found.map(describeInstance).join('; ')}`);
  }
  for (const m of e.archive ?? []) failures.push(...checkArchive(m, observed.archive));
  return failures;
}
