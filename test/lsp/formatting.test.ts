import { describe, expect, it } from 'vitest';
import { formatYaml, formattingEdits } from '../../vscode-extension/src/server/formatting.js';
import { LineIndex } from '../../vscode-extension/src/server/positions.js';

const options = { tabSize: 2, insertSpaces: true };
const edits = (text: string) => formattingEdits(text, new LineIndex(text), options);

describe('formatting', () => {
  it('keeps Windows line endings: a tidy CRLF file gets no edit, an untidy one only its changed lines, in CRLF', () => {
    const tidy = 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - exit: done\n';
    expect(edits(tidy)).toEqual([]);
    expect(edits(tidy.replace(/\n/g, '\r\n'))).toEqual([]);
    const untidy = 'journey: j   \r\ntrigger: { event: a.b }\r\nsteps:\r\n  - exit: done\r\n';
    const [edit, ...more] = edits(untidy);
    expect(more).toEqual([]);
    expect(edit!.range.start).toEqual({ line: 0, character: 0 });
    expect(edit!.newText).toBe('journey: j\r\n');
  });

  it('keeps end-of-line comments aligned in their column, moved with the line\'s indentation', () => {
    const aligned = [
      'start: 2026-01-05T10:00:00Z          # where the clock starts',
      'subjects:                            # profiles, by subject id',
      '  c-100:',
      '    channels: [ email, sms ]         # preferred order',
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
    expect(formatYaml(text, options)).toBe('a: [ x, y, z, w ] # list\nb: 1        # one\n');
  });
});
