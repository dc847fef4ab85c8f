import { createHmac } from 'node:crypto';

/**
 * `t=<unix seconds>,v1=<hex>`: HMAC-SHA256 with the shared secret over `<t>.<body>`, Stripe's
 * scheme. The timestamp is inside the MAC so that a receiver can refuse old requests (replays)
 * while the body stays byte-identical across retries; `v1` names the scheme so that another can
 * be added next to it without breaking receivers.
 */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}
