// bench/batch-ingest: POST /events with batches of 1,000 events (500 subjects, two events each),
// ingested with per-subject order kept and the rest at once (orchestrator/ordered-runs.ts),
// beside the baseline measured in the same run: the same events ingested one after another
// (`runtime.ingest` awaited per event, what the batch route did before). The events start the
// benchmark project's `wait` journey (one instance and a 30-day timer each), on the embedded
// driver with a temp file.
//
// Run: npx tsc -b && node bench/batch-ingest.mjs        (BATCHES=5 ROUNDS=3)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiServer } from '../runtime/dist/api/create-server.js';
import { createEmbeddedDriver } from '../runtime/dist/driver/embedded/index.js';
import { createRuntime, loadProjectGraph } from '../runtime/dist/orchestrator/index.js';

const BATCHES = Number(process.env.BATCHES ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SIZE = 1000;
const projectRoot = fileURLToPath(new URL('./fixtures/runtime-project/', import.meta.url));
const { ir } = loadProjectGraph(projectRoot);
const dir = mkdtempSync(join(tmpdir(), 'herald-bench-batch-'));
const runtime = createRuntime({ driver: createEmbeddedDriver({ path: join(dir, 'herald.db') }), graph: ir, projectRoot, pool: { threads: 1, logLevel: 'error' } });
await runtime.start();
const server = createApiServer(runtime, { bodyLimit: 10_000_000 });

let n = 0;
const batch = () => Array.from({ length: SIZE }, () => ({ type: 'bench.wait', data: { subjectId: `w-${n % 500}`, n: n++ } }));

async function oneByOne() {
  const started = performance.now();
  for (let b = 0; b < BATCHES; b++) for (const event of batch()) await runtime.ingest(event);
  return (BATCHES * SIZE) / ((performance.now() - started) / 1000);
}

async function batched() {
  const started = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const res = await server.inject({ method: 'POST', url: '/events', payload: { events: batch() } });
    if (res.statusCode !== 202) throw new Error(`POST /events answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  }
  return (BATCHES * SIZE) / ((performance.now() - started) / 1000);
}

const num = (x) => Math.round(x).toLocaleString('en-US');
console.log(`Herald batch ingest — Node ${process.version}, batches of ${SIZE} events over 500 subjects, ${BATCHES} batches per round\n`);
console.log(`${'round'.padEnd(8)} ${'baseline: one by one'.padStart(22)} ${'POST /events batches'.padStart(22)}  ratio`);
for (let r = 1; r <= ROUNDS; r++) {
  // Alternating, so that a slow moment of the machine lands on both.
  const base = await oneByOne();
  const fast = await batched();
  console.log(`${String(r).padEnd(8)} ${`${num(base)} ev/s`.padStart(22)} ${`${num(fast)} ev/s`.padStart(22)}  ${(fast / base).toFixed(1)}x`);
}
await server.close();
await runtime.stop();
rmSync(dir, { recursive: true, force: true });
