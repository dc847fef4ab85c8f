/**
 * The first edits after a file is opened. The server's first check of a file runs cold (JIT,
 * building the focus project), which must not make a small file look slow; and while a file
 * that really is slow waits for a pause in typing, completion still sees what was just typed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionRequest, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol/node.js';
import { bigJourney } from './fixtures.js';
import { copyProject, LspClient, removeProject } from './lsp-client.js';

const JOURNEY = 'journeys/invoice-overdue.journey.yaml';

let root: string;
let client: LspClient;

beforeAll(async () => {
  root = copyProject();
  // The whole-project check would also answer an edit after its delay: keep it out of the way.
  client = await LspClient.start(root, { fullCheckDelayMs: 5000 });
});

afterAll(async () => {
  await client?.stop();
  if (root) removeProject(root);
});

function labels(r: CompletionList | CompletionItem[] | null): string[] {
  return !r ? [] : (Array.isArray(r) ? r : r.items).map((i) => i.label);
}

describe('right after a file is opened', () => {
  it('checks a small file at once, although its first check ran on a cold server', async () => {
    const good = readFileSync(join(root, JOURNEY), 'utf8');
    const bad = good.replace('send: payment-reminder', 'send: payment-remindr');
    await client.open(JOURNEY, good);
    const latencies: number[] = [];
    for (const text of [bad, good, bad]) {
      const t0 = performance.now();
      const published = await client.change(JOURNEY, text);
      latencies.push(performance.now() - t0);
      expect(published.diagnostics.some((d) => d.code === 'unknown-template')).toBe(text === bad);
    }
    // A file taken for slow is checked only after typing pauses for 200 ms to 2 s; this one checks in milliseconds.
    const median = [...latencies].sort((a, b) => a - b)[1]!;
    expect(median, `latencies ${latencies.map((ms) => ms.toFixed(0)).join(', ')} ms`).toBeLessThan(150);
    await client.close(JOURNEY);
  });

  it('completes step ids from the text just typed while a slow file waits to be checked', async () => {
    const rel = 'journeys/big.journey.yaml';
    const text = bigJourney(5000);
    await client.open(rel, text);
    // Two more checks tell the server how long this file takes (the first one does not count).
    await client.change(rel, `${text}# 1\n`);
    await client.change(rel, `${text}# 2\n`);
    const typed = text.replace('  - exit: done\n', '  - id: just-typed\n    exit: done\n  - goto: \n');
    // The completion request follows the edit at once, as an editor sends them while typing.
    const checked = client.change(rel, typed);
    const end = client.position(rel, '  - goto: ', '  - goto: '.length);
    const r = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(rel) }, position: end });
    expect(labels(r)).toEqual(expect.arrayContaining(['remind-0', 'just-typed']));
    await checked;
    await client.close(rel);
  });
});
