import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { PoolResult, PoolTask } from './pool-tasks.js';
import { postResults, type ResultEntry } from './post-results.js';

const query = (source: string): PoolTask => ({ kind: 'query', source, query: 'byId', args: {}, attempt: 1, now: 0 });
const answer = (value: unknown) => ({ kind: 'query', result: { ok: true, value } }) as unknown as PoolResult;

/** What arrives on the other end of a real port, message by message. */
async function received(entries: ResultEntry[], tasks: readonly PoolTask[]): Promise<unknown[]> {
  const { port1, port2 } = new MessageChannel();
  const messages: unknown[] = [];
  port2.on('message', (m) => messages.push(m));
  postResults(port1, entries, tasks);
  await new Promise((resolve) => setTimeout(resolve, 20));
  port1.close();
  return messages;
}

describe('postResults', () => {
  it('sends a batch in one message', async () => {
    expect(await received([[0, answer({ name: 'Ada' })], [-1, null]], [query('crm')])).toEqual([[[0, answer({ name: 'Ada' })], [-1, null]]]);
  });

  it('sends each alone when one cannot be cloned, replacing that one by a failure that says why', async () => {
    const messages = await received([[0, answer({ name: 'Ada' })], [1, answer({ greet() {} })], [-1, null]], [query('crm'), query('odd')]);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toEqual([[0, answer({ name: 'Ada' })]]);
    expect(messages[1]).toEqual([[1, { kind: 'query', result: expect.objectContaining({ ok: false, retryable: true, code: 'UNCLONEABLE', reason: expect.stringMatching(/^the result could not be passed back from the worker thread: .*could not be cloned/) }) }]]);
    expect(messages[2]).toEqual([[-1, null]]);
  });
});
