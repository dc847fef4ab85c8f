import type { SourceInstance, SourcePlugin } from '../define-source.js';
import { checkJsonSchema } from '../check-json-schema.js';
import { deepFreeze, isPlainObject } from '../json.js';
import { checkSourceResult } from '../source-result.js';
import type { SourceResult } from '../source-result.js';
import type { ContractReport } from './contract-report.js';
import { assertContractReport, CheckRecorder, CLOSE_HINTS, CREATE_HINTS, expectResolved, settleWithin, type SettleHints } from './contract-report.js';
import { abortedSignal, testPluginContext, testQueryContext } from './test-context.js';
import { validateAgainstSchema } from './validate-against-schema.js';

export interface SourceContractOptions<Config = unknown, Definition = unknown> {
  readonly config: Config;
  /** A query the source can answer with that config: its name, arguments and `with:` block. */
  readonly query: { readonly name: string; readonly args: Readonly<Record<string, unknown>>; readonly definition: Definition };
  /** Called with the result of the valid query, to check the value. Throw to fail. */
  readonly verifyResult?: (result: SourceResult) => void | Promise<void>;
  readonly timeoutMs?: number;
  readonly abortDeadlineMs?: number;
}

/**
 * Runs the source contract and reports every check. Checks, by id: definition, config-schema,
 * query-schema, config-valid, query-definition-valid, create, query-valid, query-aborted, close-idempotent.
 */
export async function runSourceContract<Config, Definition>(
  plugin: SourcePlugin<Config, Definition>,
  options: SourceContractOptions<Config, Definition>,
): Promise<ContractReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const abortDeadlineMs = options.abortDeadlineMs ?? 1_000;
  const checks = new CheckRecorder();
  const name = typeof plugin?.name === 'string' ? plugin.name : '(unnamed plugin)';
  const q = options.query;

  await checks.run('definition', 'the default export is a frozen source plugin', () => {
    if (!isPlainObject(plugin) || plugin.kind !== 'source') throw new Error('expected an object with kind: "source" (use defineSource)');
    if (!Object.isFrozen(plugin)) throw new Error('the plugin object is not frozen (use defineSource)');
    if (typeof plugin.name !== 'string' || plugin.name === '') throw new Error('name must be a non-empty string');
    if (typeof plugin.version !== 'string' || plugin.version === '') throw new Error('version must be a non-empty string');
    if (typeof plugin.create !== 'function') throw new Error('create must be a function');
  });
  await checks.run('config-schema', 'configSchema is a valid JSON Schema for an object', () => {
    const problems = checkJsonSchema(plugin.configSchema, 'configSchema');
    if (isPlainObject(plugin.configSchema) && plugin.configSchema['type'] !== 'object') problems.push('configSchema: the root must have "type": "object"');
    if (problems.length > 0) throw new Error(problems.join('; '));
  });
  if (plugin.querySchema === undefined) {
    checks.skip('query-schema', 'querySchema is a valid JSON Schema', 'the plugin declares no querySchema');
  } else {
    await checks.run('query-schema', 'querySchema is a valid JSON Schema', () => {
      const problems = checkJsonSchema(plugin.querySchema, 'querySchema');
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
  }
  await checks.run('config-valid', 'the test config satisfies configSchema', () => {
    const problems = validateAgainstSchema(options.config, plugin.configSchema);
    if (problems.length > 0) throw new Error(problems.join('; '));
  });
  await checks.run('query-definition-valid', "the test query's with: block satisfies querySchema", () => {
    if (plugin.querySchema === undefined) return;
    const problems = validateAgainstSchema(q.definition, plugin.querySchema);
    if (problems.length > 0) throw new Error(problems.join('; '));
  });

  const unload = new AbortController();
  let instance: SourceInstance<Definition> | undefined;
  await checks.run('create', 'create(config, ctx) returns an instance with query()', async () => {
    const ctx = testPluginContext(options.config, { signal: unload.signal });
    const created = expectResolved('create', await settleWithin(timeoutMs, () => plugin.create(options.config, ctx)), timeoutMs, CREATE_HINTS);
    if (typeof created !== 'object' || created === null || typeof (created as SourceInstance).query !== 'function') {
      throw new Error('create must return an object with a query(name, args, definition, ctx) method');
    }
    instance = created as SourceInstance<Definition>;
  });
  if (instance === undefined) {
    checks.skip('query-valid', 'query() returns a well-formed ok SourceResult', 'create failed');
    checks.skip('query-aborted', 'query with an aborted signal returns a retryable failure promptly', 'create failed');
    checks.skip('close-idempotent', 'close() can be called twice', 'create failed');
    return checks.report(name);
  }
  const live = instance;
  const args = () => deepFreeze(structuredClone(q.args));
  const definition = () => deepFreeze(structuredClone(q.definition));

  await checks.run('query-valid', 'query() returns a well-formed ok SourceResult', async () => {
    const result = await queryOnce(live, q.name, args(), definition(), testQueryContext(), timeoutMs, QUERY_HINTS);
    if (!result.ok) throw new Error(`the valid query failed: ${result.reason}`);
    await options.verifyResult?.(result);
  });
  await checks.run('query-aborted', 'query with an aborted signal returns a retryable failure promptly', async () => {
    const result = await queryOnce(live, q.name, args(), definition(), testQueryContext({ signal: abortedSignal() }), abortDeadlineMs, ABORTED_QUERY_HINTS);
    if (result.ok || !result.retryable) throw new Error('expected a retryable failure for an aborted query');
  });
  if (live.close === undefined) {
    checks.skip('close-idempotent', 'close() can be called twice', 'the instance has no close()');
  } else {
    const close = live.close.bind(live);
    await checks.run('close-idempotent', 'close() can be called twice', async () => {
      unload.abort(new Error('plugin unloaded'));
      expectResolved('the first close()', await settleWithin(timeoutMs, close), timeoutMs, CLOSE_HINTS);
      expectResolved('the second close()', await settleWithin(timeoutMs, close), timeoutMs, CLOSE_HINTS);
    });
  }
  return checks.report(name);
}

const QUERY_REJECTED =
  'source problems must be returned as values (sourceFailed.retryable, sourceFailed.permanent; a missing record is sourceOk(null)): the runtime counts a rejected query as a bug in the plugin';

const QUERY_HINTS: SettleHints = {
  rejected: QUERY_REJECTED,
  timeout: 'give the backend call a timeout and pass it ctx.signal, and return sourceFailed.retryable when it runs out',
};

const ABORTED_QUERY_HINTS: SettleHints = {
  rejected: QUERY_REJECTED,
  timeout: 'when ctx.signal is aborted, return sourceFailed.retryable at once (check ctx.signal.aborted first, and pass the signal to the driver)',
};

export async function assertSourceContract<Config, Definition>(
  plugin: SourcePlugin<Config, Definition>,
  options: SourceContractOptions<Config, Definition>,
): Promise<ContractReport> {
  return assertContractReport(await runSourceContract(plugin, options));
}

async function queryOnce<Definition>(
  instance: SourceInstance<Definition>,
  name: string,
  args: Readonly<Record<string, unknown>>,
  definition: Definition,
  ctx: ReturnType<typeof testQueryContext>,
  limitMs: number,
  hints: SettleHints,
): Promise<SourceResult> {
  const result = expectResolved('query', await settleWithin(limitMs, () => instance.query(name, args, definition, ctx)), limitMs, hints);
  const problems = checkSourceResult(result);
  if (problems.length > 0) throw new Error(`query returned a malformed SourceResult: ${problems.join('; ')}`);
  return result;
}
