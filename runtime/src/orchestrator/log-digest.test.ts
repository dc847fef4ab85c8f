import { describe, expect, it } from 'vitest';
import { createLogDigest } from './log-digest.js';

function recorder() {
  const lines: { level: string; text: string }[] = [];
  const at = (level: string) => (text: string) => void lines.push({ level, text });
  return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('createLogDigest', () => {
  it('warns the first of a burst, counts the rest at debug level and sums them up at flush', () => {
    const { lines, log } = recorder();
    let now = 0;
    const digest = createLogDigest({ log, what: 'sent again', noun: ['attempt', 'attempts'], clock: () => now });
    for (let i = 0; i < 500; i++) {
      digest.note(`attempt a${i}`);
      now += 5;
    }
    digest.flush();
    const warns = lines.filter((l) => l.level === 'warn').map((l) => l.text);
    expect(warns).toEqual(['attempt a0: sent again', '499 more attempts within 3 s (each logged at debug level): sent again']);
    expect(lines.filter((l) => l.level === 'debug')).toHaveLength(499);
    expect(lines.find((l) => l.level === 'debug')?.text).toBe('attempt a1: sent again');
  });

  it('opens a new burst once the interval has passed, summing up the one before first', () => {
    const { lines, log } = recorder();
    let now = 0;
    const digest = createLogDigest({ log, what: 'sent again', noun: ['attempt', 'attempts'], intervalMs: 1000, clock: () => now });
    digest.note('attempt a');
    now = 400;
    digest.note('attempt b');
    now = 1500;
    digest.note('attempt c');
    now = 5000;
    digest.note('attempt d');
    digest.flush();
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.text)).toEqual([
      'attempt a: sent again',
      '1 more attempt within 2 s (each logged at debug level): sent again',
      'attempt c: sent again',
      'attempt d: sent again',
    ]);
  });

  it('says nothing at flush when nothing went unlogged', () => {
    const { lines, log } = recorder();
    const digest = createLogDigest({ log, what: 'sent again', noun: ['attempt', 'attempts'] });
    digest.flush();
    digest.note('attempt a');
    digest.flush();
    expect(lines.map((l) => l.text)).toEqual(['attempt a: sent again']);
  });
});
