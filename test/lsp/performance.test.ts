/**
 * No freezes: big files, anchors and alias bombs are answered quickly. The limits here are
 * generous (shared CI machines); bench/lsp-latency.mjs measures the real figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionRequest, DocumentFormattingRequest, HoverRequest, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol/node.js';
import { aliasBomb, anchoredJourney, bigJourney } from './fixtures.js';
import { copyProject, LspClient, removeProject } from './lsp-client.js';

let root: string;
let client: LspClient;

beforeAll(async () => {
  root = copyProject();
  client = await LspClient.start(root);
});

afterAll(async () => {
  await client?.stop();
  if (root) removeProject(root);
});

function labels(r: CompletionList | CompletionItem[] | null): string[] {
  return !r ? [] : (Array.isArray(r) ? r : r.items).map((i) => i.label);
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

describe('a 5,000-line journey', () => {
  const rel = 'journeys/big.journey.yaml';

  it('is checked and completed quickly', async () => {
    const text = bigJourney(5000);
    expect(text.split('\n').length).toBeGreaterThanOrEqual(5000);
    const opened = await timed(() => client.open(rel, text));
    expect(opened.value.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    // Completion of step ids at the end, and of expression fields in the middle.
    const end = client.position(rel, 'goto: escalate-', 0, 150);
    const steps = await timed(() => client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(rel) }, position: { line: end.line, character: end.character + 6 } }));
    expect(labels(steps.value)).toContain('remind-0');
    const mid = client.position(rel, 'trigger.amount > 11', 'trigger.'.length);
    const fields = await timed(() => client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(rel) }, position: mid }));
    expect(labels(fields.value)).toContain('amount');
    console.log(`5,000-line journey: open -> diagnostics ${opened.ms.toFixed(0)} ms, completion ${steps.ms.toFixed(1)} ms / ${fields.ms.toFixed(1)} ms`);
    expect(steps.ms).toBeLessThan(1000);
    expect(fields.ms).toBeLessThan(1000);
    await client.close(rel);
  });
});

describe('anchors and aliases', () => {
  it('a file with 1,000 anchors and aliases is answered quickly', async () => {
    const rel = 'journeys/anchored.journey.yaml';
    const text = anchoredJourney(1000);
    const opened = await timed(() => client.open(rel, text));
    // The compiler's alias limit applies, exactly as in the CLI.
    expect(opened.value.diagnostics.map((d) => d.code)).toContain('too-many-aliases');
    const hover = await timed(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(rel) }, position: client.position(rel, 'send: &t500', 2) }));
    const completion = await timed(() => client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(rel) }, position: client.position(rel, 'send: &t999 ', 'send: &t999 '.length) }));
    console.log(`1,000 anchors: open -> diagnostics ${opened.ms.toFixed(0)} ms, hover ${hover.ms.toFixed(1)} ms, completion ${completion.ms.toFixed(1)} ms`);
    expect(opened.ms).toBeLessThan(3000);
    expect(hover.ms).toBeLessThan(1000);
    expect(completion.ms).toBeLessThan(1000);
    await client.close(rel);
  });

  it('an alias bomb neither hangs checking nor formatting', async () => {
    const rel = 'journeys/bomb.journey.yaml';
    const text = aliasBomb(9);
    const opened = await timed(() => client.open(rel, text));
    expect(opened.value.diagnostics.map((d) => d.code)).toContain('too-many-aliases');
    const formatted = await timed(() =>
      client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: client.uri(rel) }, options: { tabSize: 2, insertSpaces: true } }),
    );
    expect(opened.ms).toBeLessThan(3000);
    expect(formatted.ms).toBeLessThan(3000);
    await client.close(rel);
  });
});
