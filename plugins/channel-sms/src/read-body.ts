/** How much of a response body we read: enough for a sid or an error message, not a whole page. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The first `limit` bytes of a response body as text, then the rest is discarded. Never
 * rejects: the status has already said what happened, and the body only adds detail.
 */
export async function readBodyStart(response: Response, limit = BODY_LIMIT_BYTES): Promise<string> {
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
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
