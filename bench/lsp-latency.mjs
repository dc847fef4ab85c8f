#!/usr/bin/env node
/**
 * Language-server latency on a big project, measured as an editor sees it (stdio JSON-RPC):
 *
 * - a generated project of 1,000 journeys (the shape of examples/invoice-dunning: each
 *   journey ~60 lines with its own template and policy);
 * - one journey changed 50 times: time from `didChange` to the `publishDiagnostics` for that
 *   version (target: 50 ms p95);
 * - completion on a 5,000-line journey (target: 100 ms), idle and right after an edit;
 * - the whole-project check (worker thread), for reference.
 *
 * Run after `npx tsc -b vscode-extension`:  node bench/lsp-latency.mjs [journeys=1000] [changes=50]
 * Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = process.env.HERALD_LSP_SERVER ?? join(REPO, 'vscode-extension/dist/server/main.js');
const JOURNEYS = Number(process.argv[2] ?? 1000);
const CHANGES = Number(process.argv[3] ?? 50);

// ---------------------------------------------------------------- the project

function journey(i, variant = 0) {
  return `journey: j${i}-overdue
description: Remind, wait a week for payment, remind again, then escalate (${i}, edit ${variant}).
trigger:
  event: invoice.overdue
  subject: event.subjectId
  when: event.amount > ${i % 100}
  reentry: after-exit

data:
  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }

steps:
  - id: first-reminder
    set:
      daysLate: "daysBetween(trigger.dueDate, now())"
  - send: ${variant % 2 === 1 ? `t${i}-remindr` : `t${i}-reminder`}
    policy: p${i}-policy
  - id: wait-payment
    wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }
    onEvent: thank-you
    onTimeout: second-notice
  - id: second-notice
    set:
      reminders: "2"
  - send: t${i}-reminder
    policy: p${i}-policy
  - wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }
    onEvent: thank-you
  - branch:
      - when: customer.segment == "business" && trigger.amount > 1000
        goto: account-manager
      - when: customer.segment == "consumer" && trigger.amount > 5000
        goto: account-manager
      - else: final-notice
  - id: account-manager
    emit:
      event: invoice.escalated
      data:
        subjectId: trigger.subjectId
        invoiceId: trigger.invoiceId
        reason: "'business customer, ' + string(daysLate) + ' days late'"
  - id: final-notice
    send: t${i}-reminder
    policy: p${i}-policy
  - exit: escalated
  - id: thank-you
    send: t${i}-reminder
    policy: p${i}-policy
  - wait: 1d
  - exit: paid
`;
}

function template(i) {
  const html = i % 10 === 0 ? `    html: { file: t${i}.en.html }\n` : '';
  return `template: t${i}-reminder
description: Reminder ${i}.
email:
  en:
    subject: "Invoice {{trigger.invoiceId}} is overdue"
${html}    text: |
      Dear {{customer.name}},

      invoice {{trigger.invoiceId}} over {{trigger.amount}} {{trigger.currency}} is {{daysLate}} days late.
sms:
  en:
    body: "Acme: invoice {{trigger.invoiceId}} is overdue."
letter:
  en:
    html: "<p>Dear {{customer.name}}, invoice {{trigger.invoiceId}} is overdue.</p>"
`;
}

function policy(i) {
  return `policy: p${i}-policy
category: billing
channels: [email, sms, letter]
order: subject.channels
failover: { on: [failed, bounced, timeout], deliveryTimeout: 2h }
retry: { attempts: 3, backoff: exponential, initial: 30s, max: 10m }
quietHours: { from: "21:00", to: "08:00", timezone: subject.timezone }
dedupe: { key: "trigger.invoiceId + ':' + journey.id", window: 1d }
`;
}

/** A journey of about `lines` lines, for completion on a big file. */
function bigJourney(lines) {
  const out = [`journey: big-journey
trigger:
  event: invoice.overdue
data:
  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }
steps:
`];
  let count = 6;
  for (let b = 0; count < lines; b++) {
    const block = `  - id: remind-${b}
    send: t0-reminder
    policy: p0-policy
  - id: wait-${b}
    wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }
    onEvent: thanks-${b}
    onTimeout: late-${b}
  - id: late-${b}
    set:
      daysLate: "daysBetween(trigger.dueDate, now())"
  - id: check-${b}
    branch:
      - when: customer.segment == "business" && trigger.amount > ${1000 + b}
        goto: escalate-${b}
      - else: thanks-${b}
  - id: escalate-${b}
    emit:
      event: invoice.escalated
      data:
        subjectId: trigger.subjectId
        invoiceId: trigger.invoiceId
        reason: "'late ' + string(daysLate)"
  - id: thanks-${b}
    send: t0-reminder
    policy: p0-policy
`;
    out.push(block);
    count += block.split('\n').length - 1;
  }
  out.push('  - exit: done\n');
  return out.join('');
}

