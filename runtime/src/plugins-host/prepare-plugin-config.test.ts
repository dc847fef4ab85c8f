import { describe, expect, it } from 'vitest';
import { pointerToPath } from './prepare-plugin-config.js';

describe('pointerToPath', () => {
  it('writes a JSON Pointer as the config path a reader knows, decoding ~1 and ~0', () => {
    expect(pointerToPath('')).toBe('');
    expect(pointerToPath('/auth/user')).toBe('.auth.user');
    expect(pointerToPath('/to/0')).toBe('.to[0]');
    expect(pointerToPath('/headers/x~1y~0z')).toBe('.headers.x/y~z');
  });
});
