/**
 * How many small units of work per second the embedded driver commits, and how fast jobs
 * go through reserve → commit(ack + next job). Not a test: run it by hand.
 *
 *   node --import ./test/conformance/support/register-ts.mjs test/conformance/measure-embedded-throughput.ts [units]
 *
 * The units are shaped like the runtime's hot path: an instance advanced under optimistic
 * concurrency, the job that carried the input acked, the next job enqueued; and a delivery
 * created with its archived content and counted as sent. Each phase runs twice: one commit
 * at a time (a caller awaiting each), and a reserved batch of 256 jobs in flight together
 * (the runtime's scheduler), which group commit turns into a few transactions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnitOfWork } from '../../runtime/src/driver/driver.js';
import { createEmbeddedDriver } from '../../runtime/src/driver/embedded/index.js';
import { makeDelivery, makeInstance } from './fixtures.js';

const UNITS = Number(process.argv[2] ?? 50_000);
const T0 = 1_700_000_000_000;

async function measure(label: string, path: string, inFlight: number): Promise<void> {
  const driver = createEmbeddedDriver({ path, clock: () => T0 });
  await driver.open();

  // 1. Start: create an instance and enqueue its first job.
  const all = async (units: UnitOfWork[]): Promise<void> => {
    for (let k = 0; k < units.length; k += inFlight) {
      for (const outcome of await Promise.all(units.slice(k, k + inFlight).map((u) => driver.commit(u)))) {
        if (!outcome.ok) throw new Error(outcome.conflict);
      }
    }
  };

  let t = performance.now();
  for (let k = 0; k < UNITS; k += 256) {
    const units: UnitOfWork[] = [];
    for (let i = k; i < Math.min(UNITS, k + 256); i++) {
      const instance = makeInstance({ id: `i${i}`, subjectId: `s${i % 5000}`, seq: 1 });
      units.push({
        instances: [{ instance, expectedSeq: null }],
        enqueue: [{ id: `start:${i}`, job: { kind: 'instance', instanceId: instance.id, input: { kind: 'start' } }, runAt: T0 }],
      });
    }
    await all(units);
  }
  const startRate = UNITS / ((performance.now() - t) / 1000);

  // 2. Advance: reserve a batch, then per job advance the instance, ack, enqueue a delivery job.
  t = performance.now();
  let advanced = 0;
  for (;;) {
    const jobs = await driver.reserve(256, T0, 30_000);
    if (jobs.length === 0) break;
    const units: UnitOfWork[] = [];
    for (const queued of jobs) {
      if (queued.job.kind !== 'instance') continue;
      const i = Number(queued.job.instanceId.slice(1));
      units.push({
        instances: [{ instance: makeInstance({ id: `i${i}`, subjectId: `s${i % 5000}`, seq: 2 }), expectedSeq: 1 }],
        deliveries: [{ delivery: makeDelivery({ id: `d${i}`, instanceId: `i${i}`, subjectId: `s${i % 5000}`, createdAt: T0 + i }), expectedUpdatedAt: null }],
        ack: [queued.id],
        enqueue: [{ id: `deliver:${i}`, job: { kind: 'delivery', deliveryId: `d${i}`, input: { kind: 'timer', timerId: 'x' } }, runAt: T0 + 1 }],
      });
    }
    await all(units);
    advanced += units.length;
  }
  const advanceRate = advanced / ((performance.now() - t) / 1000);

  // 3. Deliver: reserve, mark sent with archived content and attempt, count, ack.
  t = performance.now();
  let delivered = 0;
  for (;;) {
    const jobs = await driver.reserve(256, T0 + 1, 30_000);
    if (jobs.length === 0) break;
    const units: UnitOfWork[] = [];
    for (const queued of jobs) {
      if (queued.job.kind !== 'delivery') continue;
      const id = queued.job.deliveryId;
      const i = Number(id.slice(1));
      units.push({
        deliveries: [
          {
            delivery: makeDelivery({ id, instanceId: `i${i}`, subjectId: `s${i % 5000}`, createdAt: T0 + i, updatedAt: T0 + 1, status: 'delivered' }),
            expectedUpdatedAt: T0 + i,
          },
        ],
        ack: [queued.id],
        sent: [{ subjectId: `s${i % 5000}`, category: 'billing', at: T0 + 1, dedupeKey: `invoice-${i}`, deliveryId: id }],
        archive: [
          {
            deliveryId: id,
            content: { channel: 'email', kind: 'email', locale: 'en', to: 'a@example.com', fields: { subject: 'Hi', text: 'Your invoice' }, renderedAt: T0 + 1 },
            attempt: { channel: 'email', attempt: 1, idempotencyKey: `${id}:email`, at: T0 + 1, result: { status: 'accepted' } },
          },
        ],
      });
    }
    await all(units);
    delivered += units.length;
  }
  const deliverRate = delivered / ((performance.now() - t) / 1000);
  await driver.close();
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(
    `${label}, ${inFlight} in flight: ${UNITS} each — start ${fmt(startRate)} units/s, reserve+advance ${fmt(advanceRate)} jobs/s, reserve+deliver ${fmt(deliverRate)} jobs/s`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'herald-throughput-'));
try {
  for (const inFlight of [1, 256]) {
    await measure('file (WAL, synchronous=NORMAL)', join(dir, `herald-${inFlight}.db`), inFlight);
    await measure(':memory:', ':memory:', inFlight);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
