import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageIdFor } from '@herald/plugin-sdk';
import type { OutboundMessage } from '@herald/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { createPluginHost, checkPlugins, PluginStartupError } from './plugin-host.js';
import type { PluginHostOptions } from './plugin-host.js';
import { jsonLogger } from './plugin-logger.js';

/**
 * Test plugins are written without importing the SDK (a temp folder cannot resolve it): a
 * frozen object of the shape defineChannel returns is what isChannelPlugin recognises.
 */
const root = mkdtempSync(join(tmpdir(), 'herald-plugin-host-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function channelModule(body: string, schema = '{ "type": "object" }'): string {
  return `export default Object.freeze({
    kind: 'channel', name: 'test-channel', version: '1.0.0', messageKind: 'sms', manifest: undefined,
    configSchema: ${schema},
    create(config, ctx) { ${body} },
  });\n`;
}

function writePlugin(rel: string, source: string): string {
  const dir = join(root, rel);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), source);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: rel, type: 'module', exports: { '.': { import: './index.js' } } }));
  return `./${rel}`;
}

const calls: string[] = [];
const message: OutboundMessage = {
  channel: 'c',
  kind: 'sms',
  to: '+15550100',
  locale: 'en',
  content: { body: 'hello' },
  subjectId: 's-1',
  journey: 'j',
  step: 'n',
  metadata: {},
};

const good = writePlugin(
  'plugins/good',
  channelModule(`
    ctx.logger.info('created');
    return { async send(message, sctx) { return Object.freeze({ status: 'delivered', receipt: { providerMessageId: sctx.messageId, port: config.port, attempt: sctx.attempt } }); } };
  `, '{ "type": "object", "properties": { "port": { "type": "integer" }, "from": { "type": "string" } }, "additionalProperties": false }'),
);
const hang = writePlugin(
  'plugins/hang',
  channelModule(`return { send(message, sctx) { return new Promise((resolve) => { sctx.signal.addEventListener('abort', () => { globalThis.__sawAbort = true; }); }); } };`),
);
const throws = writePlugin('plugins/throws', channelModule(`return { async send() { throw new Error('boom'); } };`));
const malformed = writePlugin('plugins/malformed', channelModule(`return { async send() { return { status: 'sent' }; } };`));
const failsCreate = writePlugin('plugins/fails-create', channelModule(`throw new Error('cannot open the modem');`));
const notAPlugin = writePlugin('plugins/not-a-plugin', 'export default { hello: 1 };\n');

// An npm-style package installed in the project, exporting only an `import` condition.
const pkgDir = join(root, 'node_modules', '@acme', 'channel-x');
mkdirSync(pkgDir, { recursive: true });
writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: '@acme/channel-x', type: 'module', exports: { '.': { import: './main.js' } } }));
writeFileSync(join(pkgDir, 'main.js'), channelModule(`return { async send() { return Object.freeze({ status: 'delivered', receipt: { from: 'acme' } }); } };`));

mkdirSync(join(root, 'data'), { recursive: true });
writeFileSync(join(root, 'data', 'crm.json'), JSON.stringify({ customers: { 'c-1': { name: 'Ada' } } }));

function options(over: Partial<PluginHostOptions>): PluginHostOptions {
  const entries: string[] = [];
  return {
    projectRoot: root,
    channels: {},
    sources: {},
    env: {},
    logger: {
      debug: (m) => entries.push(m),
      info: (m) => calls.push(m),
      warn: (m) => entries.push(m),
      error: (m) => entries.push(m),
    },
    ...over,
  };
}

