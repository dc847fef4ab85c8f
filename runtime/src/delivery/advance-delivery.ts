/**
 * The delivery state machine: one `send` carried through its channel policy. Pure: values in
 * (policy, environment, delivery, input), values out (next delivery, effects); every decision
 * is a human sentence in `history`.
 *
 * start    dedupe -> frequency cap -> channel order (preference) -> consent, address and
 *          template variant per channel -> quiet hours -> attempt on the first channel.
 * result   delivered: done. accepted: wait for a receipt (and the delivery
 *          timeout). failed retryable with attempts left: back off, then try the same channel
 *          again (same idempotency key). Otherwise the outcome (failed, bounced) fails over to
 *          the next channel when `failover.on` lists it, else the delivery fails.
 * receipt  for the accepted message: delivered / bounced / failed, as above.
 * timer    quiet hours or backoff over: the next attempt; delivery timeout: `timeout`
 *          fails over when listed in `failover.on`.
 * cancel   its instance was stopped: a message waiting to start or deferred is skipped.
 *
 * Quiet hours are checked before every attempt (first, retry, failover): a retry that would
 * land at 21:05 waits for the morning like the first attempt would. So are consent and the
 * subject's addresses: an opt-out while a message waits holds for it.
 * A frequency cap that is reached skips the message (it is not queued for later): a capped
 * reminder delivered days late, after the customer acted, does more harm than one not sent.
 * A message counts toward the cap, and holds its dedupe key, from its start (`count-sent`,
 * guarded: the store refuses it when the cap or key was taken meanwhile); one that fails in
 * the end gives both back (`uncount-sent`).
 * A message quiet hours deferred is checked against the cap again when they end (the handler
 * reads the other messages counted in the window, `capRecheckSince`, onto the timer input):
 * when they take the cap it waits, deferred again, until the window has room; when it goes
 * out, its count moves to that moment (`uncount-sent` then `count-sent`, guarded), so the next
 * one waiting is spaced after it rather than all going out together when quiet hours end.
 *
 * Inputs that do not fit the state (a result for another channel or attempt, a receipt for
 * another provider id, an unknown timer, a second start) return the delivery unchanged and no
 * effects, so a driver may deliver any input twice.
 */
import type { GraphIR, PolicyIR } from '@herald/dsl';
import { formatDuration } from '@herald/dsl';
import type { SubjectProfile } from '../engine/types.js';
import { backoffDelay } from './backoff.js';
import { checkConsent, type ConsentContext } from './check-consent.js';
import { formatClock, isValidTimeZone, localTimeOfDay, quietHoursEnd } from './quiet-hours.js';
import { resolveChannelOrder } from './resolve-channel-order.js';
import type { CapFacts, Delivery, DeliveryAdvance, DeliveryDecision, DeliveryEffect, DeliveryFacts, DeliveryInput, SentGuard } from './types.js';

export interface DeliveryEnv {
  /** channel name -> message kind (GraphIR `channels[name].message`). */
  readonly channelKinds: Readonly<Record<string, string>>;
  /** Message kinds the delivery's template has variants for (`any` channels take any of them). */
  readonly templateKinds: ReadonlySet<string>;
  /** With project defaults filled in (engine/subject-defaults.ts). */
  readonly subject: SubjectProfile;
  /** Epoch ms. */
  readonly now: number;
}

/** The environment for one delivery from the graph it runs on. */
export function deliveryEnv(ir: GraphIR, template: string, subject: SubjectProfile, now: number): DeliveryEnv {
  const channelKinds: Record<string, string> = {};
  for (const [name, c] of Object.entries(ir.channels)) channelKinds[name] = c.message;
  return { channelKinds, templateKinds: new Set(Object.keys(ir.templates[template]?.variants ?? {})), subject, now };
}

type Outcome = 'failed' | 'bounced' | 'timeout';
type Draft = { -readonly [K in keyof Delivery]: Delivery[K] };

