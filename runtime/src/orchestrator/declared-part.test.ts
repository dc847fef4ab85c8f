import { T, type Type } from '@herald/dsl';
import { describe, expect, it } from 'vitest';
import { declaredPart } from './declared-part.js';

const customer: Type = {
  kind: 'object',
  fields: {
    name: { type: T.string, optional: false },
    tier: { type: T.string, optional: true },
    orders: { type: { kind: 'list', element: { kind: 'object', fields: { id: { type: T.string, optional: false } } } }, optional: false },
    tags: { type: { kind: 'map', value: { kind: 'object', fields: { on: { type: T.bool, optional: false } } } }, optional: true },
    extra: { type: T.dyn, optional: true },
  },
};

describe('declaredPart', () => {
  it('keeps the declared fields, at every depth, and drops the rest', () => {
    const answer = {
      name: 'Ada',
      internal: 'VIP, complained twice',
      iban: 'DE89...',
      orders: [{ id: 'o-1', card: '4242' }],
      tags: { beta: { on: true, by: 'ops' } },
      extra: { anything: { goes: 1 } },
    };
    expect(declaredPart(answer, customer)).toEqual({ name: 'Ada', orders: [{ id: 'o-1' }], tags: { beta: { on: true } }, extra: { anything: { goes: 1 } } });
  });

  it('leaves null ("no record") and values of types without fields as they are', () => {
    expect(declaredPart(null, customer)).toBeNull();
    expect(declaredPart({ a: 1 }, T.dyn)).toEqual({ a: 1 });
    expect(declaredPart('x', T.string)).toBe('x');
  });
});
