/**
 * `herald start` as a process (the built CLI: `npx tsc -b runtime` first): what an operator
 * sees of it — process metrics in GET /metrics, a /healthz that tells a caller without the
 * token only whether it is up, probes kept out of the info log, and SIGTERM exiting 0.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../../../../test/helpers/cli.js';
import { freePort, waitFor } from '../../../../test/helpers/ports.js';
import { makeTestProject } from '../../orchestrator/orchestrator-test-project.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly url?: string;
  readonly statusCode?: number;
}

describe('herald start', () => {
  it('serves process metrics, a tight-lipped /healthz, logs no probe at info, and exits 0 on SIGTERM', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'start', project.root, '--port', String(port), '--token', 't0ken', '--threads', '1'], {
      env: { ...process.env, HERALD_TOKEN: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${url}/healthz`);

    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    const detailed = (await (await fetch(`${url}/healthz`, { headers: { authorization: 'Bearer t0ken' } })).json()) as { details: Record<string, unknown> };
    expect(detailed.details).toMatchObject({ state: 'running', driver: 'embedded' });
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer t0ken' } })).text();
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(metrics).toMatch(/^# TYPE herald_deliveries_total counter$/m);
    expect((await fetch(`${url}/instances?journey=shipped`, { headers: { authorization: 'Bearer t0ken' } })).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
    // One line per request at info, none for the probes (they are at debug).
    expect(lines.filter((l) => l.statusCode !== undefined).map((l) => [l.level, l.msg.replace(/ [\d.]+ ms$/, '')])).toEqual([[30, 'GET /instances?journey=shipped 200']]);
    expect(lines.filter((l) => /incoming request|request completed/.test(l.msg))).toEqual([]);
    expect(lines.find((l) => l.msg === 'herald: stopped')).toMatchObject({ level: 30 });
    expect(stderr).toBe('');
  }, 60_000);
});
