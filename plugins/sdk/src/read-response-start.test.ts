import { describe, expect, it } from 'vitest';
import { readResponseStart } from './read-response-start.js';

function streamed(chunks: readonly Uint8Array[], failAfter?: number): Response {
  let i = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && i === failAfter) return controller.error(new Error('reset'));
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  const response = new Response(body);
  Object.defineProperty(response, 'wasCancelled', { get: () => cancelled });
  return response;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readResponseStart', () => {
  it('reads a small body whole', async () => {
    expect(await readResponseStart(new Response('{"sid":"SM1"}'))).toBe('{"sid":"SM1"}');
    expect(await readResponseStart(new Response(null))).toBe('');
  });

  it('stops at the limit and cancels the rest of the transfer', async () => {
    const response = streamed([bytes('abcdef'), bytes('ghijkl'), bytes('never read')]);
    expect(await readResponseStart(response, 8)).toBe('abcdefgh');
    expect((response as unknown as { wasCancelled: boolean }).wasCancelled).toBe(true);
  });

  it('keeps what arrived before a reset, and replaces bytes that are not UTF-8', async () => {
    expect(await readResponseStart(streamed([bytes('partial '), bytes('answer')], 2))).toBe('partial answer');
    expect(await readResponseStart(streamed([new Uint8Array([0x63, 0x61, 0x66, 0xe9])]))).toBe('caf\ufffd');
  });
});
