// The process the kill -9 test kills: Herald on the embedded driver (a SQLite file), running
// one-send journeys for COUNT events. It (re-)ingests every event on each start — a sender
// retrying — which the event-id dedupe turns into no-ops, and exits 0 once the queue is empty.
// Runs the built runtime (dist): `npx tsc -b runtime` first.
import { createEmbeddedDriver } from '../../runtime/dist/driver/embedded/index.js';
import { createRuntime, loadProjectGraph } from '../../runtime/dist/orchestrator/index.js';

const { PROJECT, DB, COUNT, SUBJECTS, JOURNAL } = process.env;
const count = Number(COUNT);
const subjects = Number(SUBJECTS ?? 100);

const { ir, diagnostics } = loadProjectGraph(PROJECT);
if (!ir) {
  console.error(diagnostics.map((d) => `${d.file}: ${d.message}`).join('\n'));
  process.exit(2);
}
const runtime = createRuntime({
  driver: createEmbeddedDriver({ path: DB }),
  graph: ir,
  projectRoot: PROJECT,
  // Short leases: the jobs a killed process held run again two seconds after the restart.
  leaseMs: 2_000,
  concurrency: 512,
  pool: { threads: 1, logLevel: 'error', sendTimeoutMs: 10_000, maxSendsInFlightPerChannel: Number(process.env.MAX_IN_FLIGHT ?? 0) || undefined },
  sendJournalDir: JOURNAL,
  log: { debug() {}, info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
});
await runtime.start();
console.log('started');
for (let s = 0; s < subjects; s++) await runtime.putSubject({ id: `s-${s}`, contacts: { email: `s-${s}@example.com` } });
for (let i = 0; i < count; i += 500) {
  const chunk = [];
  for (let j = i; j < Math.min(count, i + 500); j++) {
    chunk.push(runtime.ingest({ type: 'ping', id: `e-${j}`, data: { subjectId: `s-${j % subjects}`, n: j } }));
  }
  await Promise.all(chunk);
}
console.log('ingested');
for (;;) {
  await new Promise((r) => setTimeout(r, 250));
  const health = await runtime.health();
  const queue = health.details.queue;
  console.log(`queue ${queue.queued} ${queue.reserved}`);
  if (queue.queued + queue.reserved === 0) break;
}
// Attempts this run sent again from an in-flight ledger mark (the kills' possible duplicates).
const resent = [...(await runtime.metrics()).matchAll(/^herald_attempts_resent_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
console.log(`resent ${resent}`);
await runtime.stop();
console.log('done');
process.exit(0);