function generate(dir, n) {
  const example = join(REPO, 'examples/invoice-dunning');
  writeFileSync(join(dir, 'herald.yaml'), readFileSync(join(example, 'herald.yaml'), 'utf8').replace('policy: dunning', 'policy: p0-policy'));
  cpSync(join(example, 'data'), join(dir, 'data'), { recursive: true });
  for (const d of ['journeys', 'templates', 'policies']) mkdirSync(join(dir, d), { recursive: true });
  for (let i = 0; i < n; i++) {
    writeFileSync(join(dir, 'journeys', `j${i}.journey.yaml`), journey(i));
    writeFileSync(join(dir, 'templates', `t${i}.template.yaml`), template(i));
    if (i % 10 === 0) writeFileSync(join(dir, 'templates', `t${i}.en.html`), '<p>Dear {{customer.name}}, invoice {{trigger.invoiceId}} is overdue.</p>\n');
    writeFileSync(join(dir, 'policies', `p${i}.policy.yaml`), policy(i));
  }
}

// ---------------------------------------------------------------- the client

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'herald-lsp-bench-'));
  const t0 = performance.now();
  generate(dir, JOURNEYS);
  const lines = journey(0).split('\n').length;
  console.log(`project: ${JOURNEYS} journeys (~${lines} lines each), ${JOURNEYS} templates, ${JOURNEYS} policies in ${dir} (${(performance.now() - t0).toFixed(0)} ms to write)`);

  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiters = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    for (const w of [...waiters]) if (w.uri === p.uri && w.version === p.version) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(p);
    }
  });
  const checks = [];
  const fullWaiters = [];
  conn.onNotification('herald/checked', (info) => {
    checks.push(info);
    if (info.kind === 'full') for (const w of fullWaiters.splice(0)) w(info);
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const published = (uri, version) => new Promise((resolve) => waiters.push({ uri, version, resolve }));
  const nextFull = () => new Promise((resolve) => fullWaiters.push(resolve));

  const tInit = performance.now();
  const firstFull = nextFull();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { pluginRoots: [REPO] },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  const initMs = performance.now() - tInit;
  const full0 = await firstFull;
  console.log(`initialize: ${initMs.toFixed(0)} ms; first whole-project check: ${full0.ms.toFixed(0)} ms (${full0.diagnostics} diagnostics), published ${(performance.now() - tInit).toFixed(0)} ms after start`);

  // One journey, opened and then changed CHANGES times: every other edit adds a typo (an error), the next removes it.
  const rel = 'journeys/j500.journey.yaml';
  const uri = pathToFileURL(join(dir, rel)).href;
  let tOpen = performance.now();
  let p = published(uri, 1);
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: journey(500) } });
  await p;
  console.log(`open -> diagnostics (first check of the journey): ${(performance.now() - tOpen).toFixed(1)} ms`);
  await sleep(500);

  // The first edits after opening run on a cold JIT and collect the garbage of loading the project.
  const WARMUP = 10;
  const warmupMs = [];
  for (let k = 1; k <= WARMUP; k++) {
    p = published(uri, k + 1);
    const t = performance.now();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: k + 1 }, contentChanges: [{ text: journey(500, k) }] });
    await p;
    warmupMs.push(performance.now() - t);
    await sleep(100);
  }
  const measuredFrom = checks.length;
  const changeMs = [];
  let errorsSeen = 0;
  for (let k = 1; k <= CHANGES; k++) {
    const version = WARMUP + k + 1;
    const text = journey(500, k);
    p = published(uri, version);
    const t = performance.now();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    const d = await p;
    changeMs.push(performance.now() - t);
    if (process.env.BENCH_VERBOSE) console.log(`change ${k}: ${(performance.now() - t).toFixed(1)} ms; checks so far: ${checks.slice(-3).map((x) => `${x.kind}:${x.ms.toFixed(0)}`).join(" ")}`);
    if (d.diagnostics.length) errorsSeen++;
    // Typing pauses now and then: the whole-project check runs in its worker meanwhile.
    await sleep(k % 10 === 0 ? 600 : 60 + (k % 3) * 40);
  }
  const c = stats(changeMs);
  const focusMs = stats(checks.slice(measuredFrom).filter((x) => x.kind === 'focus' && x.file === rel).map((x) => x.ms));
  const fullMs = stats(checks.slice(measuredFrom).filter((x) => x.kind === 'full').map((x) => x.ms));
  const warm = stats(warmupMs);

  // Completion on a 5,000-line journey in the same project.
  const bigRel = 'journeys/big.journey.yaml';
  const bigUri = pathToFileURL(join(dir, bigRel)).href;
  const big = bigJourney(5000);
  tOpen = performance.now();
  p = published(bigUri, 1);
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: bigUri, languageId: 'yaml', version: 1, text: big } });
  await p;
  const bigOpenMs = performance.now() - tOpen;
  await sleep(300);
  const bigLines = big.split('\n');
  const positions = [];
  for (let i = 0; i < bigLines.length; i++) {
    const line = bigLines[i];
    if (line.includes('goto: escalate-')) positions.push({ line: i, character: line.indexOf('goto: ') + 6 });
    else if (line.includes('trigger.amount >')) positions.push({ line: i, character: line.indexOf('trigger.') + 8 });
    else if (line.includes('send: t0-reminder')) positions.push({ line: i, character: line.length });
  }
  const sample = positions.filter((_, i) => i % Math.max(1, Math.floor(positions.length / 60)) === 0);
  const completionMs = [];
  for (const position of sample) {
    const t = performance.now();
    const r = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: bigUri }, position });
    completionMs.push(performance.now() - t);
    if (!r || (Array.isArray(r) ? r : r.items).length === 0) throw new Error(`no completion at ${JSON.stringify(position)}`);
  }
  // Right after an edit: the editor sends didChange and the completion request together.
  const afterEditMs = [];
  let version = 1;
  for (let k = 0; k < 20; k++) {
    version++;
    const position = sample[(k * 7) % sample.length];
    const t = performance.now();
    void conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: bigUri, version },
      // Odd edits add a comment line under the first line, even ones remove it again.
      contentChanges: [
        k % 2 === 0
          ? { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# typing\n' }
          : { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' },
      ],
    });
    const shifted = k % 2 === 0 ? { line: position.line + 1, character: position.character } : position;
    const r = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: bigUri }, position: shifted });
    if (!r || (Array.isArray(r) ? r : r.items).length === 0) throw new Error(`no completion after an edit at ${JSON.stringify(shifted)}`);
    afterEditMs.push(performance.now() - t);
    await sleep(120);
  }
  const comp = stats(completionMs);
  const compEdit = stats(afterEditMs);
  const bigFocus = stats(checks.filter((x) => x.kind === 'focus' && x.file === bigRel).map((x) => x.ms));

  const row = (name, s, target) =>
    `${name.padEnd(52)} ${String(s.n).padStart(4)} ${s.p50.toFixed(1).padStart(8)} ${s.p95.toFixed(1).padStart(8)} ${s.max.toFixed(1).padStart(8)}   ${target}`;
  console.log('');
  console.log(`${'measure (ms)'.padEnd(52)} ${'n'.padStart(4)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}   target`);
  console.log(row(`first ${WARMUP} edits after open (cold)`, warm, ''));
  console.log(row(`didChange -> publishDiagnostics (${JOURNEYS} journeys)`, c, 'p95 < 50'));
  console.log(row('  of which the focus check in the server', focusMs, ''));
  console.log(row('whole-project check (worker, not on the edit path)', fullMs, ''));
  console.log(row(`completion, ${bigLines.length}-line journey, idle`, comp, '< 100'));
  console.log(row(`completion, ${bigLines.length}-line journey, right after an edit`, compEdit, '< 100'));
  console.log(row(`  focus check of the ${bigLines.length}-line journey`, bigFocus, ''));
  console.log('');
  console.log(`edits that published an error: ${errorsSeen}/${CHANGES}; open -> diagnostics of the 5,000-line journey: ${bigOpenMs.toFixed(0)} ms`);
  console.log(`didChange -> publish p95 ${c.p95.toFixed(1)} ms vs 50 ms target: ${c.p95 < 50 ? 'met' : 'NOT met'}; completion p95 ${Math.max(comp.p95, compEdit.p95).toFixed(1)} ms vs 100 ms target: ${Math.max(comp.p95, compEdit.p95) < 100 ? 'met' : 'NOT met'}`);

  await Promise.race([conn.sendRequest(ShutdownRequest.type), sleep(2000)]);
  await conn.sendNotification(ExitNotification.type);
  conn.dispose();
  proc.kill();
  rmSync(dir, { recursive: true, force: true });
}

export { bigJourney, generate, journey };

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
