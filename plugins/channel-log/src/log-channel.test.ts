import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY_MESSAGE_KIND, checkManifest } from '@herald/plugin-sdk';
import type { OutboundMessage } from '@herald/plugin-sdk';
import { assertChannelContract, manualClock, testPluginContext, testSendContext } from '@herald/plugin-sdk/test-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import logChannel from './index.js';
import type { LogConfig, LogRecord } from './index.js';

const sms: OutboundMessage = {
  channel: 'sms',
  kind: 'sms',
  to: '+447700900123',
  locale: 'en-GB',
  content: { body: 'Invoice INV-7 is overdue' },
  subjectId: 'cust-42',
  journey: 'invoice-overdue',
  step: 'remind',
  category: 'billing',
  metadata: { templateId: 'payment-reminder' },
};
const letter: OutboundMessage = { ...sms, channel: 'post', kind: 'letter', to: '1 High St', content: { html: '<h1>Reminder</h1>' } };

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'herald-log-')), 'nested', 'outbox.jsonl');
}

function readRecords(path: string): LogRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogRecord);
}

async function open(config: LogConfig) {
  return logChannel.create(config, testPluginContext(config));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('@herald/channel-log', () => {
  it('ships a manifest that is valid, declares message "any" and matches package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../herald-plugin.json', import.meta.url), 'utf8')) as unknown;
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string; files: string[] };
    expect(checkManifest(manifest)).toMatchObject({ ok: true });
    expect(manifest).toMatchObject({ name: pkg.name, version: pkg.version, message: ANY_MESSAGE_KIND });
    expect(pkg.files).toContain('herald-plugin.json');
    expect(logChannel).toMatchObject({ kind: 'channel', name: '@herald/channel-log', messageKind: 'any' });
  });

  it('appends one JSON line per message of any kind, with the idempotency key as receipt', async () => {
    const path = tempFile();
    const channel = await open({ path });
    const clock = manualClock(Date.UTC(2030, 0, 2, 9, 30));
    const first = testSendContext({ idempotencyKey: 'inst-1:remind:sms:0', clock });
    const second = testSendContext({ idempotencyKey: 'inst-1:letter:post:0', attempt: 2, clock });

    expect(await channel.send(sms, first)).toEqual({ status: 'delivered', receipt: { providerMessageId: 'inst-1:remind:sms:0' } });
    expect(await channel.send(letter, second)).toEqual({ status: 'delivered', receipt: { providerMessageId: 'inst-1:letter:post:0' } });
    await channel.close?.();

    const records = readRecords(path);
    expect(records).toHaveLength(2);
    expect(records[0]).toEqual({
      time: '2030-01-02T09:30:00.000Z',
      idempotencyKey: 'inst-1:remind:sms:0',
      messageId: first.messageId,
      attempt: 1,
      channel: 'sms',
      kind: 'sms',
      to: '+447700900123',
      locale: 'en-GB',
      subjectId: 'cust-42',
      journey: 'invoice-overdue',
      step: 'remind',
      category: 'billing',
      content: { body: 'Invoice INV-7 is overdue' },
      metadata: { templateId: 'payment-reminder' },
    });
    expect(records[1]).toMatchObject({ kind: 'letter', attempt: 2, content: { html: '<h1>Reminder</h1>' } });
  });

  it('keeps appending to an existing file, and never interleaves concurrent lines', async () => {
    const path = tempFile();
    const before = await open({ path });
    await before.send(sms, testSendContext({ idempotencyKey: 'before' }));
    await before.close?.();

    const channel = await open({ path });
    const big = { ...sms, content: { body: 'x'.repeat(100_000) } };
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => channel.send(big, testSendContext({ idempotencyKey: `k-${i}` }))));
    await channel.close?.();
    expect(results.every((r) => r.status === 'delivered')).toBe(true);
    const records = readRecords(path);
    expect(records).toHaveLength(41);
    expect(records[0]?.idempotencyKey).toBe('before');
    expect(new Set(records.slice(1).map((r) => r.idempotencyKey)).size).toBe(40);
  });

  it.each([[{}], [{ path: '-' }]])('writes to stdout when the config is %j', async (config: LogConfig) => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string, callback?: (error?: Error | null) => void) => {
      lines.push(chunk);
      callback?.();
      return true;
    }) as typeof process.stdout.write);
    const channel = await open(config);
    const result = await channel.send(sms, testSendContext({ idempotencyKey: 'to-stdout' }));
    await channel.close?.();
    expect(result).toMatchObject({ status: 'delivered', receipt: { providerMessageId: 'to-stdout' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ idempotencyKey: 'to-stdout', content: sms.content });
  });

  it('does not write when the signal is aborted, nor after close', async () => {
    const path = tempFile();
    const channel = await open({ path });
    expect(await channel.send(sms, testSendContext({ signal: AbortSignal.abort() }))).toMatchObject({ status: 'failed', retryable: true, code: 'ABORTED' });
    await channel.close?.();
    expect(await channel.send(sms, testSendContext())).toMatchObject({ status: 'failed', retryable: true, code: 'CLOSED' });
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('fails create when the path cannot be opened', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'herald-log-'));
    await expect(open({ path: directory })).rejects.toThrow(/EISDIR/);
  });

  it('passes the SDK channel contract', async () => {
    const path = tempFile();
    await assertChannelContract(logChannel, {
      config: { path },
      validMessage: sms,
      expect: 'delivered',
      stableReceipt: true,
      verifyIdempotency: ([first, retry]) => {
        const lines = readRecords(path).filter((r) => r.idempotencyKey === first.ctx.idempotencyKey);
        expect(lines.map((r) => r.attempt)).toEqual([first.ctx.attempt, retry.ctx.attempt]);
        expect(lines.map((r) => r.messageId)).toEqual([first.ctx.messageId, first.ctx.messageId]);
      },
    });
  });
});