describe('plugin host', () => {
  it('loads a local plugin, substitutes ${ENV} (a whole-string number becomes a number) and sends with a derived Message-ID', async () => {
    const host = await createPluginHost(
      options({ channels: { sms: { use: good, message: 'sms', config: { port: '${PORT}', from: 'Billing <billing@acme.example>' } } }, env: { PORT: '2525' } }),
    );
    const result = await host.send('sms', message, { idempotencyKey: 'k-1', attempt: 2 });
    expect(result).toEqual({
      status: 'delivered',
      receipt: { providerMessageId: messageIdFor('k-1', 'acme.example'), port: 2525, attempt: 2 },
    });
    expect(host.messageIdFor('sms', 'k-1')).toBe(messageIdFor('k-1', 'acme.example'));
    expect(calls).toContain('[channel:sms] created');
    await host.close();
    await host.close();
  });

  it('takes many sends in flight at once without Node warning of a listener leak', async () => {
    const slow = writePlugin(
      'plugins/slow',
      channelModule(`return { async send(message, sctx) { await new Promise((r) => setTimeout(r, 20)); return Object.freeze({ status: 'delivered', receipt: { providerMessageId: sctx.messageId } }); } };`),
    );
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const host = await createPluginHost(options({ channels: { sms: { use: slow, message: 'sms', config: {} } } }));
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => host.send('sms', message, { idempotencyKey: `k-${i}`, attempt: 1 })));
      expect(results.every((r) => r.status === 'delivered')).toBe(true);
      await host.close();
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('resolves packages from the project node_modules, and bundled @herald/* plugins from the runtime', async () => {
    const host = await createPluginHost(
      options({
        channels: {
          x: { use: '@acme/channel-x', message: 'sms', config: {} },
          log: { use: '@herald/channel-log', message: 'any', config: { path: 'out/messages.jsonl' } },
        },
      }),
    );
    expect(await host.send('x', message, { idempotencyKey: 'k', attempt: 1 })).toMatchObject({ status: 'delivered', receipt: { from: 'acme' } });
    expect(await host.send('log', message, { idempotencyKey: 'k-2', attempt: 1 })).toMatchObject({ status: 'delivered' });
    await host.close();
    // `path` was resolved against the project root, not the working directory.
    expect(JSON.parse(readFileSync(join(root, 'out', 'messages.jsonl'), 'utf8'))).toMatchObject({ idempotencyKey: 'k-2', to: '+15550100' });
  });

  it('gives the file source its path relative to the project root and runs declared queries', async () => {
    const host = await createPluginHost(
      options({
        sources: {
          crm: {
            use: '@herald/source-file',
            config: { path: 'data/crm.json' },
            queries: { customerById: { args: { kind: 'dyn' }, returns: { kind: 'dyn' }, with: { collection: 'customers', key: 'id' } } },
          },
        },
      }),
    );
    expect(await host.query('crm', 'customerById', { id: 'c-1' }, { attempt: 1 })).toEqual({ ok: true, value: { name: 'Ada' } });
    expect(await host.query('crm', 'nope', { id: 'c-1' }, { attempt: 1 })).toMatchObject({ ok: false, code: 'UNKNOWN_QUERY' });
    await host.close();
  });

  it('reports every startup problem at once: missing env var (naming channel and variable), invalid config, bad export, create failure', async () => {
    const opts = options({
      channels: {
        email: { use: good, message: 'sms', config: { from: '${SMTP_FROM}' } },
        typo: { use: good, message: 'sms', config: { prot: 25 } },
        odd: { use: notAPlugin, message: 'sms', config: {} },
        missing: { use: '@acme/not-installed', message: 'sms', config: {} },
      },
    });
    const problems = await checkPlugins(opts);
    expect(problems).toEqual([
      'channel "email": config.from: the environment variable SMTP_FROM is not set',
      expect.stringMatching(/^channel "missing" \(use: @acme\/not-installed\): package @acme\/not-installed is not installed/),
      'channel "odd" (use: ./plugins/not-a-plugin): the default export is not a channel plugin made with defineChannel',
      'channel "typo": config.prot is not allowed here',
    ]);
    await expect(createPluginHost(opts)).rejects.toBeInstanceOf(PluginStartupError);
    await expect(createPluginHost(options({ channels: { modem: { use: failsCreate, message: 'sms', config: {} } } }))).rejects.toThrow(
      'channel "modem" (test-channel): create failed: cannot open the modem',
    );
  });

  it('turns a hang into a retryable timeout (aborting the plugin signal), a throw and a malformed result into retryable failures', async () => {
    const host = await createPluginHost(
      options({
        channels: {
          hang: { use: hang, message: 'sms', config: {} },
          throws: { use: throws, message: 'sms', config: {} },
          malformed: { use: malformed, message: 'sms', config: {} },
        },
      }),
    );
    const started = Date.now();
    expect(await host.send('hang', message, { idempotencyKey: 'k', attempt: 1, timeoutMs: 50 })).toEqual({
      status: 'failed',
      retryable: true,
      reason: 'timeout after 50ms',
      code: 'TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((globalThis as { __sawAbort?: boolean }).__sawAbort).toBe(true);
    expect(await host.send('throws', message, { idempotencyKey: 'k', attempt: 1 })).toMatchObject({
      status: 'failed',
      retryable: true,
      reason: 'plugin threw: boom',
    });
    expect(await host.send('malformed', message, { idempotencyKey: 'k', attempt: 1 })).toMatchObject({
      status: 'failed',
      retryable: true,
      reason: expect.stringMatching(/^plugin returned an invalid result/),
    });
    expect(await host.send('nope', message, { idempotencyKey: 'k', attempt: 1 })).toMatchObject({ retryable: false, code: 'UNKNOWN_CHANNEL' });
    await host.close();
  });
});

const reads = writePlugin(
  'plugins/reads-callbacks',
  channelModule(`return {
    async send() { return Object.freeze({ status: 'accepted', receipt: { providerMessageId: 'p-1' } }); },
    readCallback(cb, cctx) {
      const p = new URLSearchParams(cb.body);
      if (cb.headers['x-sig'] !== 'ok') return { ok: false, status: 403, reason: 'bad signature at ' + cb.url };
      if (p.get('kind') === 'throw') throw new Error('cannot read');
      if (p.get('kind') === 'hang') return new Promise(() => {});
      if (p.get('kind') === 'nonsense') return { ok: true, receipts: [{ providerMessageId: 'p-1', status: 'sent' }] };
      return { ok: true, receipts: [{ providerMessageId: p.get('id'), status: p.get('status'), reason: 'at ' + cctx.clock.now() }] };
    },
  };`),
);

describe('plugin host: provider callbacks', () => {
  const callback = (body: string, sig = 'ok') => ({
    url: 'https://h.example/callbacks/sms',
    headers: { 'x-sig': sig },
    contentType: 'application/x-www-form-urlencoded',
    body,
    rawBody: new TextEncoder().encode(body),
  });

  it("hands a callback to the channel's readCallback and checks what it reads; a plugin without one is `unsupported`", async () => {
    const host = await createPluginHost(
      options({ channels: { sms: { use: reads, message: 'sms', config: {} }, plain: { use: good, message: 'sms', config: {} } }, clock: { now: () => 42 }, sendTimeoutMs: 100 }),
    );
    expect(await host.readCallback('sms', callback('id=p-1&status=bounced'))).toEqual({ kind: 'read', receipts: [{ providerMessageId: 'p-1', status: 'bounced', reason: 'at 42' }] });
    expect(await host.readCallback('sms', callback('id=p-1&status=bounced', 'forged'))).toEqual({
      kind: 'refused',
      status: 403,
      reason: 'bad signature at https://h.example/callbacks/sms',
    });
    expect(await host.readCallback('sms', callback('kind=throw'))).toMatchObject({ kind: 'failed', reason: 'plugin threw: cannot read', code: 'PLUGIN_THREW' });
    expect(await host.readCallback('sms', callback('kind=nonsense'))).toMatchObject({ kind: 'failed', reason: expect.stringContaining('(delivered, bounced or failed)') });
    expect(await host.readCallback('sms', callback('kind=hang'))).toMatchObject({ kind: 'failed', code: 'TIMEOUT' });
    expect(await host.readCallback('plain', callback(''))).toEqual({ kind: 'unsupported' });
    expect(await host.readCallback('nope', callback(''))).toMatchObject({ kind: 'failed', code: 'UNKNOWN_CHANNEL' });
    await host.close();
  });
});

describe('plugin host logging', () => {
  it('logs a plugin that throws at warn (plugin, error, stack; on the channel-scoped logger), once per distinct message per minute', async () => {
    const flaky = writePlugin('plugins/flaky', channelModule(`return { async send(message) { throw new Error(message.content.body); } };`));
    const warned: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const host = await createPluginHost(
      options({
        channels: { sms: { use: flaky, message: 'sms', config: {} } },
        logger: { debug() {}, info() {}, warn: (m, f) => warned.push({ message: m, fields: f as Record<string, unknown> }), error() {} },
      }),
    );
    const sendWith = (body: string) => host.send('sms', { ...message, content: { body } }, { idempotencyKey: 'k', attempt: 1 });
    for (let i = 0; i < 5; i++) expect(await sendWith('provider exploded')).toMatchObject({ retryable: true, code: 'PLUGIN_THREW', reason: 'plugin threw: provider exploded' });
    await sendWith('another problem');
    expect(warned).toHaveLength(2);
    expect(warned[0]!.message).toMatch(/^\[channel:sms\] send threw: provider exploded/);
    expect(warned[0]!.fields).toMatchObject({ plugin: 'test-channel', error: 'provider exploded', stack: expect.stringContaining('Error: provider exploded') });
    expect(warned[1]!.message).toMatch(/^\[channel:sms\] send threw: another problem/);
    await host.close();
  });

  it('gives plugins of a structured (JSON) logger their channel or source as a field', async () => {
    const lines: string[] = [];
    const logger = jsonLogger('debug', (line) => void lines.push(line));
    const host = await createPluginHost(options({ channels: { sms: { use: good, message: 'sms', config: {} } }, logger }));
    await host.close();
    const created = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e['msg'] === 'created');
    expect(created).toMatchObject({ level: 30, channel: 'sms', msg: 'created', pid: process.pid });
  });
});
