import { describe, expect, it } from 'vitest';
import { pointerToPath as exportedPointerToPath, toJson as exported } from '../index.js';
import { parseYamlFile } from './parse-yaml-file.js';
import { pointerToPath, toJson } from './yaml-tree.js';

const json = (text: string): unknown => {
  const { root, problems } = parseYamlFile('x.yaml', text);
  expect(problems).toEqual([]);
  return toJson(root!);
};

describe('toJson', () => {
  it('turns maps, sequences and scalars into plain JSON', () => {
    expect(json('a: 1\nb: [x, true, null]\nc: { d: "e" }\n')).toEqual({ a: 1, b: ['x', true, null], c: { d: 'e' } });
  });

  it('keeps a `__proto__` key as an own, plain key instead of setting the prototype', () => {
    const value = json('outer:\n  __proto__: { polluted: true }\n  kept: 1\n') as { outer: Record<string, unknown> };
    expect(Object.getPrototypeOf(value.outer)).toBe(Object.prototype);
    expect(Object.hasOwn(value.outer, '__proto__')).toBe(true);
    expect(Object.keys(value.outer)).toEqual(['__proto__', 'kept']);
    expect((value.outer as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(value)).toBe('{"outer":{"__proto__":{"polluted":true},"kept":1}}');
  });

  it('is the one the package exports (the runtime reads test files with it)', () => {
    expect(exported).toBe(toJson);
  });
});

describe('pointerToPath', () => {
  it('splits a JSON Pointer into its keys, decoding ~1 and ~0 (RFC 6901)', () => {
    expect(pointerToPath('')).toEqual([]);
    expect(pointerToPath('/steps/0/send')).toEqual(['steps', '0', 'send']);
    expect(pointerToPath('/a~1b/c~0d/~01')).toEqual(['a/b', 'c~d', '~1']);
    expect(pointerToPath('/')).toEqual(['']);
  });

  it('is the one the package exports (the runtime reads pointers with it)', () => {
    expect(exportedPointerToPath).toBe(pointerToPath);
  });
});
