/**
 * A data load's answer against the query's declared `returns:` type (herald.yaml `sources:`),
 * before a journey reads it. An answer of another shape (a required field missing, a number
 * where text was declared) would otherwise reach templates as blanks or garbage in a
 * customer's message; the load fails instead, naming the query and the first fields that do
 * not fit, and the engine fails the instance as for any failed load. `null` ("no record") is
 * not checked: Herald's types take null anywhere, and journeys test for it (`customer == null`, `customer.name ?? ...`).
 * Checks are compiled once per graph version.
 */
import { typeToJsonSchema, type GraphIR } from '@herald/dsl';
import { schemaCheck, type SchemaCheck } from '../plugins-host/json-validator.js';

const byGraph = new WeakMap<GraphIR, Map<string, SchemaCheck | null>>();

/**
 * Why `value` is not what `source.query` declares it returns; null when it fits (or the query is
 * unknown to this graph). `what`: the message's subject (a test fixture says "this fixture is a value").
 */
export function queryResultProblem(ir: GraphIR, source: string, query: string, value: unknown, what = `${source}.${query} returned a value`): string | null {
  let checks = byGraph.get(ir);
  if (!checks) byGraph.set(ir, (checks = new Map()));
  const key = `${source}.${query}`;
  let check = checks.get(key);
  if (check === undefined) {
    const returns = ir.sources[source]?.queries[query]?.returns;
    check = returns === undefined ? null : schemaCheck(typeToJsonSchema(returns));
    checks.set(key, check);
  }
  if (check === null || value === null || value === undefined) return null;
  const problems = check(value);
  if (problems.length === 0) return null;
  const shown = problems.slice(0, 3).map((p) => `${p.path === '' ? 'the value' : p.path} ${p.message}`);
  return `${what} that does not match its declared \`returns:\` type: ${shown.join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`;
}
