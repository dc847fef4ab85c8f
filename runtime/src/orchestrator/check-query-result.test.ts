import { describe, expect, it } from 'vitest';
import type { GraphIR } from '@herald/dsl';
import { queryResultProblem } from './check-query-result.js';

const customer = { kind: 'object', fields: { name: { type: { kind: 'string' }, optional: false }, segment: { type: { kind: 'string' }, optional: true } } };
const ir = {
  sources: { crm: { queries: { byId: { args: { kind: 'object', fields: {} }, returns: customer, with: {} } } } },
} as unknown as GraphIR;

describe('queryResultProblem', () => {
  it('passes an answer of the declared type, extra fields and absent optional ones included', () => {
    expect(queryResultProblem(ir, 'crm', 'byId', { name: 'Ada' })).toBeNull();
    expect(queryResultProblem(ir, 'crm', 'byId', { name: 'Ada', segment: 'vip', extra: 1 })).toBeNull();
  });

  it('names the fields that do not fit', () => {
    expect(queryResultProblem(ir, 'crm', 'byId', { nmae: 5 })).toMatch(/^crm\.byId returned a value that does not match its declared `returns:` type: .*name/);
    expect(queryResultProblem(ir, 'crm', 'byId', { name: 42 })).toMatch(/\/name must be a string, got a number \(42\)$/);
    expect(queryResultProblem(ir, 'crm', 'byId', 'Ada')).toMatch(/the value must be an object, got a string \("Ada"\)/);
  });

  it('lets null ("no record") through, and leaves queries the graph does not know alone', () => {
    expect(queryResultProblem(ir, 'crm', 'byId', null)).toBeNull();
    expect(queryResultProblem(ir, 'crm', 'nope', 42)).toBeNull();
  });
});
