import { hostname } from 'node:os';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { jsonLogger, logLimiter, pluginScopedLogger } from './plugin-logger.js';

describe('jsonLogger', () => {
  it("writes one JSON line per entry in the shape of herald start's pino logger", () => {
    const ours: string[] = [];
    jsonLogger('info', (line) => void ours.push(line)).child({ channel: 'sms' }).warn('provider slow', { ms: 12 });
    const theirs: string[] = [];
    pino({ level: 'info' }, { write: (line: string) => void theirs.push(line) }).child({ channel: 'sms' }).warn({ ms: 12 }, 'provider slow');
    expect(ours).toHaveLength(1);
    expect(ours[0]!.endsWith('\n')).toBe(true);
    const [a, b] = [JSON.parse(ours[0]!) as Record<string, unknown>, JSON.parse(theirs[0]!) as Record<string, unknown>];
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect({ ...a, time: 0 }).toEqual({ ...b, time: 0 });
    expect(a).toMatchObject({ level: 40, pid: process.pid, hostname: hostname(), channel: 'sms', ms: 12, msg: 'provider slow' });
  });

  it('drops entries below its level, and scopes plugin loggers by a field instead of a prefix', () => {
    const lines: string[] = [];
    const logger = pluginScopedLogger(jsonLogger('warn', (line) => void lines.push(line)), 'source', 'crm');
    logger.info('hidden');
    logger.error('shown');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([expect.objectContaining({ level: 50, source: 'crm', msg: 'shown' })]);
  });
});

describe('logLimiter', () => {
  it('lets one entry per key through per window and says how many it held back', () => {
    let now = 0;
    const limiter = logLimiter(60_000, 1_000, () => now);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeUndefined();
    expect(limiter.take('a')).toBeUndefined();
    expect(limiter.take('b')).toBe(0);
    now = 60_000;
    expect(limiter.take('a')).toBe(2);
    expect(limiter.take('a')).toBeUndefined();
  });

  it('stays bounded with many distinct keys', () => {
    const limiter = logLimiter(60_000, 10, () => 0);
    for (let i = 0; i < 100; i++) expect(limiter.take(`k-${i}`)).toBe(0);
  });
});
