import { describe, expect, it } from 'vitest';
import { pointerToDotPath } from './prepare-plugin-config.js';

describe('pointerToDotPath', () => {
  it('writes a JSON Pointer as the config path a reader knows, decoding ~1 and ~0', () => {
    expect(pointerToDotPath('')).toBe('');
    expect(pointerToDotPath('/auth/user')).toBe('.auth.user');
    expect(pointerToDotPath('/to/0')).toBe('.to[0]');
    expect(pointerToDotPath('/headers/x~1y~0z')).toBe('.headers.x/y~z');
  });
});
