import { describe, expect, it } from 'vitest';
import { subjectType, T, type GraphIR } from '@herald/dsl';
import { testSubjectProblems } from './check-test-subject.js';

const graph = { subject: { type: subjectType(T.object({ age: T.number, plan: T.optional(T.string) })) }, channels: { email: {} }, policies: {} } as unknown as GraphIR;

describe('testSubjectProblems', () => {
  it('reports an undeclared field at its key, with a did-you-mean or the fields there are, and its value problems after', () => {
    expect(testSubjectProblems('u-1', { agee: 3, nickname: 'Ada', 'a/b': 1, plan: 7, contacts: { emial: 'a@x.example' } }, graph)).toEqual([
      { pointer: '/agee', key: true, code: 'unknown-key', message: 'subject u-1: "agee" is not a field of the subject profile', hint: 'did you mean `age`?' },
      {
        pointer: '/nickname',
        key: true,
        code: 'unknown-key',
        message: 'subject u-1: "nickname" is not a field of the subject profile',
        hint: 'its fields: age, plan, id, locale, timezone, contacts, channels, optOuts',
      },
      {
        pointer: '/a~1b',
        key: true,
        code: 'unknown-key',
        message: 'subject u-1: "a/b" is not a field of the subject profile',
        hint: 'its fields: age, plan, id, locale, timezone, contacts, channels, optOuts',
      },
      {
        pointer: '/contacts/emial',
        key: true,
        code: 'unknown-channel',
        message: 'subject u-1 /contacts/emial: is not a channel of this project; did you mean "email"? (its channels: "email")',
      },
      { pointer: '/plan', key: false, code: 'invalid-subject', message: 'subject u-1 /plan: must be a string, got a number (7)' },
    ]);
  });

  it('without a project, takes only a near miss of a built-in field for a typo', () => {
    expect(testSubjectProblems('u-1', { optOut: ['email'], plan: 'pro', id: 'u-2' }, undefined)).toEqual([
      { pointer: '/optOut', key: true, code: 'unknown-key', message: 'subject u-1: "optOut" is not a field of the subject profile', hint: 'did you mean `optOuts`?' },
      { pointer: '/id', key: false, code: 'invalid-subject', message: 'subject u-1 /id: must be the id it is listed under, or be left out' },
    ]);
  });

  it('hints at quoting an address YAML read as a number, found by its decoded pointer', () => {
    const [problem] = testSubjectProblems('u-1', { contacts: { 'sms/1': 4915100 } }, undefined);
    expect(problem).toMatchObject({ pointer: '/contacts/sms~11', code: 'invalid-subject' });
    expect(problem!.hint).toMatch(/^quote it/);
  });
});
