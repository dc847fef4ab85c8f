/**
 * Child process of the kill -9 test in embedded.test.ts: commits units to an embedded store
 * until it is killed, and prints the number of every unit once its commit resolved.
 *
 *   node --import ./register-ts.mjs commit-until-killed.ts <db path>
 *
 * Unit n creates instance `u-n`, delivery `d-n`, job `j-n`, event id `e-n`, a sent row and
 * an archived content, and moves the `progress` instance from seq n to n + 1 — so after a
 * crash `progress.seq` says how many units committed, and each unit can be checked whole.
 * Eight units are in flight at a time, as in the runtime, so group commit is under test too.
 * A second run continues where the store says the first one stopped.
 */
import { createEmbeddedDriver } from '../../../runtime/src/driver/embedded/index.js';
import type { UnitOfWork } from '../../../runtime/src/driver/driver.js';
import { killUnit } from './kill-units.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: commit-until-killed.ts <db path>');
const driver = createEmbeddedDriver({ path });
await driver.open();
let next = (await driver.getInstance('progress'))?.seq ?? 0;
for (;;) {
  const units: UnitOfWork[] = [];
  for (let k = 0; k < 8; k++) units.push(killUnit(next + k));
  const outcomes = await Promise.all(units.map((u) => driver.commit(u)));
  for (const outcome of outcomes) if (!outcome.ok) throw new Error(`unit refused: ${outcome.conflict}`);
  next += units.length;
  // Pipes are written synchronously on Linux: once the parent reads n, unit n was committed.
  process.stdout.write(`${next - 1}\n`);
}