interface Step {
  readonly policy: PolicyIR;
  readonly env: DeliveryEnv;
  readonly d: Draft;
  readonly effects: DeliveryEffect[];
  readonly notes: DeliveryDecision[];
  /** Set when a deferred message resumed with the cap checked again: its count moves to its attempt, guarded from then. */
  recountSince?: number;
}

const NO_EFFECTS: readonly DeliveryEffect[] = Object.freeze([]);

export function advanceDelivery(policy: PolicyIR, env: DeliveryEnv, delivery: Delivery, input: DeliveryInput): DeliveryAdvance {
  const s: Step = { policy, env, d: { ...delivery }, effects: [], notes: [] };
  if (!apply(s, input)) return { delivery, effects: NO_EFFECTS };
  // updatedAt is the driver's optimistic-concurrency token: it must change on every write,
  // even when two writes fall in the same millisecond (a virtual clock does not move at all).
  s.d.updatedAt = Math.max(env.now, delivery.updatedAt + 1);
  s.d.history = [...delivery.history, ...s.notes];
  return { delivery: s.d, effects: s.effects };
}

/** false: the input does not apply to this state. */
function apply(s: Step, input: DeliveryInput): boolean {
  const d = s.d;
  switch (input.kind) {
    case 'start':
      if (d.status !== 'pending') return false;
      start(s, input.facts);
      return true;
    case 'result': {
      if (d.status !== 'attempting' || input.channel !== current(s) || input.attempt !== d.attempt) return false;
      onResult(s, input.result);
      return true;
    }
    case 'receipt':
      if (d.status !== 'awaiting-receipt' || d.providerMessageId === null || input.providerMessageId !== d.providerMessageId) return false;
      onReceipt(s, input.outcome, input.reason);
      return true;
    case 'timer':
      if (d.timerId === null || input.timerId !== d.timerId) return false;
      if (d.status === 'deferred') {
        if (input.cap !== undefined && s.policy.frequencyCap && resumesFromHold(d)) {
          if (deferForCap(s, input.cap)) return true;
          s.recountSince = input.cap.since;
        }
        d.timerId = null;
        prepareAttempt(s, d.channelIndex, d.attempt + 1);
        return true;
      }
      if (d.status === 'awaiting-receipt') {
        onDeliveryTimeout(s);
        return true;
      }
      return false;
    case 'cancel':
      // Waiting to start, or deferred (quiet hours, a cap, a retry's backoff): no provider call is
      // under way. An attempt in flight, or a message a provider accepted, runs its course.
      if (d.status !== 'pending' && d.status !== 'deferred') return false;
      if (d.timerId !== null) s.effects.push({ kind: 'cancel', timerId: d.timerId });
      skip(s, `cancelled, ${input.reason}`);
      giveBackCount(s);
      return true;
    default:
      throw new Error(`unknown delivery input ${JSON.stringify(input satisfies never)}`);
  }
}

/**
 * For the handler: the start of the frequency-cap window to read the other messages counted
 * in (`CapFacts`) when `input` resumes a message deferred by quiet hours (or by the cap) under
 * a policy with a cap; null when the input needs no such facts.
 */
export function capRecheckSince(policy: PolicyIR, delivery: Delivery, input: DeliveryInput, now: number): number | null {
  const cap = policy.frequencyCap;
  if (!cap || input.kind !== 'timer' || delivery.status !== 'deferred' || input.timerId !== delivery.timerId || !resumesFromHold(delivery)) return null;
  return now - cap.perMs;
}

/** The delivery waits on a quiet-hours or frequency-cap timer (not a retry's backoff). */
function resumesFromHold(d: Delivery): boolean {
  return d.timerId !== null && (d.timerId.startsWith(`${d.id}:quiet:`) || d.timerId.startsWith(`${d.id}:cap:`));
}

/**
 * A deferred message resumes: when the other messages counted in the window take the cap, it
 * waits again until the window has room — the oldest of them leaves it `per` after it was
 * counted (the window includes its edge, so 1 ms later). true: deferred again.
 */
