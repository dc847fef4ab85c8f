import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heraldInProcess } from '../../../test/helpers/herald-in-process.js';
import { startDev } from './commands/dev.js';
import { useColor } from './use-color.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('useColor', () => {
  it('colours a terminal unless --no-color or NO_COLOR says otherwise', () => {
    expect(useColor(tty, true, {})).toBe(true);
    expect(useColor(tty, false, {})).toBe(false);
    expect(useColor(tty, true, { NO_COLOR: '1' })).toBe(false);
  });

  it('takes any non-empty NO_COLOR (no-color.org), and an empty one as unset', () => {
    for (const value of ['1', 'true', '0', 'false', 'yes']) expect(useColor(tty, true, { NO_COLOR: value }), value).toBe(false);
    expect(useColor(tty, true, { NO_COLOR: '' })).toBe(true);
  });

  it('never colours what is not a terminal: a pipe, a file, CI logs', () => {
    expect(useColor(pipe, true, {})).toBe(false);
    expect(useColor({}, true, {})).toBe(false);
  });

  it('reads process.env by default', () => {
    const saved = process.env['NO_COLOR'];
    try {
      process.env['NO_COLOR'] = '1';
      expect(useColor(tty)).toBe(false);
      delete process.env['NO_COLOR'];
      expect(useColor(tty)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = saved;
    }
  });
});

describe('every command decides colour with it', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'herald-color-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const broken = join(scratch, 'broken');
  mkdirSync(join(broken, 'journeys'), { recursive: true });
  writeFileSync(join(broken, 'herald.yaml'), 'project: broken\n');
  writeFileSync(join(broken, 'journeys/a.journey.yaml'), 'journey: a\ntrigger: { event: nope }\nsteps: []\n');
  const typo = join(scratch, 'typo');
  mkdirSync(typo, { recursive: true });
  writeFileSync(join(typo, 'herald.yaml'), 'project: typo\n');
  writeFileSync(join(typo, 'typo.test.yaml'), 'tests:\n  - name: typo\n    steps:\n      - advance: 7days\n');

  const ESC = '\u001b[';
  const saved = { NO_COLOR: process.env['NO_COLOR'], out: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'), err: Object.getOwnPropertyDescriptor(process.stderr, 'isTTY') };
  beforeEach(() => {
    // As on a terminal: stdout and stderr are TTYs.
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
  });
  afterEach(() => {
    for (const [stream, descriptor] of [[process.stdout, saved.out], [process.stderr, saved.err]] as const) {
      if (descriptor) Object.defineProperty(stream, 'isTTY', descriptor);
      else delete (stream as { isTTY?: boolean }).isTTY;
    }
    if (saved.NO_COLOR === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = saved.NO_COLOR;
  });

  /** What a command printed: stdout and stderr together. */
  const printed = async (args: string[], noColor: string | undefined) => {
    if (noColor === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = noColor;
    const r = await heraldInProcess(args);
    return r.out + r.err;
  };

  it.each([
    ['validate (stdout)', ['validate', broken]],
    ['compile (stderr)', ['compile', broken]],
    ['test, a project that does not compile (stderr)', ['test', broken]],
    ['test, a test file with a mistake (stdout)', ['test', typo]],
  ])('%s: coloured on a terminal, plain with NO_COLOR set or --no-color', async (_what, args) => {
    const coloured = await printed(args, undefined);
    expect(coloured).toContain(ESC);
    const plain = await printed(args, '1');
    expect(plain).not.toContain(ESC);
    // The same text, less the colour.
    expect(plain).toBe(coloured.replace(/\u001b\[\d+m/g, ''));
    if (args[0] === 'validate' || args[0] === 'test') expect(await printed([...args, '--no-color'], undefined)).not.toContain(ESC);
  });

  it('herald dev: its compile errors are plain with NO_COLOR set', async () => {
    process.env['NO_COLOR'] = '1';
    const lines: string[] = [];
    const session = await startDev({ dir: broken, port: 0, smtpPort: 0, data: '.herald/dev.db', watch: false, out: (t) => lines.push(t) });
    await session.close();
    expect(lines.join('')).toContain('unknown-event');
    expect(lines.join('')).not.toContain(ESC);
  });
});
