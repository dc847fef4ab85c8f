// bench/runtime: Herald's runtime end to end — events → a one-send journey → an email rendered
// (1 KB of HTML, 10 variables) → a sink channel that sends nothing, with the archive on and the
// embedded driver on a temp file — beside baselines measured in the same run: a raw Mustache
// render loop of the same template, a raw piscina round trip (empty task), batched, Herald's own
// pool, and the store's floor (one message's rows written with raw SQLite, on one thread).
// Then memory for 100,000 instances waiting on timers (in a child process), read at rest once RSS
// stops falling, beside the reading the moment the last one waits and the peak while starting them.
//
// Run: npx tsc -b && node bench/runtime.mjs        (EVENTS=30000 HALF_SECONDS=8 WAITING=100000)
// Beside messages/s it prints the CPU per message of all threads together, against what 20,000 msg/s leaves on these cores.
// The memory figure's driver settings, to compare: CACHE=<MiB> (SQLite page cache), CKPT=0 (no checkpoint thread).
import { BroadcastChannel } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Mustache from 'mustache';
import { Piscina } from 'piscina';
import { createEmbeddedDriver } from '../runtime/dist/driver/embedded/index.js';
// The store's floor below uses the embedded driver's own schema and statements.
import { openDatabase } from '../runtime/dist/driver/embedded/open-database.js';
import { prepareStatements } from '../runtime/dist/driver/embedded/prepare-statements.js';
import { createRuntime, loadProjectGraph } from '../runtime/dist/orchestrator/index.js';
import { createWorkerPool } from '../runtime/dist/pool/index.js';

const projectRoot = fileURLToPath(new URL('./fixtures/runtime-project/', import.meta.url));
const EVENTS = Number(process.env.EVENTS ?? 30_000);
const HALF_SECONDS = Number(process.env.HALF_SECONDS ?? 8);
const WAITING = Number(process.env.WAITING ?? 100_000);
const THREADS = Number(process.env.THREADS ?? Math.max(1, availableParallelism() - 1));
const SUBJECTS = 1000;

const wallNow = () => performance.timeOrigin + performance.now();
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const num = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const row = (name, value, target = '', verdict = '') => console.log(`${name.padEnd(50)} ${value.padStart(18)}   ${target.padEnd(18)} ${verdict}`);

function compileProject() {
  const { ir, diagnostics } = loadProjectGraph(projectRoot);
  if (!ir) {
    console.error(diagnostics.map((d) => `${d.file}:${d.range.start.line}: ${d.message}`).join('\n'));
    process.exit(1);
  }
  return ir;
}

function orderEvent(i, t0) {
  return {
    type: 'bench.order',
    data: {
      subjectId: `s-${i % SUBJECTS}`,
      orderId: `O-${i}`,
      amount: 100 + (i % 900),
      currency: 'EUR',
      name: 'Ada Lovelace',
      plan: 'Business',
      city: 'Berlin',
      manager: 'Grace Hopper',
      code: `WELCOME-${i % 97}`,
      t0,
    },
  };
}

// ---------------------------------------------------------------------------------------- memory

/**
 * The process's memory once RSS stops falling: two readings a second apart within 1 MiB, at
 * most 20 s. The figure is the process at rest with the instances waiting (they wait for days);
 * what starting them allocated and freed goes back to the system within seconds (V8's and the
 * worker threads' heaps shrink, malloc trims), which a reading the moment they wait still holds.
 */
async function atRest() {
  globalThis.gc?.();
  let last = process.memoryUsage();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    globalThis.gc?.();
    const next = process.memoryUsage();
    const settled = Math.abs(next.rss - last.rss) < 1024 * 1024;
    last = next;
    if (settled) break;
  }
  return last;
}