function deferForCap(s: Step, facts: CapFacts): boolean {
  const { env, d } = s;
  const cap = s.policy.frequencyCap!;
  const counted = facts.counted; // since `facts.since`, oldest first (CapFacts)
  if (counted.length < cap.max) return false;
  const oldest = counted[Math.max(0, counted.length - cap.max)]!;
  const at = Math.max(oldest + cap.perMs + 1, env.now + 1);
  const channel = current(s);
  d.timerId = `${d.id}:cap:${d.channelIndex}:${d.attempt + 1}:${at}`;
  s.effects.push({ kind: 'schedule', timerId: d.timerId, at });
  note(s, `frequency cap: ${cap.max} per ${formatDuration(cap.perMs)} taken; deferred until ${describeLocal(at, env.now, d.timezone ?? 'UTC')}`, channel);
  return true;
}

/** `HH:MM <zone>`, with the date (`YYYY-MM-DD HH:MM <zone>`) when it is not `now`'s day there. */
function describeLocal(at: number, now: number, zone: string): string {
  const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
  const date = day(at) === day(now) ? '' : `${day(at)} `;
  return `${date}${formatClock(localTimeOfDay(at, zone))} ${zone}`;
}

function start(s: Step, facts: DeliveryFacts): void {
  const { policy, env, d } = s;
  d.dedupeKey = facts.dedupeKey;
  d.timezone = timeZone(s, facts.timezone);
  if (facts.duplicate) {
    const window = policy.dedupe ? ` within ${formatDuration(policy.dedupe.windowMs)}` : '';
    return skip(s, `deduplicated: key ${facts.dedupeKey ?? '(none)'} sent${window}`);
  }
  const cap = policy.frequencyCap;
  if (cap && facts.sentInCapWindow >= cap.max) {
    return skip(s, `frequency cap: ${cap.max} per ${formatDuration(cap.perMs)} reached`);
  }
  const order = resolveChannelOrder(policy.channels, facts.order);
  const consent = checkConsent(order, consentContext(s));
  if (consent.eligible.length === 0) {
    const why = consent.skipped.map((k) => `${k.channel} ${k.reason}`).join(', ');
    return skip(s, `no channel: ${why || 'the policy lists none'}`);
  }
  for (const k of consent.skipped) note(s, `${k.channel} skipped: ${k.reason}`, k.channel);
  d.channels = consent.eligible;
  if (order.join() !== policy.channels.join()) note(s, `channel order: ${consent.eligible.join(', ')}`);
  // capSince and dedupeSince are null when the policy has no cap or no dedupe (evaluate-policy.ts).
  const guard = cap || facts.dedupeSince !== null ? { capMax: cap?.max ?? null, capSince: facts.capSince, dedupeSince: facts.dedupeSince } : null;
  count(s, guard);
  prepareAttempt(s, 0, 1);
}

/** The zone quiet hours use: the evaluated one, else the subject's, else UTC (with a note saying so). */
function timeZone(s: Step, evaluated: string): string {
  if (isValidTimeZone(evaluated)) return evaluated;
  const fallback = s.env.subject.timezone !== undefined && isValidTimeZone(s.env.subject.timezone) ? s.env.subject.timezone : 'UTC';
  if (s.policy.quietHours) note(s, `unknown time zone ${JSON.stringify(evaluated)}: quiet hours in ${fallback}`);
  return fallback;
}

function skip(s: Step, why: string): void {
  s.d.status = 'skipped';
  s.d.timerId = null;
  note(s, `skipped: ${why}`);
}

/**
 * Attempt `attempt` on channel `index` now, or defer it to the end of quiet hours. The subject's
 * consent and addresses are checked again first (from the profile as it is now): an opt-out
 * while the message waited for the morning or a retry, or before it failed over, holds.
 */
