import { describe, expect, it } from 'vitest';
import type { SubjectProfile } from '../../engine/types.js';
import { createSubjectCache } from './subject-cache.js';

const profile = (id: string, email = `${id}@example.com`): SubjectProfile => ({ id, contacts: { email }, channels: [], optOuts: [] });

describe('subject cache', () => {
  it('loads once, then answers from memory with a frozen profile', () => {
    const cache = createSubjectCache(10);
    let loads = 0;
    const load = () => (loads++, profile('a'));
    const first = cache.get('a', load)!;
    expect(cache.get('a', load)).toBe(first);
    expect(loads).toBe(1);
    expect(Object.isFrozen(first) && Object.isFrozen(first.contacts)).toBe(true);
    expect(() => ((first.contacts as Record<string, string>)['email'] = 'x')).toThrow(TypeError);
  });

  it('a write replaces the entry; unknown ids are not remembered', () => {
    const cache = createSubjectCache(10);
    cache.get('a', () => profile('a'));
    cache.set(profile('a', 'new@example.com'));
    expect(cache.get('a', () => undefined)?.contacts['email']).toBe('new@example.com');
    let loads = 0;
    cache.get('nobody', () => (loads++, undefined));
    cache.get('nobody', () => (loads++, undefined));
    expect(loads).toBe(2);
  });

  it('drops the least recently used beyond its size', () => {
    const cache = createSubjectCache(2);
    cache.set(profile('a'));
    cache.set(profile('b'));
    cache.get('a', () => undefined); // a is now the younger
    cache.set(profile('c'));
    expect(cache.get('b', () => undefined)).toBeUndefined();
    expect(cache.get('a', () => undefined)?.id).toBe('a');
    expect(cache.get('c', () => undefined)?.id).toBe('c');
  });
});
