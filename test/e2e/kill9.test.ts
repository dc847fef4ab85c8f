/**
 * The kill -9 test. A child process runs Herald (embedded driver on a temp file, the real
 * @herald/channel-email plugin) over 10,000 one-send journeys while this process runs the SMTP
 * server; the child is SIGKILLed 2-3 times at random moments and restarted until it reports
 * the queue empty. Then:
 * - no instance is lost: every one completed;
 * - every delivery's Message-ID arrived at the SMTP server;
 * - duplicates (a Message-ID received twice) are at most the number of kills.
 *
 * Why at most one per kill: the ledger (and the workers' send journal, replayed into it at
 * start) means a restarted run repeats only sends that were inside the provider call when the
 * process died. The child allows one send in flight on the channel
 * (`maxSendsInFlightPerChannel: 1`), so a kill catches at most one message there; with N in
 * flight the bound is N per kill (an SMTP client that has written a message is killed before
 * the 250 arrives, and the kernel still delivers what it wrote).
 *
 * Runs the built runtime (dist): `npx tsc -b runtime` first.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageIdFor } from '@herald/plugin-sdk';
import { afterAll, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../../runtime/src/driver/embedded/index.js';
import { startSmtpSink } from './smtp-sink.js';

const COUNT = Number(process.env['HERALD_KILL9_COUNT'] ?? 10_000);
const KILLS = Number(process.env['HERALD_KILL9_KILLS'] ?? 2 + Math.floor(Math.random() * 2));
const child = fileURLToPath(new URL('./kill9-child.mjs', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'herald-kill9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeProject(root: string, emailUse: string): void {
  const write = (rel: string, text: string) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write(
    'herald.yaml',
    `project: kill9
defaults: { locale: en, timezone: UTC, policy: once }
channels:
  email:
    use: "${emailUse}"
    config:
      host: 127.0.0.1
      port: \${SMTP_PORT}
      from: "Herald kill test <kill9@herald.test>"
      pool: true
events:
  ping:
    fields: { subjectId: string, n: number }
`,
  );
  write('journeys/ping.journey.yaml', 'journey: ping\ntrigger: { event: ping, reentry: always }\nsteps:\n  - send: pong\n');
  write('templates/pong.template.yaml', 'template: pong\nemail:\n  en:\n    subject: "pong {{trigger.n}}"\n    text: "Hello {{subject.id}}, this is message {{trigger.n}}."\n');
  write('policies/once.policy.yaml', 'policy: once\ncategory: test\nchannels: [email]\nretry: { attempts: 10, backoff: fixed, initial: 1s }\n');
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

it(
  `survives ${KILLS} kill -9 over ${COUNT} journeys: nothing lost, at most one duplicate per kill`,
  async () => {
    const project = join(dir, 'project');
    writeProject(project, '@herald/channel-email');
    const smtp = await startSmtpSink({ parse: false });
    const db = join(dir, 'state', 'herald.db');
    const env = {
      ...process.env,
      PROJECT: project,
      DB: db,
      JOURNAL: join(dir, 'state', 'journal'),
      COUNT: String(COUNT),
      SMTP_PORT: String(smtp.port),
      MAX_IN_FLIGHT: '1',
    };
    const started = Date.now();
    let kills = 0;
    const runs: Run[] = [];
    try {
      for (let round = 0; round < KILLS + 20; round++) {
        const proc = spawn(process.execPath, [child], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        proc.stdout.on('data', (c: Buffer) => (output += c.toString()));
        proc.stderr.on('data', (c: Buffer) => (output += c.toString()));
        let timer: NodeJS.Timeout | undefined;
        if (kills < KILLS) {
          // Somewhere in the middle of the work: after startup (and the re-runs of the last kill's jobs), before the end.
          const killAfter = 500 + Math.random() * 3_000;
          const arm = () => {
            if (!output.includes('ingested')) return void (timer = setTimeout(arm, 20));
            timer = setTimeout(() => proc.kill('SIGKILL'), killAfter);
          };
          arm();
        }
        const run = await new Promise<Run>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, output })));
        clearTimeout(timer);
        runs.push(run);
        if (run.signal === 'SIGKILL') {
          kills++;
          continue;
        }
        if (run.code !== 0) throw new Error(`the child failed (code ${run.code}):\n${run.output.slice(-4000)}`);
        break;
      }
    } finally {
      await smtp.close();
    }
    const elapsed = Date.now() - started;
    expect(runs.at(-1)?.code).toBe(0);
    // A small run (HERALD_KILL9_COUNT) may finish before its last planned kill.
    if (COUNT >= 5_000) expect(kills).toBe(KILLS);
    else expect(kills).toBeGreaterThanOrEqual(1);

    const driver = createEmbeddedDriver({ path: db });
    await driver.open();
    try {
      const instances = await driver.findInstances({ journey: 'ping' });
      expect(instances).toHaveLength(COUNT);
      expect(instances.filter((i) => i.status !== 'completed')).toEqual([]);

      const expected = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof driver.searchArchive>> = await driver.searchArchive({ journey: 'ping', limit: 1000, ...(cursor ? { cursor } : {}) });
        for (const m of page.items) {
          expect(m.delivery.status).toBe('delivered');
          expected.add(messageIdFor(m.attempts[0]!.idempotencyKey, 'herald.test'));
        }
        cursor = page.cursor;
      } while (cursor);
      expect(expected.size).toBe(COUNT);

      const received = new Map<string, number>();
      for (const id of smtp.messageIds) received.set(id, (received.get(id) ?? 0) + 1);
      expect([...expected].filter((id) => !received.has(id))).toEqual([]);
      expect([...received.keys()].filter((id) => !expected.has(id))).toEqual([]);
      const duplicates = [...received.values()].reduce((n, times) => n + times - 1, 0);
      // A run that finished prints what it sent again (herald_attempts_resent_total); a killed one cannot.
      const resent = runs.map((r) => /^resent (\d+)$/m.exec(r.output)?.[1] ?? 'killed');
      console.log(
        `kill -9 test: ${COUNT} journeys, ${kills} kills, ${runs.length} runs, ${smtp.messageIds.length} mails received, ` +
          `${duplicates} duplicates, attempts re-run from an in-flight ledger per run: ${resent.join('/')}, ${(elapsed / 1000).toFixed(1)} s`,
      );
      expect(duplicates).toBeLessThanOrEqual(kills);
    } finally {
      await driver.close();
    }
  },
  170_000,
);
