/**
 * Runs one journey test: a fresh Herald per test (the real orchestrator, engine, delivery
 * policy, worker pool and template rendering, on an in-memory embedded driver) with a virtual
 * clock, the project's channels swapped for the capture channel and its sources for fixtures.
 * A seven-day wait takes milliseconds: `advance` moves the clock from one due job to the next.
 *
 * What was sent is read from the archive (every attempt with its content and the channel's
 * answer), so a test checks the record an operator would search, too.
 */
import type { CaptureOutcome, GraphIR, JourneyTest, ReceiptStep, StepLocation, StopStep, TestStep } from '@herald/dsl';
import type { PluginLogger } from '@herald/plugin-sdk';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import type { ArchivedMessage, AttemptRecord } from '../driver/driver.js';
import type { Delivery } from '../delivery/types.js';
import type { Instance } from '../engine/types.js';
import { createRuntime, type Runtime } from '../orchestrator/create-runtime.js';
import { createVirtualClock } from '../orchestrator/virtual-clock.js';
import { checkExpectation, type SentMessage } from './check-expectation.js';
import { withTestPlugins } from './test-plugins.js';

export interface TestFailure {
  /** Where in the test file, when a step failed. */
  readonly at?: StepLocation;
  /** `expect (after 7d)` */
  readonly step?: string;
  readonly messages: readonly string[];
}

export interface TestResult {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly ok: boolean;
  readonly failure?: TestFailure;
  readonly durationMs: number;
}

export interface RunTestOptions {
  readonly projectRoot: string;
  readonly log?: PluginLogger;
}

function outcomeOf(result: unknown): CaptureOutcome {
  const r = result as { status?: string; retryable?: boolean; bounced?: boolean };
  if (r.status === 'delivered' || r.status === 'accepted') return r.status;
  if (r.bounced) return 'bounced';
  return r.retryable ? 'failed' : 'rejected';
}

