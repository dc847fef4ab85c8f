import { describe, expect, it } from 'vitest';
import { subjectType, T, type GraphIR, type Type } from '@herald/dsl';
import { classifiedSubjectPatchProblems, subjectPatchProblems } from './validate-subject-patch.js';
type ProfileType = Extract<Type, { kind: 'object' }>;

const graphWith = (fields: Record<string, ReturnType<typeof T.field>>, enrichment?: Type): GraphIR =>
  ({ subject: { type: subjectType(T.object(fields), enrichment) }, channels: { email: {} }, policies: {} }) as unknown as GraphIR;

const address = T.object({ city: T.string, street: T.optional(T.string), zip: T.string });
const graph = graphWith({
  age: T.field(T.number),
  vip: T.optional(T.bool),
  tags: T.field(T.list(T.string)),
  since: T.optional(T.timestamp),
  wait: T.optional(T.duration),
  scores: T.field(T.map(T.number)),
  address: T.optional(address),
  homes: T.field(T.list(address)),
  nothing: T.field(T.null),
  anything: T.field(T.dyn),
});

describe('subjectPatchProblems: the project’s own fields against their types', () => {
  it('says what was expected and what came, at the value’s JSON Pointer', () => {
    expect(
      subjectPatchProblems(graph, {
        age: '42',
        vip: 'yes',
        tags: ['a', 3, null],
        since: 'yesterday',
        wait: '5m',
        scores: { maths: 'A', art: 1 },
        nothing: 0,
        anything: { any: ['thing'] },
      }),
    ).toEqual([
      { path: '/age', message: 'must be a number, got a string ("42")' },
      { path: '/vip', message: 'must be true or false, got a string ("yes")' },
      { path: '/tags/1', message: 'must be a string, got a number (3)' },
      { path: '/tags/2', message: 'must be a string, got null' },
      { path: '/since', message: 'must be a timestamp (an RFC 3339 string such as 2026-01-01T00:00:00Z), got a string ("yesterday")' },
      { path: '/wait', message: 'must be a duration (a number of milliseconds), got a string ("5m")' },
      { path: '/scores/maths', message: 'must be a number, got a string ("A")' },
      { path: '/nothing', message: 'must be null, got a number (0)' },
    ]);
  });

  it('names the type of a list or an object that came as something else, and shortens a long string', () => {
    expect(subjectPatchProblems(graph, { tags: 'vip', scores: [], address: `${'x'.repeat(50)}`, since: 1 })).toEqual([
      { path: '/tags', message: 'must be a list (list<string>), got a string ("vip")' },
      { path: '/scores', message: 'must be an object (map<number>), got a list' },
      { path: '/address', message: `must be an object ({city: string, street: string?, zip: string}), got a string ("${'x'.repeat(40)}...")` },
      { path: '/since', message: 'must be a timestamp (an RFC 3339 string such as 2026-01-01T00:00:00Z), got a number (1)' },
    ]);
  });

  it('takes null where a field is optional, at any depth, and refuses it elsewhere', () => {
    expect(subjectPatchProblems(graph, { vip: null, since: null, address: null, homes: [{ city: 'A', zip: '1', street: null }] })).toEqual([]);
    expect(subjectPatchProblems(graph, { age: null, homes: [{ city: null, zip: '1' }], anything: null })).toEqual([
      { path: '/age', message: 'must be a number, got null' },
      { path: '/homes/0/city', message: 'must be a string, got null' },
    ]);
  });

  it('requires the required fields of nested objects only: a field the patch leaves out is kept', () => {
    expect(subjectPatchProblems(graph, { vip: true })).toEqual([]);
    expect(subjectPatchProblems(graph, { address: { street: 'Analytical St' }, homes: [{ zip: 7, extra: 'kept' }] })).toEqual([
      { path: '/address/city', message: 'is required (string)' },
      { path: '/address/zip', message: 'is required (string)' },
      // In the order the type declares the fields, a missing one where it would be.
      { path: '/homes/0/city', message: 'is required (string)' },
      { path: '/homes/0/zip', message: 'must be a string, got a number (7)' },
    ]);
  });

  it('tells the problems in the order the profile names its fields, an undeclared one among them', () => {
    const problems = subjectPatchProblems(graph, { vip: 1, nickname: 'Ada', age: 'x', tags: [1] });
    expect(problems.map((p) => p.path)).toEqual(['/vip', '/nickname', '/age', '/tags/0']);
    expect(problems[1]!.message).toMatch(/^is not a field of the subject profile \(the project's: "age", "vip", /);
  });

  it('leaves the built-in fields to check-subject-profile.ts, even where subject.source types one', () => {
    const enriched = graphWith({ age: T.field(T.number) }, T.object({ locale: T.number }));
    expect(subjectPatchProblems(enriched, { locale: 'en', contacts: { email: 'a@x.example' }, optOuts: ['email'] })).toEqual([]);
  });

  it('escapes keys in the pointers it gives', () => {
    const odd = graphWith({ 'a/b': T.field(T.map(T.number)) });
    expect(subjectPatchProblems(odd, { 'a/b': { 'c~d': 'x' } })).toEqual([{ path: '/a~1b/c~0d', message: 'must be a number, got a string ("x")' }]);
  });

  it('answers a long list of bad items with its first 100 problems, and quickly', () => {
    const started = Date.now();
    const problems = subjectPatchProblems(graph, { homes: Array.from({ length: 100_000 }, () => ({ city: 'A', zip: '1', street: 5 })) });
    expect(problems).toHaveLength(100);
    expect(problems[0]).toEqual({ path: '/homes/0/street', message: 'must be a string, got a number (5)' });
    expect(problems[99]!.path).toBe('/homes/99/street');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('classifiedSubjectPatchProblems: undeclared fields', () => {
  it('keeps any field where the project declares none of its own', () => {
    const plain = graphWith({});
    expect(classifiedSubjectPatchProblems(plain, { contact: {}, plan: 'pro' })).toEqual([]);
  });

  it('with nearMissesOfBuiltIns, refuses a near miss of a built-in field, with or without a project', () => {
    const expected = {
      names: 'field',
      path: '/contact',
      message: expect.stringMatching(/^is not a field of the subject profile; did you mean "contacts"\?/),
      undeclared: { key: 'contact', suggestion: 'contacts', fields: ['id', 'locale', 'timezone', 'contacts', 'channels', 'optOuts'] },
    };
    expect(classifiedSubjectPatchProblems(undefined, { contact: {}, plan: 'pro' }, { nearMissesOfBuiltIns: true })).toEqual([expected]);
    expect(classifiedSubjectPatchProblems(graphWith({}), { contact: {}, plan: 'pro' }, { nearMissesOfBuiltIns: true })).toEqual([expected]);
  });

  it('says what an undeclared key is, for a caller that words it its own way', () => {
    const [problem] = classifiedSubjectPatchProblems(graph, { nickname: 'Ada' });
    expect(problem!.undeclared).toEqual({ key: 'nickname', fields: Object.keys((graph.subject.type as ProfileType).fields) });
  });
});
