/**
 * The test kit's formats agree with what the runtime checks a plugin config with (ajv with
 * ajv-formats, as runtime/src/plugins-host/json-validator.ts sets it up), value by value.
 */
import AjvModule from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { formatNames as fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { NUMBER_FORMATS, STRING_FORMATS } from './string-formats.js';
import { validateAgainstSchema } from './validate-against-schema.js';

const Ajv2020 = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as typeof formatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, logger: false });
addFormats(ajv);

const STRINGS = [
  '', 'x', '2026-02-29', '2028-02-29', '2026-13-01', '2026-01-05', '10:00:00Z', '10:00:00', '23:59:60Z', '25:00:00Z', '10:00:00+01:00',
  '2026-01-05T10:00:00Z', '2026-01-05t10:00:00z', '2026-01-05 10:00:00+01:00', '2026-01-05T10:00:00', '2026-01-05T10:00',
  'P3D', 'PT2H30M', 'P', 'P1W', '3d', 'https://api.example.com/v1?x=1#y', 'http://exa mple', 'mailto:a@b.c', 'urn:isbn:0451450523',
  '/relative/path', '//host/x', 'ftp://ftp.example.com/file', 'http://localhost:3000', 'http://10.0.0.1', 'https://münchen.de',
  'ada@example.com', 'ada@localhost', 'a b@example.com', '@example.com', 'smtp.example.com', '-bad.example.com', 'a'.repeat(64) + '.com',
  '127.0.0.1', '256.1.1.1', '::1', '2001:db8::8a2e:370:7334', 'fe80::1%eth0', '^[a-z]+$', '(unclosed', 'a\\Z',
  '6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8', '6ba7b810', '/a/b~0c~1d', 'a/b', '#/a/b', '0/a', '1#',
  'aGVsbG8=', 'aGVsbG8', 'http://x/{id}', 'http://x/{id', 'hello world',
];
const NUMBERS = [0, 1, -1, 1.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE];

describe('string formats in the test kit', () => {
  it.each(Object.keys(STRING_FORMATS))('%s decides every sample string as the runtime does', (format) => {
    const validate = ajv.compile({ type: 'string', format });
    const disagree = STRINGS.filter((s) => STRING_FORMATS[format]!(s) !== validate(s));
    expect(disagree).toEqual([]);
  });

  it.each(Object.keys(NUMBER_FORMATS))('%s decides every sample number as the runtime does', (format) => {
    const validate = ajv.compile({ type: 'number', format });
    expect(NUMBERS.filter((n) => NUMBER_FORMATS[format]!(n) !== validate(n))).toEqual([]);
  });

  it('covers every format ajv-formats checks', () => {
    const ours = [...Object.keys(STRING_FORMATS), ...Object.keys(NUMBER_FORMATS)];
    expect(fullFormats.filter((f) => !ours.includes(f))).toEqual([]);
  });

  it('reports a config value of the wrong format with its pointer, and ignores an unknown format', () => {
    const schema = { type: 'object', properties: { url: { type: 'string', format: 'uri' }, n: { type: 'integer', format: 'int32' }, x: { type: 'string', format: 'nonsense' } } };
    expect(validateAgainstSchema({ url: 'http://exa mple', n: 2 ** 40, x: 'anything' }, schema)).toEqual([
      '#/url: must be a valid uri, got "http://exa mple"',
      '#/n: must be a valid int32, got 1099511627776',
    ]);
    expect(validateAgainstSchema({ url: 'https://api.example.com/v1', n: 7 }, schema)).toEqual([]);
  });
});
