/**
 * The start of an HTTP response body, for channel plugins that call a provider's API with
 * `fetch`: enough for an id or an error message, without reading (or waiting for) a whole page.
 */

/** What `readResponseStart` reads at most by default: 64 KiB. */
export const RESPONSE_START_BYTES = 64 * 1024;

/**
 * The first `limit` bytes of a response body as text (UTF-8, bad bytes replaced); the rest is
 * not read, and the transfer is cancelled. Never rejects: the status has already said what
 * happened, and the body only adds detail (a reset or an abort mid-body keeps what arrived).
 */
export async function readResponseStart(response: Response, limit = RESPONSE_START_BYTES): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A reset or an abort mid-body: keep what arrived.
  } finally {
    // Stop the transfer rather than drain a large body; the connection is not worth saving.
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, limit));
}