function prepareAttempt(s: Step, index: number, attempt: number): void {
  const { policy, env, d } = s;
  const allowed = nextAllowed(s, index);
  if (allowed === null) return withdraw(s, index === 0 && attempt === 1);
  if (allowed !== index) attempt = 1;
  d.channelIndex = allowed;
  const channel = d.channels[allowed]!;
  const qh = policy.quietHours;
  const zone = d.timezone ?? 'UTC';
  const end = qh ? quietHoursEnd(env.now, qh, zone) : null;
  if (qh && end !== null) {
    d.status = 'deferred';
    d.attempt = attempt - 1; // the timer resumes with attempt + 1
    d.timerId = `${d.id}:quiet:${allowed}:${attempt}`;
    s.effects.push({ kind: 'schedule', timerId: d.timerId, at: end });
    note(s, `deferred: quiet hours until ${qh.to} ${zone}`, channel);
    return;
  }
  d.status = 'attempting';
  d.attempt = attempt;
  d.timerId = null;
  if (s.recountSince !== undefined && d.counted === true) {
    // Checked against the cap again as it resumed: it counts from now, so the next one waiting
    // is spaced after it. Guarded like a start's count (its own count, moved, left out).
    s.effects.push({ kind: 'uncount-sent', deliveryId: d.id });
    count(s, { capMax: policy.frequencyCap?.max ?? null, capSince: s.recountSince, dedupeSince: null });
  }
  s.effects.push({ kind: 'attempt', deliveryId: d.id, channel, attempt, idempotencyKey: `${d.id}:${channel}` });
  note(s, `${channel} attempt ${attempt}`, channel);
}

/** What consent is decided on: the category, and the subject's profile as the step sees it now. */
function consentContext(s: Step): ConsentContext {
  return { category: s.d.category, subject: s.env.subject, channelKinds: s.env.channelKinds, templateKinds: s.env.templateKinds };
}

/** The first channel from `index` on that the subject allows now, each one passed over noted; null when none is left. */
function nextAllowed(s: Step, index: number): number | null {
  const { skipped } = checkConsent(s.d.channels.slice(index), consentContext(s));
  const why = new Map(skipped.map((k) => [k.channel, k.reason]));
  for (let i = index; i < s.d.channels.length; i++) {
    const channel = s.d.channels[i]!;
    const reason = why.get(channel);
    if (reason === undefined) return i;
    note(s, `${channel} skipped: ${reason}`, channel);
  }
  return null;
}

/**
 * No channel the subject allows is left. Before anything was tried the message is skipped, as
 * at its start; after attempts it failed. Either way its count toward the cap is given back.
 */
function withdraw(s: Step, nothingTried: boolean): void {
  if (!nothingTried) {
    fail(s);
    return note(s, 'no channel left that the subject allows → failed');
  }
  s.d.status = 'skipped';
  s.d.timerId = null;
  giveBackCount(s);
  note(s, 'skipped: no channel left that the subject allows');
}

function onResult(s: Step, result: Extract<DeliveryInput, { kind: 'result' }>['result']): void {
  const { policy, env, d } = s;
  const channel = current(s);
  switch (result.status) {
    case 'delivered':
      d.providerMessageId = result.receipt.providerMessageId ?? null;
      return delivered(s, `${channel} delivered`);
    case 'accepted': {
      d.status = 'awaiting-receipt';
      d.providerMessageId = result.receipt.providerMessageId;
      const timeout = policy.failover.deliveryTimeoutMs;
      if (timeout === null) {
        d.timerId = null;
        return note(s, `${channel} accepted (${d.providerMessageId}), waiting for a receipt`, channel);
      }
      d.timerId = `${d.id}:timeout:${d.channelIndex}:${d.attempt}`;
      s.effects.push({ kind: 'schedule', timerId: d.timerId, at: env.now + timeout });
      return note(s, `${channel} accepted (${d.providerMessageId}), waiting up to ${formatDuration(timeout)} for a receipt`, channel);
    }
    case 'failed': {
      if (result.retryable && d.attempt < policy.retry.attempts) {
        const delay = backoffDelay(policy.retry, d.attempt, result.retryAfterMs);
        d.status = 'deferred';
        d.timerId = `${d.id}:retry:${d.channelIndex}:${d.attempt + 1}`;
        s.effects.push({ kind: 'schedule', timerId: d.timerId, at: env.now + delay });
        return note(s, `${channel} attempt ${d.attempt + 1} in ${formatDuration(delay)} after: ${result.reason}`, channel);
      }
      if (result.retryable) return failover(s, 'failed', `failed ${d.attempt} ${d.attempt === 1 ? 'time' : 'times'} (last: ${result.reason})`);
      if (result.bounced) return failover(s, 'bounced', `bounced (${result.reason})`);
      return failover(s, 'failed', `failed permanently (${result.reason})`);
    }
    default:
      throw new Error(`unknown delivery result ${JSON.stringify(result satisfies never)}`);
  }
}

