/**
 * stop() with a provider that hangs and a backlog: "finish what is in flight" means the provider
 * calls already made, not the attempts still waiting for one. After stop() begins no provider
 * call starts; the attempts that never reached the provider stay queued in the store and are
 * sent by the next start.
 */
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime, type Runtime } from './create-runtime.js';
import { makeTestProject, type TestProject } from './orchestrator-test-project.js';

// The worker pool runs the built worker: `npx tsc -b runtime` first.

/** Records each call (with the time it started), then hangs until the send's signal fires (its timeout or shutdown). */
const HANGING = `import { appendFileSync, existsSync } from 'node:fs';
export default Object.freeze({
  kind: 'channel', name: 'recorder', version: '1.0.0', messageKind: 'email', manifest: undefined,
  configSchema: { type: 'object', properties: { path: { type: 'string' }, answer: { type: 'string' } }, required: ['path'] },
  create(config) {
    return {
      async send(message, ctx) {
        appendFileSync(config.path, JSON.stringify({ key: ctx.idempotencyKey, at: Date.now() }) + '\\n');
        if (!existsSync(config.path + '.hang')) return Object.freeze({ status: 'delivered', receipt: { providerMessageId: ctx.messageId } });
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        return Object.freeze({ status: 'failed', retryable: true, reason: 'timed out', code: 'TIMEOUT' });
      },
    };
  },
});
`;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function callsOf(project: TestProject): { key: string; at: number }[] {
  const file = join(project.root, 'out', 'calls.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { key: string; at: number });
}

const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
};

describe('stop() with a hanging provider and a backlog', () => {
  it('starts no provider call once stop() has begun; the attempts that made none stay queued and are sent, once, by the next start', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    project.write('plugins/recorder/index.js', HANGING);
    project.write('out/calls.jsonl.hang', '');
    const path = join(project.root, 'state', 'herald.db');
    const runtimeOn = (): Runtime =>
      createRuntime({
        driver: createEmbeddedDriver({ path }),
        graph: project.compile(),
        projectRoot: project.root,
        // A short send timeout stands in for the 30 s default: the hung calls end while stop() waits.
        // Two calls at a time on the channel: the rest of the backlog waits in the pool, not at the provider.
        pool: { threads: 1, logLevel: 'silent', sendTimeoutMs: 500, batchGraceMs: 200, maxSendsInFlightPerChannel: 2 },
      });
    const first = runtimeOn();
    cleanup.push(() => first.stop());
    await first.start();
    await first.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    const n = 40;
    for (let i = 0; i < n; i++) await first.ingest({ type: 'order.shipped', id: `o-${i}`, data: { subjectId: 's-1', orderId: `o-${i}` } });
    // A call hangs in the provider; the rest of the backlog waits for the worker.
    await until(() => callsOf(project).length > 0);
    await new Promise((r) => setTimeout(r, 100));
    const hung = callsOf(project);
    expect(hung.length).toBeGreaterThan(0);
    expect(hung.length).toBeLessThan(n);
    const stopAt = Date.now();
    await first.stop();
    // The hung call timed out during the drain, and no other call began.
    expect(callsOf(project).filter((c) => c.at >= stopAt)).toEqual([]);
    expect(callsOf(project)).toHaveLength(hung.length);

    // The next start sends what the first never did, each once, as a first try (not as a
    // possible duplicate of a call that may have happened).
    rmSync(join(project.root, 'out', 'calls.jsonl.hang'));
    const second = runtimeOn();
    cleanup.push(() => second.stop());
    await second.start();
    await until(() => callsOf(project).length >= n);
    await new Promise((r) => setTimeout(r, 100));
    const sentBySecond = callsOf(project).slice(hung.length).map((c) => c.key);
    const never = Array.from({ length: n }, (_, i) => `shipped:o-${i}:tell:1:email`).filter((k) => !hung.some((c) => c.key === k));
    expect(sentBySecond.sort()).toEqual(never.sort());
    expect(await second.metrics()).not.toMatch(/herald_attempts_resent_total\{/);
    await second.stop();
  });
});
