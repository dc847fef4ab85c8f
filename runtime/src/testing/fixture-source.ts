/**
 * `herald test`'s stand-in for every data source: queries are answered from the test's
 * `fixtures:` (`source.query` → `[{args, returns} | {args, fail}]`, first match wins). A query
 * with no matching fixture fails permanently with a message naming the query and its
 * arguments, so a missing fixture shows up as a failed instance that says what to add.
 */
import { defineSource, sourceFailed, sourceOk } from '@herald/plugin-sdk';
import type { Fixture } from '@herald/dsl';

export interface FixtureConfig {
  /** This source's name in herald.yaml (the `crm` of `crm.customerById`). */
  readonly source: string;
  /** Query name → fixtures. */
  readonly queries: Readonly<Record<string, readonly Fixture[]>>;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function findFixture(fixtures: readonly Fixture[], args: Readonly<Record<string, unknown>>): Fixture | undefined {
  return fixtures.find((f) => f.args === undefined || Object.entries(f.args).every(([k, v]) => sameValue(args[k], v)));
}

export default defineSource<FixtureConfig>({
  name: '@herald/testing-fixtures',
  version: '0.1.0',
  configSchema: {
    type: 'object',
    properties: { source: { type: 'string' }, queries: { type: 'object' } },
    required: ['source', 'queries'],
    additionalProperties: false,
  },
  querySchema: { type: 'object' },
  create(config) {
    return {
      async query(name, args) {
        const fixture = findFixture(config.queries[name] ?? [], args);
        if (!fixture) {
          return sourceFailed.permanent(`no fixture for ${config.source}.${name} with args ${JSON.stringify(args)}: add one under fixtures: in the test`, {
            code: 'NO_FIXTURE',
          });
        }
        if (fixture.fail !== undefined) {
          return fixture.retryable ? sourceFailed.retryable(fixture.fail, { code: 'TEST_FAILED' }) : sourceFailed.permanent(fixture.fail, { code: 'TEST_FAILED' });
        }
        return sourceOk(fixture.returns ?? null);
      },
    };
  },
});
