import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmbeddedDriver } from '../../driver/embedded/index.js';
import { createRuntime } from '../../orchestrator/create-runtime.js';
import { loadProjectGraph } from '../../orchestrator/load-project-graph.js';
import { heraldInProcess } from '../../../../test/helpers/herald-in-process.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

/** `herald plugin ...args` in-process: stdout; a usage error (exit 2) rejects with its message. */
async function heraldPlugin(...args: string[]): Promise<string> {
  const r = await heraldInProcess(['plugin', ...args]);
  if (r.code !== 0) throw new Error(r.err);
  return r.out;
}

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('herald plugin new', () => {
  // Inside the repository, so the plugins resolve @herald/plugin-sdk and typescript from its node_modules, as after `npm install`.
  const scratch = mkdtempSync(join(REPO, '.scratch-plugin-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const received: { url: string; key: string | undefined; body: string }[] = [];
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', key: req.headers['idempotency-key'] as string | undefined, body });
        const url = new URL(req.url ?? '/', 'http://localhost');
        res.writeHead(200, { 'content-type': 'application/json' });
        if (url.pathname === '/v1/customerById') res.end(JSON.stringify({ id: url.searchParams.get('id'), name: 'Ada Lovelace' }));
        else res.end(JSON.stringify({ id: `fax-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('writes a channel and a source that build, pass the SDK contract test, and send and answer in a running Herald', async () => {
    const fax = join(scratch, 'plugins/fax');
    const crm = join(scratch, 'plugins/crm');
    expect(await heraldPlugin('new', 'channel', '@acme/channel-fax', '--dir', fax, '--message', 'email')).toContain('wrote channel @acme/channel-fax');
    await heraldPlugin('new', 'source', 'acme-crm-source', '--dir', crm);
    expect(JSON.parse(readFileSync(join(fax, 'herald-plugin.json'), 'utf8'))).toMatchObject({ name: '@acme/channel-fax', kind: 'channel', message: 'email' });
    expect(JSON.parse(readFileSync(join(fax, 'package.json'), 'utf8')).dependencies['@herald/plugin-sdk']).toMatch(/^file:.*plugins\/sdk$/);

    // Its own test: the build, then the contract test kit against a local stand-in.
    for (const dir of [fax, crm]) {
      const built = run(process.execPath, [TSC, '-p', '.'], dir);
      expect(built.status, built.output).toBe(0);
      const tested = run(process.execPath, ['--test', 'test/'], dir);
      expect(tested.status, tested.output).toBe(0);
      expect(tested.output).toMatch(/# pass 1/);
    }

    // A project that uses both, run: the source's answer is in the message the channel posts.
    writeFileSync(
      join(scratch, 'herald.yaml'),
      `project: scaffolded\ndefaults: { policy: plain }\nchannels:\n  fax: { use: ./plugins/fax, config: { endpoint: "${endpoint}" } }\n` +
        `sources:\n  crm:\n    use: ./plugins/crm\n    config: { endpoint: "${endpoint}" }\n    queries:\n      customerById: { args: { id: string }, returns: { id: string, name: string } }\n` +
        'events:\n  user.signed_up: { fields: { subjectId: string } }\n',
    );
    mkdirSync(join(scratch, 'journeys'));
    writeFileSync(join(scratch, 'journeys/welcome.journey.yaml'), 'journey: welcome\ntrigger: { event: user.signed_up }\ndata:\n  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }\nsteps:\n  - send: hello\n');
    writeFileSync(join(scratch, 'journeys/hello.template.yaml'), 'template: hello\nemail:\n  en: { subject: "Hello {{customer.name}}", text: "Welcome" }\n');
    writeFileSync(join(scratch, 'journeys/plain.policy.yaml'), 'policy: plain\nchannels: [fax]\n');
    const { ir, diagnostics } = loadProjectGraph(scratch);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    received.length = 0;
    const runtime = createRuntime({ driver: createEmbeddedDriver({ path: ':memory:' }), graph: ir!, projectRoot: scratch, pool: { threads: 1, logLevel: 'silent' } });
    await runtime.start();
    try {
      await runtime.putSubject({ id: 'c-1', contacts: { fax: 'ada@example.com' } });
      expect(await runtime.ingest({ type: 'user.signed_up', data: { subjectId: 'c-1' } })).toMatchObject({ ok: true });
      await vi.waitFor(() => expect(received.some((r) => r.url === '/v1/messages')).toBe(true), { timeout: 10_000, interval: 50 });
    } finally {
      await runtime.stop();
    }
    expect(received.map((r) => r.url)).toEqual(['/v1/customerById?id=c-1', '/v1/messages']);
    const post = received[1]!;
    expect(post.key).toMatch(/^welcome:/);
    expect(JSON.parse(post.body)).toMatchObject({ to: 'ada@example.com', kind: 'email', content: { subject: 'Hello Ada Lovelace', text: 'Welcome' } });
  });

  it('refuses a name that is no package name, a folder that is not empty, and --message for a source', async () => {
    await expect(heraldPlugin('new', 'channel', 'Acme Fax')).rejects.toThrow('"Acme Fax" cannot be the plugin\'s name: a package name is lower case');
    const taken = join(scratch, 'taken');
    mkdirSync(taken, { recursive: true });
    writeFileSync(join(taken, 'x'), '');
    await expect(heraldPlugin('new', 'channel', 'fax', '--dir', taken)).rejects.toThrow('is not empty; give another --dir');
    await expect(heraldPlugin('new', 'source', 'crm', '--dir', join(scratch, 'other'), '--message', 'sms')).rejects.toThrow('--message is for channels');
    await expect(heraldPlugin('new', 'widget', 'fax')).rejects.toThrow();
  });
});