function onReceipt(s: Step, outcome: 'delivered' | 'bounced' | 'failed', reason: string | undefined): void {
  const d = s.d;
  if (d.timerId !== null) s.effects.push({ kind: 'cancel', timerId: d.timerId });
  d.timerId = null;
  const channel = current(s);
  const why = reason ? ` (${reason})` : '';
  switch (outcome) {
    case 'delivered':
      return delivered(s, `${channel} delivered (receipt)`);
    case 'bounced':
      return failover(s, 'bounced', `bounced${why}`);
    case 'failed':
      // A provider that accepted and then reports failure has given up itself: no retry.
      return failover(s, 'failed', `failed after acceptance${why}`);
    default:
      throw new Error(`unknown receipt outcome ${JSON.stringify(outcome satisfies never)}`);
  }
}

function onDeliveryTimeout(s: Step): void {
  const { policy, d } = s;
  d.timerId = null;
  const timeout = formatDuration(policy.failover.deliveryTimeoutMs ?? 0);
  if (!policy.failover.on.includes('timeout')) {
    // Without failover on timeout, the accepted message may still arrive: keep listening for its receipt.
    return note(s, `${current(s)}: no receipt within ${timeout}; timeout is not in failover.on, still waiting for a receipt`, current(s));
  }
  failover(s, 'timeout', `got no receipt within ${timeout}`);
}

function delivered(s: Step, text: string): void {
  const d = s.d;
  d.status = 'delivered';
  d.timerId = null;
  // Started by a Herald that counted at delivery: it counts now.
  if (d.counted === undefined) count(s, null);
  note(s, text, current(s));
}

function count(s: Step, guard: SentGuard | null): void {
  const d = s.d;
  d.counted = true;
  s.effects.push({ kind: 'count-sent', deliveryId: d.id, subjectId: d.subjectId, category: d.category, dedupeKey: d.dedupeKey ?? null, at: s.env.now, guard });
}

/** The delivery failed for good: its count toward the cap and its dedupe key are given back. */
function fail(s: Step): void {
  s.d.status = 'failed';
  s.d.timerId = null;
  giveBackCount(s);
}

function giveBackCount(s: Step): void {
  const d = s.d;
  if (d.counted === true) {
    d.counted = false;
    s.effects.push({ kind: 'uncount-sent', deliveryId: d.id });
  }
}

/** The current channel gave `outcome`: the next channel when the policy fails over on it, else the delivery fails. */
function failover(s: Step, outcome: Outcome, what: string): void {
  const d = s.d;
  const channel = current(s);
  d.providerMessageId = null;
  if (!s.policy.failover.on.includes(outcome)) {
    fail(s);
    return note(s, `${channel} ${what}; no failover on ${outcome} → failed`, channel, outcome);
  }
  const next = d.channelIndex + 1;
  if (next >= d.channels.length) {
    fail(s);
    return note(s, `${channel} ${what}; no channel left → failed`, channel, outcome);
  }
  note(s, `${channel} ${what} → failover to ${d.channels[next]}`, channel, outcome);
  prepareAttempt(s, next, 1);
}

function current(s: Step): string {
  return s.d.channels[s.d.channelIndex] ?? '';
}

function note(s: Step, text: string, channel?: string, outcome?: Outcome): void {
  s.notes.push({ at: s.env.now, note: text, ...(channel === undefined ? {} : { channel }), ...(outcome === undefined ? {} : { outcome }) });
}
