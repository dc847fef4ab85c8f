import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFile, formatYaml } from './format-yaml.js';

const options = { tabSize: 2 };

describe('formatYaml', () => {
  it('keeps end-of-line comments aligned in their column, moved with the line\'s indentation', () => {
    const aligned = [
      'start: 2026-01-05T10:00:00Z          # where the clock starts',
      'subjects:                            # profiles, by subject id',
      '  c-100:',
      '    channels: [email, sms]           # preferred order',
      'tests: []                            # none yet',
      '',
    ].join('\n');
    // Formatted already: nothing to do, the column stays.
    expect(formatYaml(aligned, options)).toBe(aligned);
    // Re-indented from 4 to 2: the comment moves left with its line, the others stay.
    const wide = aligned.replace('  c-100:\n    channels', '    c-100:\n        channels');
    expect(formatYaml(wide, options)).toBe(aligned);
  });

  it('puts one space before a comment the code now reaches past', () => {
    const text = 'a: [x,y,z,w] # list\nb: 1        # one\n';
    expect(formatYaml(text, options)).toBe('a: [x, y, z, w] # list\nb: 1        # one\n');
  });

  it('pads flow maps and not flow sequences, at every depth (the style of Prettier and of the examples)', () => {
    expect(formatYaml('a: [ x,y ]\nb: {c: [1, {d: [ 2 ]}]}\ne: []\nf: {}\ng: [{h: 1}]\n', options)).toBe(
      'a: [x, y]\nb: { c: [1, { d: [2] }] }\ne: []\nf: {}\ng: [{ h: 1 }]\n',
    );
  });

  it('leaves a map used as a key as it is written (a template tag `{{ x }}` outside quotes), tidying only whitespace', () => {
    const text = 'journey: j\ntrigger:\n  event: a.b\n  subject: {{ event.subjectId }}   \n';
    expect(formatYaml(text, options)).toBe('journey: j\ntrigger:\n  event: a.b\n  subject: {{ event.subjectId }}\n');
  });

  it('changes nothing in the example projects: they are written in the formatter\'s style', () => {
    const examples = new URL('../../../examples/', import.meta.url).pathname;
    const files = readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => join(examples, f));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const formatted = formatYaml(text, options);
      if (formatted !== undefined) expect(formatted, file).toBe(text);
    }
  });

  it('keeps a file\'s Windows line endings and byte order mark (formatFile), and leaves invalid YAML alone', () => {
    expect(formatFile('a: [ x ]   \r\nb: 1\r\n', options)).toBe('a: [x]\r\nb: 1\r\n');
    expect(formatFile('a: [x\n', options)).toBeUndefined();
    // A byte order mark stays where it was.
    expect(formatFile('\uFEFFa: [ x ]\r\n', options)).toBe('\uFEFFa: [x]\r\n');
  });
});
