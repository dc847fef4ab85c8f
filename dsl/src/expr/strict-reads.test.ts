import { describe, expect, it } from 'vitest';
import { parseExpression } from './parse-expression.js';
import { strictReads } from './strict-reads.js';

const reads = (text: string) => strictReads(parseExpression(text).ast!).map((n) => n.name);

describe('strictReads', () => {
  it('finds every name read where a missing one fails', () => {
    expect(reads('a.b + c[d] > size(e) && f.g(h) == {"k": i, bare: j}')).toEqual(['a', 'c', 'd', 'e', 'f', 'h', 'i', 'j']);
  });

  it('skips names read tolerantly, as compile-expression evaluates them', () => {
    expect(reads('a ?? b')).toEqual(['b']);
    expect(reads('a.x[i] ?? b.y ?? c')).toEqual(['i', 'c']);
    expect(reads('has(a.x) || coalesce(b, c.d)')).toEqual([]);
    expect(reads('(t ? a : b) ?? c')).toEqual(['t', 'c']);
  });
});
