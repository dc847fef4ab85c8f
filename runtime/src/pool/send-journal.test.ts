import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSendJournal, readSendJournals, removeSendJournals } from './send-journal.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('send journal', () => {
  it('records outcomes per thread, reads them back (skipping a torn last line) and removes the files', () => {
    createSendJournal(dir, 1).record('d-1:email#1', { status: 'delivered', receipt: {} });
    const j2 = createSendJournal(dir, 2);
    j2.record('d-2:email#1', { status: 'failed', retryable: true, reason: 'x' });
    j2.record('d-2:email#2', { status: 'delivered', receipt: { providerMessageId: 'p' } });
    const [file] = readdirSync(dir).filter((f) => f.includes(`-2-`));
    appendFileSync(join(dir, file!), '["d-3:email#1", {"status": "deliv');
    const { entries, files } = readSendJournals(dir);
    expect(files).toHaveLength(2);
    expect([...entries.keys()].sort()).toEqual(['d-1:email#1', 'd-2:email#1', 'd-2:email#2']);
    expect(entries.get('d-2:email#2')).toEqual({ status: 'delivered', receipt: { providerMessageId: 'p' } });
    removeSendJournals(files);
    expect(readSendJournals(dir).files).toEqual([]);
  });

  it('reads nothing from a folder that does not exist', () => {
    expect(readSendJournals(join(dir, 'missing')).entries.size).toBe(0);
  });
});
