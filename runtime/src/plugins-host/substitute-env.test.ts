import { describe, expect, it } from 'vitest';
import { substituteEnv } from './substitute-env.js';

const schema = {
  type: 'object',
  properties: {
    host: { type: 'string' },
    port: { type: 'integer' },
    ratio: { type: 'number' },
    secure: { type: 'boolean' },
    auth: { type: 'object', properties: { pass: { type: 'string' } } },
    hosts: { type: 'array', items: { type: 'string' } },
  },
} as const;

describe('substituteEnv', () => {
  it('substitutes whole and embedded references, deeply, without mutating the input', () => {
    const config = { host: '${HOST}', url: 'smtp://${HOST}:${PORT}/', auth: { pass: '${PASS}' }, hosts: ['${HOST}'] };
    const r = substituteEnv(config, schema, { HOST: 'mail.example', PORT: '2525', PASS: 's3cret' });
    expect(r.problems).toEqual([]);
    expect(r.value).toEqual({ host: 'mail.example', url: 'smtp://mail.example:2525/', auth: { pass: 's3cret' }, hosts: ['mail.example'] });
    expect(config.host).toBe('${HOST}');
  });

  it('turns a whole-string reference into a number or boolean where the schema wants one', () => {
    const r = substituteEnv({ port: '${PORT}', ratio: '${R}', secure: '${TLS}', host: '${PORT}' }, schema, { PORT: '2525', R: '0.5', TLS: 'true' });
    expect(r.value).toEqual({ port: 2525, ratio: 0.5, secure: true, host: '2525' });
  });

  it('names the config key and the variable when a variable is missing or malformed', () => {
    const r = substituteEnv({ host: '${SMTP_HOST}', port: '${PORT}', auth: { pass: 'x${PASS}' } }, schema, { PORT: 'abc' });
    expect(r.problems).toEqual([
      'config.host: the environment variable SMTP_HOST is not set',
      'config.port: the environment variable PORT must hold an integer, got "abc"',
      'config.auth.pass: the environment variable PASS is not set',
    ]);
  });

  it('keeps $${ as a literal ${', () => {
    expect(substituteEnv({ host: 'a$${B}c' }, schema, {}).value).toEqual({ host: 'a${B}c' });
  });
});
