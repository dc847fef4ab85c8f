import { describe, expect, it } from 'vitest';
import { formattingEdits } from '../../vscode-extension/src/server/formatting.js';
import { LineIndex } from '../../vscode-extension/src/server/positions.js';

const options = { tabSize: 2, insertSpaces: true };
const edits = (text: string) => formattingEdits(text, new LineIndex(text), options);

describe('formatting in the editor', () => {
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
});
