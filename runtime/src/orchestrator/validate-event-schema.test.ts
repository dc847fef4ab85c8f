import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphIR } from '@herald/dsl';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime } from './create-runtime.js';
import { makeTestProject, type TestProject } from './orchestrator-test-project.js';
import { createEventValidator } from './validate-event.js';
import { createVirtualClock } from './virtual-clock.js';

// An event declared with a JSON Schema is validated against the schema itself, not only
// against the Herald type derived from it. (runtime.ingest starts the worker pool: `npx tsc -b runtime` first.)
const SIGNED_UP = `  user.signed_up:
    schema:
      type: object
      required: [subjectId, plan]
      additionalProperties: false
      properties:
        subjectId: { type: string }
        plan: { enum: [free, pro] }
        code: { type: string, pattern: "^[A-Z]{3}-[0-9]+$" }
        nickname: { type: string, minLength: 2 }
        contact:
          type: object
          additionalProperties: false
          properties:
            email: { type: string, format: email }
`;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function project(): TestProject {
  const p = makeTestProject();
  cleanup.push(() => rmSync(p.root, { recursive: true, force: true }));
  const config = readFileSync(join(p.root, 'herald.yaml'), 'utf8');
  p.write('herald.yaml', config.replace('events:\n', `events:\n${SIGNED_UP}`));
  return p;
}

describe('events declared with `schema:`', () => {
  let graph: GraphIR | undefined;
  const compiled = (): GraphIR => (graph ??= project().compile());

  it('keeps the schema in the graph', () => {
    expect(compiled().events['user.signed_up']).toMatchObject({ schema: { additionalProperties: false, required: ['subjectId', 'plan'] } });
  });

  it('refuses what the schema refuses and the derived type cannot say: an extra field, a bad pattern, enum, minLength, format', () => {
    const validate = createEventValidator(compiled());
    expect(validate('user.signed_up', { subjectId: 's-1', plan: 'pro', code: 'ABC-12', nickname: 'Al', contact: { email: 'al@example.com' } })).toEqual([]);
    expect(validate('user.signed_up', { subjectId: 's-1', plan: 'gold', code: 'abc', nickname: 'A', extra: 1, contact: { email: 'nope', fax: '1' } })).toEqual([
      { path: '/extra', message: 'is not allowed here' },
      { path: '/code', message: 'must match pattern "^[A-Z]{3}-[0-9]+$"' },
      { path: '/contact/fax', message: 'is not allowed here' },
      { path: '/contact/email', message: 'must match format "email"' },
      { path: '/nickname', message: 'must have at least 2 characters' },
      { path: '/plan', message: 'must be one of "free", "pro"' },
    ]);
  });

  it('still reports each field once, and what only the derived type says', () => {
    const validate = createEventValidator(compiled());
    // Both the schema and the type want a string: one problem. A missing required field: one.
    expect(validate('user.signed_up', { subjectId: 5 })).toEqual([
      { path: '/plan', message: 'is required' },
      { path: '/subjectId', message: 'must be a string, got a number (5)' },
    ]);
    // The subject id must not be empty, as for any event.
    expect(validate('user.signed_up', { subjectId: '', plan: 'free' })).toEqual([{ path: '/subjectId', message: expect.stringMatching(/^must not be empty/) }]);
  });

  it('checks an event of a graph compiled before the IR kept schemas by its type only', () => {
    const { schema: _schema, ...event } = compiled().events['user.signed_up']!;
    const old = { ...compiled(), events: { ...compiled().events, 'user.signed_up': event } } as GraphIR;
    expect(createEventValidator(old)('user.signed_up', { subjectId: 's-1', plan: 'gold', extra: 1 })).toEqual([]);
  });

  it('runtime.ingest refuses an extra field and a bad pattern, naming their paths, and accepts a fitting event', async () => {
    const p = project();
    const runtime = createRuntime({
      driver: createEmbeddedDriver({ path: ':memory:' }),
      graph: p.compile(),
      projectRoot: p.root,
      clock: createVirtualClock(Date.UTC(2030, 0, 1)),
      pool: { threads: 1, logLevel: 'silent' },
    });
    await runtime.start();
    cleanup.push(() => runtime.stop());
    expect(await runtime.ingest({ type: 'user.signed_up', data: { subjectId: 's-1', plan: 'pro', code: 'abc', referrer: 'x' } })).toEqual({
      ok: false,
      errors: [
        { path: '/referrer', message: 'is not allowed here' },
        { path: '/code', message: 'must match pattern "^[A-Z]{3}-[0-9]+$"' },
      ],
    });
    expect(await runtime.ingest({ type: 'user.signed_up', id: 'evt-1', data: { subjectId: 's-1', plan: 'pro', code: 'ABC-1' } })).toEqual({
      ok: true,
      eventId: 'evt-1',
      duplicate: false,
    });
  });
});