/** Every attempt in the archive as a send, oldest first. */
export function sendsFromArchive(archive: readonly ArchivedMessage[]): (SentMessage & { readonly key: string })[] {
  const out: (SentMessage & { key: string })[] = [];
  for (const m of archive) {
    const d = m.delivery;
    for (const a of m.attempts as readonly AttemptRecord[]) {
      const content = m.contents.find((c) => c.channel === a.channel);
      out.push({
        key: `${d.id}|${a.channel}|${a.attempt}|${a.idempotencyKey}`,
        journey: d.journey,
        channel: a.channel,
        template: d.template,
        step: d.node,
        subject: d.subjectId,
        to: content?.to ?? '(not rendered)',
        locale: content?.locale ?? '',
        content: content?.fields ?? {},
        at: a.at,
        outcome: outcomeOf(a.result),
      });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

async function allArchived(runtime: Runtime): Promise<ArchivedMessage[]> {
  const items: ArchivedMessage[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: ArchivedMessage[]; cursor: string | null } = await runtime.searchArchive({ limit: 500, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

async function allInstances(runtime: Runtime, graph: GraphIR): Promise<Instance[]> {
  const lists = await Promise.all(graph.journeys.map((j) => runtime.findInstances({ journey: j.id })));
  return lists.flat();
}

function describeStep(step: TestStep, elapsedMs: number): string {
  const after = elapsedMs === 0 ? '' : ` (at +${formatElapsed(elapsedMs)})`;
  switch (step.kind) {
    case 'event':
      return `event ${step.type}${after}`;
    case 'events':
      return `events ${step.events.map((e) => e.type).join(', ')}${after}`;
    case 'advance':
      return `advance ${step.text}`;
    case 'advanceTo':
      return `advance to ${step.text}`;
    case 'subject':
      return `subject ${step.profile.id}${after}`;
    case 'receipt':
      return `receipt ${step.channel} ${step.status}${after}`;
    case 'stop':
      return `stop ${step.journey}${step.subject === undefined ? '' : ` for ${step.subject}`}${after}`;
    case 'expect':
      return `expect${after}`;
  }
}

function formatElapsed(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`, sec && `${sec}s`, rest && `${rest}ms`].filter(Boolean).join('') || '0ms';
}

/** A message awaiting a receipt, with what a `receipt` step can pick it by. */
interface Awaiting {
  readonly delivery: Delivery;
  readonly to: string | undefined;
  readonly key: string | undefined;
}

/**
 * Applies a `receipt` step to the one message it picks: awaiting a receipt on its channel, and
 * matching each of its `subject`, `template`, `journey`, `step`, `key`, `to`. None, or several,
 * is the test's mistake, said so with the messages that do await one.
 */
/**
 * Applies a `stop` step to the one active instance it names (journey, and subject and key when
 * given), as an operator's `POST /instances/:id/stop` does. None, or several, is the test's
 * mistake, said so with the active instances there are.
 */
async function applyStop(runtime: Runtime, step: StopStep): Promise<string | undefined> {
  const active = (await runtime.findInstances({ journey: step.journey, status: 'active', ...(step.subject === undefined ? {} : { subjectId: step.subject }) })).filter(
    (i) => step.key === undefined || i.key === step.key,
  );
  const named = `${step.journey}${step.subject === undefined ? '' : ` for ${step.subject}`}${step.key === undefined ? '' : ` with key ${step.key}`}`;
  if (active.length !== 1) {
    const all = await runtime.findInstances({ journey: step.journey, status: 'active' });
    const listed = all.map((i) => `${i.subjectId}${i.key === undefined ? '' : ` (key ${i.key})`} at ${i.at}`).join(', ') || 'none';
    return active.length === 0
      ? `no active instance of ${named} to stop; active instances of ${step.journey}: ${listed}`
      : `${active.length} active instances of ${named}: name the subject or key of the one to stop (${listed})`;
  }
  const stopped = await runtime.stopInstance(active[0]!.id, step.reason);
  return stopped.kind === 'stopped' ? undefined : `could not stop ${active[0]!.id}: ${stopped.kind}`;
}

async function applyReceipt(runtime: Runtime, step: ReceiptStep): Promise<string | undefined> {
  const awaiting: Awaiting[] = [];
  for (let cursor: string | null | undefined; cursor !== null; ) {
    const page = await runtime.searchArchive({ status: 'awaiting-receipt', channel: step.channel, limit: 500, ...(cursor ? { cursor } : {}) });
    for (const m of page.items) {
      const key = (await runtime.getInstance(m.delivery.instanceId))?.key;
      awaiting.push({ delivery: m.delivery, to: m.contents.findLast((c) => c.channel === step.channel)?.to, key });
    }
    cursor = page.cursor;
  }
  // Oldest first, as they were sent: the search pages newest first.
  awaiting.sort((a, b) => a.delivery.createdAt - b.delivery.createdAt || (a.delivery.id < b.delivery.id ? -1 : 1));
  const { subject, template, journey, step: node, key, to } = step.pick;
  const picked = awaiting.filter(
    (a) =>
      (subject === undefined || a.delivery.subjectId === subject) &&
      (template === undefined || a.delivery.template === template) &&
      (journey === undefined || a.delivery.journey === journey) &&
      (node === undefined || a.delivery.node === node) &&
      (key === undefined || a.key === key) &&
      (to === undefined || a.to === to),
  );
  const which = Object.entries(step.pick)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const describe = (a: Awaiting) =>
    `${a.delivery.template} to ${a.delivery.subjectId} (${[`${a.delivery.journey}/${a.delivery.node}`, a.key !== undefined && `key ${a.key}`, a.to !== undefined && `to ${a.to}`].filter(Boolean).join(', ')})`;
  if (picked.length === 0) {
    const others = awaiting.length === 0 ? 'none does' : `those that do: ${awaiting.map(describe).join('; ')}`;
    const gone = await noLongerAwaiting(runtime, step);
    const since = gone.length === 0 ? '' : `; ${gone.join('; ')}`;
    return `no message ${which ? `(${which}) ` : ''}awaits a receipt on ${step.channel} (${others})${since}; a message awaits one when its channel answered accepted (outcomes:) and its delivery timeout has not passed`;
  }
  if (picked.length > 1) {
    return `${picked.length} messages ${which ? `(${which}) ` : ''}await a receipt on ${step.channel}: ${picked.map(describe).join('; ')}; pick one with subject:, template:, journey:, step:, key: or to:`;
  }
  const d = picked[0]!.delivery;
  await runtime.receipt(d.providerMessageId!, step.status, step.reason);
  return undefined;
}

/**
 * The messages the step could have meant that no longer await a receipt: their channel answered
 * `accepted`, and then the delivery timeout, another receipt or a failover moved them on. Said
 * with the last decision, so a test that advanced past the timeout learns why.
 */
async function noLongerAwaiting(runtime: Runtime, step: ReceiptStep): Promise<string[]> {
  const out: string[] = [];
  const { subject, template, journey, step: node } = step.pick;
  for (let cursor: string | null | undefined; cursor !== null; ) {
    const page = await runtime.searchArchive({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const { delivery: d, attempts } of page.items) {
      if (d.status === 'awaiting-receipt') continue;
      if (!attempts.some((a) => a.channel === step.channel && (a.result as { status?: unknown } | null)?.status === 'accepted')) continue;
      if ((subject !== undefined && d.subjectId !== subject) || (template !== undefined && d.template !== template)) continue;
      if ((journey !== undefined && d.journey !== journey) || (node !== undefined && d.node !== node)) continue;
      // The decision that gave this channel up (a timeout, a bounce) says why; else the last one.
      const why = d.history.findLast((h) => h.channel === step.channel && h.outcome !== undefined) ?? d.history.at(-1);
      out.push(`${d.template} to ${d.subjectId} awaited one and no longer does (${why?.note ?? 'no decision recorded'}; now ${d.status})`);
    }
    cursor = page.cursor;
  }
  return out;
}

export async function runJourneyTest(ir: GraphIR, test: JourneyTest, options: RunTestOptions): Promise<TestResult> {
  const started = performance.now();
  const result = (failure?: TestFailure): TestResult => ({
    name: test.name,
    file: test.file,
    line: test.line,
    ok: failure === undefined,
    ...(failure ? { failure } : {}),
    durationMs: Math.round(performance.now() - started),
  });

  const { graph, problems } = withTestPlugins(ir, test);
  if (problems.length > 0) return result({ messages: problems });

  const clock = createVirtualClock(test.start);
  // The order routing starts instances in: which of those started at one virtual instant is the latest.
  const startOrder = new Map<string, number>();
  const runtime = createRuntime({
    driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }),
    graph,
    projectRoot: options.projectRoot,
    clock,
    // On this thread: a worker thread per test's runtime cost ~150 ms of each test's ~160.
    pool: { inProcess: true, logLevel: 'silent' },
    ...(options.log ? { log: options.log } : {}),
    // Told again when a routing runs again: the first telling is when it started.
    onRouted: (d) => {
      if (d.kind === 'started' && !startOrder.has(d.instanceId)) startOrder.set(d.instanceId, startOrder.size);
    },
  });
  try {
    await runtime.start();
  } catch (error) {
    return result({ messages: [`Herald could not start for this test: ${(error as Error).message}`] });
  }
  const seen = new Set<string>();
  // Each delivery's history length at the previous expect: a longer one was decided on since.
  const decided = new Map<string, number>();
  try {
    for (const s of test.subjects) await runtime.putSubject({ ...s, id: s.id });
    for (const step of test.steps) {
      const where = { at: step.loc, step: describeStep(step, clock.now() - test.start) };
      switch (step.kind) {
        case 'event': {
          const res = await runtime.ingest({ type: step.type, data: step.data, ...(step.id ? { id: step.id } : {}) });
          if (step.rejected) {
            const paths = res.ok ? [] : res.errors.map((e) => e.path);
            const missing = step.rejected.filter((p) => !paths.includes(p));
            if (res.ok || missing.length > 0) {
              const got = res.ok ? 'it was accepted' : `it was refused at ${paths.join(', ')}`;
              return result({ ...where, messages: [`expected the ${step.type} event to be refused at ${step.rejected.join(', ')}, ${got}`] });
            }
          } else if (!res.ok) {
            return result({ ...where, messages: [`the ${step.type} event was refused: ${res.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`] });
          }
          await runtime.runUntilIdle(clock.now());
          break;
        }
        case 'events': {
          // One after another, nothing run in between: each event finds the state the ones before it left.
          for (const [i, e] of step.events.entries()) {
            const res = await runtime.ingest({ type: e.type, data: e.data, ...(e.id ? { id: e.id } : {}) });
            if (!res.ok) {
              return result({ ...where, messages: [`event ${i + 1} (${e.type}) was refused: ${res.errors.map((x) => `${x.path} ${x.message}`).join('; ')}`] });
            }
          }
          await runtime.runUntilIdle(clock.now());
          break;
        }
        case 'subject':
          await runtime.putSubject(step.profile);
          await runtime.runUntilIdle(clock.now());
          break;
        case 'stop': {
          const problem = await applyStop(runtime, step);
          if (problem !== undefined) return result({ ...where, messages: [problem] });
          await runtime.runUntilIdle(clock.now());
          break;
        }
        case 'receipt': {
          const problem = await applyReceipt(runtime, step);
          if (problem !== undefined) return result({ ...where, messages: [problem] });
          await runtime.runUntilIdle(clock.now());
          break;
        }
        case 'advance':
        case 'advanceTo': {
          const target = step.kind === 'advance' ? clock.now() + step.ms : step.at;
          if (target < clock.now()) return result({ ...where, messages: [`cannot go back in time to ${new Date(target).toISOString()}`] });
          await runtime.runUntilIdle(target);
          clock.set(target);
          await runtime.runUntilIdle(target);
          break;
        }
        case 'expect': {
          const archive = await allArchived(runtime);
          const sent = sendsFromArchive(archive).filter((s) => !seen.has(s.key));
          for (const s of sent) seen.add(s.key);
          const recent = archive.map((a) => a.delivery).filter((d) => d.status === 'deferred' || d.history.length !== decided.get(d.id));
          for (const a of archive) decided.set(a.delivery.id, a.delivery.history.length);
          const failures = checkExpectation(step.expect, { sent, instances: await allInstances(runtime, graph), archive, recent, startOrder });
          if (failures.length > 0) return result({ ...where, messages: failures });
          break;
        }
      }
    }
    return result();
  } catch (error) {
    return result({ messages: [`the test run failed: ${(error as Error).stack ?? String(error)}`] });
  } finally {
    await runtime.stop();
  }
}
