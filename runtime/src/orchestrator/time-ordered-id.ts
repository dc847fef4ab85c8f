/**
 * Event ids Herald makes up (for events posted without one): UUID version 7 (RFC 9562), whose
 * first 48 bits are the time in ms, with a counter in the next 12 so ids of one millisecond keep
 * their order too. They sort by arrival, and every key derived from one (the instance, its
 * deliveries, jobs, ledger entries) lands near the right edge of its index rather than at a
 * random leaf. (In bench/runtime's mix the difference to random v4 ids is within the noise.)
 */
import { randomFillSync } from 'node:crypto';

let lastMs = -1;
let counter = 0;
// Random bytes are drawn 4 KiB at a time: one system call per ~500 ids instead of one each.
const pool = new Uint8Array(4096);
let used = pool.length;
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function randomBytes(n: number): Uint8Array {
  if (used + n > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}

export function timeOrderedId(now: number = Date.now()): string {
  const ms = Math.max(Math.floor(now), lastMs);
  if (ms === lastMs) counter++;
  else {
    lastMs = ms;
    counter = 0;
  }
  // 4,096 ids in one ms: borrow the next ms rather than lose the order.
  if (counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  const random = randomBytes(8);
  const time = lastMs.toString(16).padStart(12, '0');
  let tail = '';
  for (let i = 1; i < 8; i++) tail += HEX[random[i]!]!;
  const variantHigh = HEX[0x80 | (random[0]! & 0x3f)]!;
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${variantHigh}${tail.slice(0, 2)}-${tail.slice(2, 14)}`;
}