if (process.argv[2] === '--waiting') {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-waiting-'));
  const db = join(dir, 'herald.db');
  const driver = createEmbeddedDriver({ path: db, checkpointThread: process.env.CKPT !== '0', ...(process.env.CACHE ? { cacheSizeMb: Number(process.env.CACHE) } : {}) });
  const runtime = createRuntime({
    driver,
    graph: compileProject(),
    projectRoot,
    pool: { threads: 1, logLevel: 'error' },
    concurrency: 1024,
  });
  await runtime.start();
  const before = await atRest();
  const started = performance.now();
  for (let i = 0; i < WAITING; i += 1000) {
    const chunk = [];
    for (let j = i; j < Math.min(WAITING, i + 1000); j++) chunk.push(runtime.ingest({ type: 'bench.wait', data: { subjectId: `w-${j % SUBJECTS}`, n: j } }));
    await Promise.all(chunk);
  }
  for (;;) {
    const h = await runtime.health();
    const next = await driver.nextDueAt();
    // Only the timers are left: every instance waits.
    if (h.details.queue.queued === WAITING && h.details.queue.reserved === 0 && h.details.inFlight === 0 && next !== null && next > Date.now() + 86_400_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const rssAtOnce = process.memoryUsage().rss;
  const after = await atRest();
  const settleSeconds = (performance.now() - started) / 1000 - seconds;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const waiting = (await runtime.findInstances({ journey: 'wait' })).filter((i) => i.status === 'active').length;
  const dbBytes = statSync(db).size + (statSync(`${db}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ waiting, seconds, settleSeconds, rssAtOnce, peakRss, rssBefore: before.rss, rss: after.rss, heapUsed: after.heapUsed, external: after.external, dbBytes }));
  process.exit(0);
}

// ------------------------------------------------------------------------------------- baselines

const flags = process.execArgv.length > 0 ? `, node ${process.execArgv.join(' ')}` : '';
console.log(`Herald runtime benchmark — Node ${process.version}${flags}, ${availableParallelism()} cores, ${THREADS} worker thread(s)\n`);
console.log(`${'baseline'.padEnd(50)} ${'measured'.padStart(18)}`);

const ir = compileProject();
const template = ir.templates['order-confirmation'].variants.email.en.html;
const view = { trigger: orderEvent(1, 0).data, subject: { id: 's-1' } };
{
  Mustache.render(template, view);
  const n = 50_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) Mustache.render(template, view);
  const ms = performance.now() - t;
  row('raw Mustache render (1 KB HTML, 10 vars)', `${num(n / (ms / 1000))} /s`, `${num((ms * 1000) / n, 1)} µs each`);
}

const echoFile = join(mkdtempSync(join(tmpdir(), 'herald-bench-echo-')), 'echo.mjs');
writeFileSync(echoFile, 'export default function (x) { return x; }\n');
{
  const piscina = new Piscina({ filename: pathToFileURL(echoFile).href, minThreads: THREADS, maxThreads: THREADS, concurrentTasksPerWorker: 16 });
  await Promise.all(Array.from({ length: 100 }, () => piscina.run(null)));
  let n = 3000;
  let t = performance.now();
  for (let i = 0; i < n; i++) await piscina.run(null);
  let ms = performance.now() - t;
  row('raw piscina round trip, one at a time', `${num((ms * 1000) / n, 1)} µs`, `${num(n / (ms / 1000))} tasks/s`);
  n = 50_000;
  t = performance.now();
  for (let i = 0; i < n; i += 1000) await Promise.all(Array.from({ length: 1000 }, () => piscina.run(null)));
  ms = performance.now() - t;
  row('raw piscina, 1,000 in flight', `${num(n / (ms / 1000))} tasks/s`, `${num((ms * 1000) / n, 1)} µs each`);
  const batch = Array.from({ length: 64 }, () => null);
  n = 200_000;
  t = performance.now();
  for (let i = 0; i < n; i += 64 * 16) await Promise.all(Array.from({ length: 16 }, () => piscina.run(batch)));
  ms = performance.now() - t;
  row('raw piscina, batches of 64 (16 in flight)', `${num(n / (ms / 1000))} tasks/s`, `${num((ms * 1000) / n, 2)} µs each`);
  await piscina.close();
}
{
  const pool = await createWorkerPool({ projectRoot, graph: ir, threads: THREADS, logLevel: 'error' });
  const n = 200_000;
  const t = performance.now();
  for (let i = 0; i < n; i += 4096) await Promise.all(Array.from({ length: 4096 }, () => pool.run({ kind: 'echo' })));
  const ms = performance.now() - t;
  row("Herald pool: run() auto-batched, streamed", `${num(n / (ms / 1000))} tasks/s`, `${num((ms * 1000) / n, 2)} µs each`);
  await pool.close();
}
rmSync(echoFile, { force: true });
{
  // The store's floor: the rows the embedded driver writes for one message of this journey
  // (event id, instance, delivery, sent count, attempt job, delivery update, archived content and
  // attempt, job delete; the ledger is written only by re-runs), with its schema and statements, in
  // transactions of 32 messages, on one thread, checkpoints left out (the runtime runs them on a
  // thread of their own). No routing, no rendering, no JSON encoding: what SQLite alone costs.
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-store-'));
  const db = openDatabase({ path: join(dir, 'floor.db') });
  db.pragma('wal_autocheckpoint = 0');
  const s = prepareStatements(db);
  const data = orderEvent(1, 0).data;
  const instanceJson = JSON.stringify({ id: 'order:x', journey: 'order', subjectId: 's-1', status: 'completed', seq: 2, trigger: data, vars: {}, history: [{ at: 0, node: 's1', text: 'send order-confirmation' }] });
  const deliveryJson = JSON.stringify({ id: 'd', vars: { trigger: data }, channels: ['email'], history: [{ at: 0, text: 'email: attempt 1' }, { at: 1, text: 'email: delivered' }] });
  const contentJson = JSON.stringify({ channel: 'email', kind: 'email', locale: 'en', to: 's-1@example.com', fields: { subject: 'Your order', html: template }, renderedAt: 0 });
  const attemptJson = JSON.stringify({ channel: 'email', attempt: 1, idempotencyKey: 'd:email', at: 0, result: { status: 'delivered', receipt: { providerMessageId: '<x@herald>' } } });
  const message = (i) => {
    const id = `01${String(i).padStart(14, '0')}`;
    const subject = `s-${i % SUBJECTS}`;
    s.insertEvent.run(`e-${id}`, i);
    s.insertInstance.run(`order:${id}`, 'order', subject, 'completed', null, 2, i, instanceJson, null, null);
    s.insertDelivery.run(`d-${id}`, `order:${id}`, subject, 'order', 'attempting', 'email', null, i, i, deliveryJson);
    s.insertSent.run(subject, 'transactional', i, null, `d-${id}`);
    s.insertJob.run(`d-${id}:email:1`, 'attempt', '{"kind":"attempt"}', i, i + 60_000, 1);
    s.updateDelivery.run('delivered', 'email', `<${id}@herald>`, i + 1, deliveryJson, `d-${id}`, i);
    s.insertContent.run(`d-${id}`, 'email', contentJson);
    s.insertAttempt.run(`d-${id}`, attemptJson);
    s.deleteJob.run(`d-${id}:email:1`);
  };
  const group = db.transaction((from, to) => {
    for (let i = from; i < to; i++) message(i);
  });
  const n = 60_000;
  const t = performance.now();
  for (let i = 0; i < n; i += 32) group.immediate(i, i + 32);
  const ms = performance.now() - t;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  row("raw SQLite: one message's rows, 32 per transaction", `${num(n / (ms / 1000))} msg/s`, `${num((ms * 1000) / n, 1)} µs each`);
}

// ------------------------------------------------------------------------------------ end to end

const dir = mkdtempSync(join(tmpdir(), 'herald-bench-runtime-'));
const runtime = createRuntime({
  driver: createEmbeddedDriver({ path: join(dir, 'herald.db') }),
  graph: ir,
  projectRoot,
  pool: { threads: THREADS, logLevel: 'error' },
  concurrency: Number(process.env.CONCURRENCY ?? 2048),
  reserveBatch: 512,
  log: { debug() {}, info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
});
await runtime.start();
for (let s = 0; s < SUBJECTS; s++) await runtime.putSubject({ id: `s-${s}`, contacts: { email: `s-${s}@example.com` } });

const latencies = [];
let received = 0;
let lastAt = 0;
const reports = new BroadcastChannel('herald-bench');
// Only messages of events ingested since `phaseStart` count for the phase being measured.
let phaseStart = 0;
reports.onmessage = (m) => {
  for (const [t0, at] of m.data) {
    if (t0 < phaseStart) continue;
    latencies.push(at - t0);
    received++;
    if (at > lastAt) lastAt = at;
  }
};
const waitFor = async (count, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  while (received < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return received >= count;
};

let sent = 0;
const ingestMany = async (n) => {
  for (let i = 0; i < n; i += 500) {
    const chunk = [];
    for (let j = i; j < Math.min(n, i + 500); j++) chunk.push(runtime.ingest(orderEvent(sent++, wallNow())));
    await Promise.all(chunk);
  }
};

// Warm-up: JIT, SQLite cache, worker start.
await ingestMany(3000);
await waitFor(3000, 60_000);

// Full load: every event at once, as fast as ingest takes them.
latencies.length = 0;
received = 0;
const fullStart = wallNow();
phaseStart = fullStart;
// CPU of every thread of the process (main, pool workers, checkpoint thread) over the phase.
const cpuStart = process.cpuUsage();
await ingestMany(EVENTS);
const ingestSeconds = (wallNow() - fullStart) / 1000;
const fullDone = await waitFor(EVENTS, 300_000);
const fullReceived = received;
const cpu = process.cpuUsage(cpuStart);
const fullSeconds = (lastAt - fullStart) / 1000;
const throughput = fullReceived / fullSeconds;
const fullLat = latencies.slice().sort((a, b) => a - b);
// Let the backlog's last commits (and a WAL checkpoint) finish before the steady-state phase.
for (;;) {
  const h = await runtime.health();
  if (h.details.queue.queued + h.details.queue.reserved === 0) break;
  await new Promise((r) => setTimeout(r, 50));
}
await new Promise((r) => setTimeout(r, 1000));

// Half load: a steady stream at half the measured throughput.
const rate = Math.max(100, Math.floor(throughput / 2));
latencies.length = 0;
received = 0;
phaseStart = wallNow();
const tickMs = 10;
const perTick = rate / (1000 / tickMs);
let owed = 0;
let halfSent = 0;
const halfStart = Date.now();
await new Promise((resolve) => {
  const timer = setInterval(() => {
    owed += perTick;
    const n = Math.floor(owed);
    owed -= n;
    for (let i = 0; i < n; i++) void runtime.ingest(orderEvent(sent++, wallNow()));
    halfSent += n;
    if (Date.now() - halfStart >= HALF_SECONDS * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, tickMs);
});
await waitFor(halfSent, 60_000);
const halfLat = latencies.slice().sort((a, b) => a - b);
const halfRate = halfSent / HALF_SECONDS;

const metrics = await runtime.metrics();
await runtime.stop();
reports.close();
rmSync(dir, { recursive: true, force: true });

console.log(`\n${'end to end (embedded driver, temp file, archive on)'.padEnd(50)} ${'measured'.padStart(18)}   ${'target'.padEnd(18)} verdict`);
row('ingest (validate + route + commit), full load', `${num(EVENTS / ingestSeconds)} events/s`);
const okThroughput = throughput >= 20_000;
row(`messages/s at full load (${num(EVENTS)} events)`, `${num(throughput)} msg/s`, '20,000 msg/s', okThroughput ? 'OK' : `MISSED by ${num(100 - (100 * throughput) / 20_000)}%`);
row('  CPU per message, all threads (user + system)', `${num((cpu.user + cpu.system) / fullReceived)} µs`, `${num(availableParallelism() * 1e6 / 20_000)} µs budget`);
row('  event-to-send p50 / p99, full load', `${num(pct(fullLat, 50))} / ${num(pct(fullLat, 99))} ms`, '(a backlog)');
const p99 = pct(halfLat, 99);
row(`event-to-send p50, half load (${num(halfRate)} ev/s)`, `${num(pct(halfLat, 50), 1)} ms`);
// The target is set at half of 20,000 msg/s; a run that reaches less is measured at half of its own rate, and says so.
const p99Verdict = p99 >= 50 ? `MISSED by ${num(p99 - 50, 1)} ms` : halfRate >= 10_000 ? 'OK' : 'OK at half this run\'s rate (the target\'s 10,000 ev/s is beyond it)';
row(`event-to-send p99, half load`, `${num(p99, 1)} ms`, '< 50 ms', p99Verdict);
if (!fullDone) console.log(`!! only ${fullReceived} of ${EVENTS} messages arrived within the time limit`);
if (halfLat.length < halfSent) console.log(`!! only ${halfLat.length} of ${halfSent} half-load messages arrived within the time limit`);
const conflicts = /herald_job_conflicts_total\{kind="(\w+)"\} (\d+)/g;
for (const m of metrics.matchAll(conflicts)) row(`  commit conflicts (${m[1]} jobs)`, m[2]);

// Memory: 100,000 instances waiting on timers, measured in a fresh process.
const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--waiting'], { env: process.env, encoding: 'utf8', maxBuffer: 1 << 24 });
const line = child.stdout.trim().split('\n').pop() ?? '';
let mem;
try {
  mem = JSON.parse(line);
} catch {
  console.error('memory phase failed:', child.stderr || child.stdout);
  process.exit(1);
}
const mb = (b) => b / (1024 * 1024);
row(`${num(mem.waiting)} waiting on timers: process RSS at rest`, `${num(mb(mem.rss))} MB`, '< 200 MB', mb(mem.rss) < 200 ? 'OK' : `MISSED by ${num(mb(mem.rss) - 200)} MB`);
row('  the started runtime before them, at rest (1 worker)', `${num(mb(mem.rssBefore))} MB`);
row('  growth for the waiting instances', `${num(mb(mem.rss - mem.rssBefore))} MB`);
row(`  RSS as the last one waits / ${num(mem.settleSeconds, 1)} s later`, `${num(mb(mem.rssAtOnce))} / ${num(mb(mem.rss))} MB`);
row('  peak RSS starting them (1,000 ingests in flight)', `${num(mb(mem.peakRss))} MB`);
row('  JS heap used (main thread, after gc)', `${num(mb(mem.heapUsed))} MB`);
row('  SQLite file (+ WAL)', `${num(mb(mem.dbBytes))} MB`);
row('  time to start them (ingest → waiting)', `${num(mem.seconds, 1)} s`, `${num(mem.waiting / mem.seconds)} /s`);
