import type { GraphIR } from '@herald/dsl';
import { describe, expect, it } from 'vitest';
import { audienceOfEvent, subjectIdOf } from './event-audience.js';
import type { IncomingEvent } from './types.js';

const OBJECT = { kind: 'object', fields: {} } as const;
const ir = {
  events: {
    'user.signed_up': { type: OBJECT, subject: 'user.id' },
    'sale.started': { type: OBJECT, subject: null },
    // As graphs compiled before `subject` existed were saved.
    'order.placed': { type: OBJECT },
  },
} as unknown as GraphIR;
const event = (type: string, data: Record<string, unknown>): IncomingEvent => ({ id: 'e', type, data, receivedAt: 0 });

describe('audienceOfEvent', () => {
  it('reads the subject at the path the declaration names; ids may be numbers', () => {
    expect(audienceOfEvent(ir, event('user.signed_up', { user: { id: 'u-1' } }))).toEqual({ kind: 'subject', subjectId: 'u-1' });
    expect(audienceOfEvent(ir, event('user.signed_up', { user: { id: 42 } }))).toEqual({ kind: 'subject', subjectId: '42' });
  });

  it('reaches nobody when the event carries no id there, and anyone when its type names no subject', () => {
    for (const data of [{}, { user: null }, { user: { id: '' } }, { user: { id: Number.NaN } }, { subjectId: 'not-the-declared-field' }]) {
      expect(audienceOfEvent(ir, event('user.signed_up', data))).toEqual({ kind: 'nobody', path: 'user.id' });
    }
    expect(audienceOfEvent(ir, event('sale.started', { subjectId: 's-1' }))).toEqual({ kind: 'any-subject' });
  });

  it('on a graph saved before declarations named subjects: subjectId when the event has it, else anyone', () => {
    expect(audienceOfEvent(ir, event('order.placed', { subjectId: 's-1' }))).toEqual({ kind: 'subject', subjectId: 's-1' });
    expect(audienceOfEvent(ir, event('order.placed', {}))).toEqual({ kind: 'any-subject' });
  });

  it('subjectIdOf takes non-empty strings and finite numbers only', () => {
    expect([subjectIdOf('a'), subjectIdOf(7), subjectIdOf(''), subjectIdOf(Infinity), subjectIdOf(true), subjectIdOf(undefined)]).toEqual(['a', '7', null, null, null, null]);
  });
});
