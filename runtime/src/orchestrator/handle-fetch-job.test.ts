/**
 * A fetch job's answers go to the instance as a `fetched` input: cut to what `returns:` declares
 * when they fit, a failed fetch naming the fields when they do not (the instance then fails).
 */
import { sourceOk } from '@herald/plugin-sdk';
import { describe, expect, it } from 'vitest';
import type { QueuedJob, UnitOfWork } from '../driver/driver.js';
import { handleFetchJob } from './handle-fetch-job.js';
import type { HandlerContext } from './handler-context.js';

const ir = {
  sources: { crm: { queries: { byId: { returns: { kind: 'object', fields: { name: { type: { kind: 'string' }, optional: false } } } } } } },
};

function contextAnswering(value: unknown) {
  const units: UnitOfWork[] = [];
  const ctx = {
    now: () => 1,
    pool: { run: async () => ({ kind: 'query', result: sourceOk(value) }) },
    graphs: { current: { ir }, get: async () => ({ ir }) },
    driver: { commit: async (unit: UnitOfWork) => (units.push(unit), { ok: true }) },
    log: { warn() {}, info() {}, debug() {}, error() {} },
    fetchMaxTries: 10,
  } as unknown as HandlerContext;
  return { ctx, units };
}

const job: QueuedJob = {
  id: 'f-1',
  job: { kind: 'fetch', instanceId: 'i-1', requestId: 'r-1', loads: [{ name: 'customer', source: 'crm', query: 'byId', args: { id: 'c-1' } }] },
  runAt: 0,
  tries: 0,
};

const fetched = (units: UnitOfWork[]) => {
  const next = units[0]!.enqueue![0]!.job;
  return next.kind === 'instance' && next.input.kind === 'fetched' ? next.input.result : undefined;
};

describe('handleFetchJob', () => {
  it('feeds the instance the answer, cut to the declared fields', async () => {
    const { ctx, units } = contextAnswering({ name: 'Ada', internal: 'VIP' });
    expect(await handleFetchJob(ctx, job)).toEqual({ kind: 'done' });
    expect(fetched(units)).toEqual({ ok: true, data: { customer: { name: 'Ada' } } });
  });

  it('fails the fetch, naming the fields, when the answer does not fit returns:', async () => {
    const { ctx, units } = contextAnswering({ nom: 'Ada' });
    await handleFetchJob(ctx, job);
    expect(fetched(units)).toEqual({ ok: false, error: 'customer: crm.byId returned a value that does not match its declared `returns:` type: /name is required' });
  });
});
