/**
 * Child process of embedded-owner.test.ts: opens an embedded store, leases the job `held`
 * for a minute, prints `leased`, and keeps the file open until it is killed.
 *
 *   node --import ./register-ts.mjs lease-and-hold.ts <db path>
 */
import { createEmbeddedDriver } from '../../../runtime/src/driver/embedded/index.js';
import { T0, timerJob } from '../fixtures.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: lease-and-hold.ts <db path>');
const driver = createEmbeddedDriver({ path });
await driver.open();
await driver.commit({ enqueue: [timerJob('held', T0)] });
const leased = await driver.reserve(10, T0, 60_000);
if (leased.length !== 1) throw new Error(`expected to lease 1 job, got ${leased.length}`);
process.stdout.write('leased\n');
setInterval(() => {}, 1_000);
