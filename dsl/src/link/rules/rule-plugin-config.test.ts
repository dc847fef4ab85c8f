import { describe, expect, it } from 'vitest';
import type { ManifestResult } from '../plugin-manifest.js';
import { pluginConfig } from './rule-plugin-config.js';
import { BASE_CONFIG, checkRule, DEFAULT_MANIFESTS } from './test-project.js';

const config = (channels: string, sources = '') => `project: test\nchannels:\n${channels}${sources ? `sources:\n${sources}` : ''}`;
const check = (yaml: string, manifests: Record<string, ManifestResult> = DEFAULT_MANIFESTS) =>
  checkRule(pluginConfig, { 'herald.yaml': yaml }, { manifests });

describe('plugin manifests', () => {
  it('accepts the base project', () => {
    expect(check(BASE_CONFIG)).toEqual([]);
  });

  it('reports a plugin that is not installed, with the npm command', () => {
    const r = check(config("  push: { use: '@herald/channel-push' }\n"), {
      ...DEFAULT_MANIFESTS,
      '@herald/channel-push': { ok: false, reason: 'package `@herald/channel-push` is not installed' },
    });
    expect(r).toEqual([
      expect.objectContaining({
        code: 'unknown-plugin',
        severity: 'error',
        at: "'@herald/channel-push'",
        message: 'cannot find plugin `@herald/channel-push` for channel `push`',
        hint: 'install it with `npm install @herald/channel-push`, or check the name',
      }),
    ]);
  });

  it('suggests a plugin the project does have for a misspelt name', () => {
    const r = check(config("  email: { use: '@herald/channel-emial', config: { from: a@b.c } }\n"), {
      ...DEFAULT_MANIFESTS,
      '@herald/channel-emial': { ok: false, reason: 'not installed' },
    });
    expect(r[0]).toMatchObject({ code: 'unknown-plugin', hint: 'did you mean `@herald/channel-email`?', fix: { newText: '@herald/channel-email' } });
  });

  it("suggests Herald's own plugins for a misspelt name the project does not use yet, never an npm install of the misspelt one", () => {
    const r = check(config("  text: { use: '@herald/channel-smss' }\n"), { ...DEFAULT_MANIFESTS, '@herald/channel-smss': { ok: false, reason: 'not installed' } });
    expect(r[0]).toMatchObject({ code: 'unknown-plugin', hint: 'did you mean `@herald/channel-sms`?', fix: { newText: '@herald/channel-sms' } });
  });

  it('says to check a local path', () => {
    const r = check(config('  mine: { use: ./plugins/mine }\n'), { './plugins/mine': { ok: false, reason: 'no herald-plugin.json in `./plugins/mine`' } });
    expect(r[0]).toMatchObject({ code: 'unknown-plugin', at: './plugins/mine' });
    expect(r[0]!.hint).toMatch(/^check the path: it is relative to the project root/);
  });

  it('reports an invalid manifest with its reason', () => {
    const r = check(config('  mine: { use: ./plugins/mine }\n'), { './plugins/mine': { ok: false, invalid: true, reason: 'herald-plugin.json is not valid JSON' } });
    expect(r).toEqual([
      expect.objectContaining({
        code: 'invalid-plugin-manifest',
        at: './plugins/mine',
        message: 'the manifest of plugin `./plugins/mine` (channel `mine`) is not valid',
        hint: 'herald-plugin.json is not valid JSON; update the plugin or tell its author',
      }),
    ]);
  });

  it('reports a config schema that does not compile as an invalid manifest', () => {
    const broken: ManifestResult = { ok: true, path: 'x', manifest: { name: 'x', kind: 'channel', message: 'sms', configSchema: { type: 'nonsense' } } };
    const r = check(config('  mine: { use: ./plugins/mine }\n'), { './plugins/mine': broken });
    expect(r[0]).toMatchObject({ code: 'invalid-plugin-manifest', message: 'the `configSchema` in the manifest of plugin `./plugins/mine` is not a valid JSON Schema' });
  });

  it('reports a source plugin used as a channel and a channel plugin used as a source', () => {
    const r = check(
      config("  crm: { use: '@herald/source-http', config: { baseUrl: x } }\n", "  mail: { use: '@herald/channel-log', queries: { q: { returns: string } } }\n"),
    );
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      [
        'wrong-plugin-kind',
        "'@herald/source-http'",
        'channel `crm` uses `@herald/source-http`, which is a source plugin',
        'declare it under `sources:` instead, or use a channel plugin here',
      ],
      [
        'wrong-plugin-kind',
        "'@herald/channel-log'",
        'source `mail` uses `@herald/channel-log`, which is a channel plugin',
        'declare it under `channels:` instead, or use a source plugin here',
      ],
    ]);
  });
});

describe('invalid-plugin-config', () => {
  it('points at an unknown key with a did-you-mean, and at a wrongly typed value', () => {
    const r = check(config("  email:\n    use: '@herald/channel-email'\n    config:\n      from: billing@example.com\n      prot: 25\n      secure: yes\n"));
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      ['invalid-plugin-config', 'prot', 'unknown key `prot` in the config of channel `email`', 'did you mean `port`?'],
      ['invalid-plugin-config', 'yes', '`secure` in the config of channel `email` must be a boolean, not the text `yes`', undefined],
    ]);
    expect(r[0]!.fix).toEqual({ at: 'prot', newText: 'port' });
  });

  it('gives one problem for a misspelt required key: the unknown key with its did-you-mean, not also the missing one', () => {
    const r = check(config("  email:\n    use: '@herald/channel-email'\n    config:\n      frm: billing@example.com\n"));
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      ['invalid-plugin-config', 'frm', 'unknown key `frm` in the config of channel `email`', 'did you mean `from`?'],
    ]);
  });

  it('reports a missing required key at the first key of the config, or at the channel when there is no config', () => {
    const r = check(config("  email:\n    use: '@herald/channel-email'\n    config: { host: smtp.example.com }\n"));
    expect(r).toEqual([
      expect.objectContaining({ at: 'host', message: 'the config of channel `email` is missing required key `from`', hint: 'add `from:`' }),
    ]);
    const none = check(config("  email: { use: '@herald/channel-email' }\n"));
    expect(none).toEqual([expect.objectContaining({ code: 'invalid-plugin-config', at: 'email', line: 3 })]);
  });

  it('reports enum and range violations at the value, with did-you-mean for enums', () => {
    const r = check(config("  email: { use: '@herald/channel-email', config: { from: a@b.c, mode: smpt, port: 70000 } }\n"));
    expect(r.map((p) => [p.at, p.message, p.hint])).toEqual([
      ['70000', '`port` in the config of channel `email` must be <= 65535', undefined],
      ['smpt', '`mode` in the config of channel `email` must be one of `smtp`, `api`', 'did you mean `smtp`?'],
    ]);
  });

  it('accepts ${ENV_VAR} wherever a string, number, integer or boolean is expected', () => {
    const r = check(
      config(
        "  email: { use: '@herald/channel-email', config: { from: '${SMTP_FROM}', port: '${SMTP_PORT}', secure: '${SMTP_TLS}', mode: '${MODE}', host: 'smtp.${DOMAIN}' } }\n",
        "  crm: { use: '@herald/source-http', config: { baseUrl: '${CRM_URL}', timeoutMs: '${T}', retries: '${R}' }, queries: { q: { returns: string, with: { path: /x } } } }\n",
      ),
    );
    expect(r).toEqual([]);
  });

  it('still reports a ${VAR} where an object is expected, and text that is not a whole reference', () => {
    const r = check(config("  email: { use: '@herald/channel-email', config: { from: a@b.c, port: 'port ${P}', secure: 'TRUE' } }\n"));
    expect(r.map((p) => p.at)).toEqual(["'port ${P}'", "'TRUE'"]);
    const withTls: ManifestResult = {
      ok: true,
      path: 'x',
      manifest: { name: 'x', kind: 'channel', message: 'email', configSchema: { type: 'object', properties: { tls: { type: 'object' } } } },
    };
    const obj = check(config("  mine: { use: ./mine, config: { tls: '${TLS}' } }\n"), { './mine': withTls });
    expect(obj.map((p) => [p.at, p.message])).toEqual([["'${TLS}'", '`tls` in the config of channel `mine` must be an object, not the text `${TLS}`']]);
  });

  it('checks formats as the runtime does at start (a `format: uri` that is no URI), leaving ${VAR} values alone', () => {
    const withUri: ManifestResult = {
      ok: true,
      path: 'x',
      manifest: { name: 'x', kind: 'channel', message: 'email', configSchema: { type: 'object', properties: { baseUrl: { type: 'string', format: 'uri' } } } },
    };
    const at = (url: string) => check(config(`  mine: { use: ./mine, config: { baseUrl: '${url}' } }\n`), { './mine': withUri });
    expect(at('https://crm.example.com/v2')).toEqual([]);
    expect(at('${CRM_URL}')).toEqual([]);
    expect(at('http://exa mple').map((p) => [p.code, p.at, p.message])).toEqual([
      ['invalid-plugin-config', "'http://exa mple'", '`baseUrl` in the config of channel `mine` must be an absolute URI (such as `https://api.example.com/v1`), not `http://exa mple`'],
    ]);
  });

  it('refuses a `with:` for a source whose plugin has no query schema, as the manifest docs say', () => {
    const plain: ManifestResult = { ok: true, path: 'x', manifest: { name: 'plain', kind: 'source', configSchema: { type: 'object' } } };
    const yaml = config("  log: { use: '@herald/channel-log' }\n", '  crm:\n    use: ./plain\n    queries:\n      a: { returns: string, with: { path: /x } }\n      b: { returns: string }\n');
    expect(check(yaml, { ...DEFAULT_MANIFESTS, './plain': plain }).map((p) => [p.code, p.at, p.message])).toEqual([
      ['invalid-plugin-config', '{ path: /x }', 'query `crm.a` has a `with:`, but the plugin of source `crm` (`./plain`) takes none: its manifest has no `querySchema`'],
    ]);
  });

  it('warns of a secret (writeOnly) written out instead of as ${NAME}, naming a variable to use', () => {
    const secretive: ManifestResult = {
      ok: true,
      path: 'x',
      manifest: {
        name: 'x',
        kind: 'channel',
        message: 'email',
        configSchema: {
          type: 'object',
          properties: { authToken: { type: 'string', writeOnly: true }, user: { type: 'string' }, auth: { type: 'object', properties: { pass: { type: 'string', writeOnly: true } } } },
        },
      },
    };
    const at = (cfg: string) => check(config(`  text: { use: ./mine, config: ${cfg} }\n`), { './mine': secretive });
    expect(at("{ authToken: 'sk_live_abc', user: ann, auth: { pass: hunter2 } }").map((p) => [p.code, p.severity, p.at, p.message, p.hint])).toEqual([
      ['plain-secret', 'warning', "'sk_live_abc'", '`authToken` in the config of channel `text` is a secret, written out in herald.yaml: it would be in Git and in every compiled graph', 'write `authToken: ${TEXT_AUTH_TOKEN}` and set that variable where Herald runs; the runtime substitutes it at start'],
      ['plain-secret', 'warning', 'hunter2', '`auth.pass` in the config of channel `text` is a secret, written out in herald.yaml: it would be in Git and in every compiled graph', 'write `pass: ${TEXT_PASS}` and set that variable where Herald runs; the runtime substitutes it at start'],
    ]);
    expect(at("{ authToken: '${TWILIO_AUTH_TOKEN}', auth: { pass: 'Bearer ${T}' } }")).toEqual([]);
    expect(at("{ authToken: '' }")).toEqual([]);
  });

  it("validates each query's `with:` against the source's query schema", () => {
    const r = check(
      config(
        "  log: { use: '@herald/channel-log' }\n",
        `  crm:
    use: '@herald/source-http'
    config: { baseUrl: 'https://crm' }
    queries:
      ok: { returns: string, with: { path: /ok } }
      typo: { returns: string, with: { path: /x, methd: GET } }
      bad: { returns: string, with: { path: /x, method: PUT } }
      none: { returns: string }
`,
      ),
    );
    expect(r.map((p) => [p.at, p.message, p.hint])).toEqual([
      ['methd', 'unknown key `methd` in `with:` of query `crm.typo`', 'did you mean `method`?'],
      ['PUT', '`method` in `with:` of query `crm.bad` must be one of `GET`, `POST`', undefined],
      ['none', '`with:` of query `crm.none` is missing required key `path`', 'add `path:`'],
    ]);
  });
});

/** A channel plugin `./mine` with `schema` as its configSchema, for the message tests below. */
const mine = (schema: Record<string, unknown>): Record<string, ManifestResult> => ({
  './mine': { ok: true, path: 'x', manifest: { name: 'mine', kind: 'channel', message: 'sms', configSchema: schema } },
});
const checkMine = (schema: Record<string, unknown>, configYaml: string) => check(config(`  mine: { use: ./mine, config: ${configYaml} }\n`), mine(schema));
const brief = (r: ReturnType<typeof check>) => r.map((p) => [p.at, p.message, p.hint]);

describe('invalid-plugin-config: oneOf / anyOf of required keys', () => {
  // The shape of @herald/channel-sms: one sender, given one of two ways.
  const sender = {
    type: 'object',
    properties: { from: { type: 'string' }, sid: { type: 'string' }, region: { type: 'string' } },
    oneOf: [{ required: ['from'] }, { required: ['sid'] }],
  };

  it('says "give exactly one of" with both given, at the second key and relating the first', () => {
    const r = checkMine(sender, '{ from: ACME, region: eu, sid: MG1 }');
    expect(brief(r)).toEqual([['sid', 'the config of channel `mine`: give exactly one of `from`, `sid` (both are given)', 'keep one of them and remove the other']]);
    expect(r[0]!.related).toEqual([expect.objectContaining({ at: 'from', message: '`from` is given here' })]);
    expect(r.map((p) => p.message).join()).not.toContain('must match exactly one schema');
  });

  it('says "give exactly one of" with neither given, at the first key, or at the channel without a config', () => {
    expect(brief(checkMine(sender, '{ region: eu }'))).toEqual([
      ['region', 'the config of channel `mine`: give exactly one of `from`, `sid` (neither is given)', 'add `from:` or `sid:`'],
    ]);
    const none = check(config('  mine: { use: ./mine }\n'), mine(sender));
    expect(none.map((p) => [p.at, p.message])).toEqual([['mine', 'the config of channel `mine`: give exactly one of `from`, `sid` (neither is given)']]);
  });

  it('counts a key given as ${VAR} as given', () => {
    expect(checkMine(sender, "{ from: '${SMS_FROM}', sid: '${SMS_SID}' }").map((p) => p.message)).toEqual([
      'the config of channel `mine`: give exactly one of `from`, `sid` (both are given)',
    ]);
  });

  it('reads branches that also exclude the other key, inside oneOf, an exclusive anyOf, allOf or a $ref', () => {
    const excl = (a: string, b: string) => ({ required: [a], not: { required: [b] } });
    const shapes: Record<string, unknown>[] = [
      { oneOf: [excl('from', 'sid'), excl('sid', 'from')] },
      { anyOf: [excl('from', 'sid'), excl('sid', 'from')] },
      {
        oneOf: [{ allOf: [{ required: ['from'] }, { not: { required: ['sid'] } }] }, { $ref: '#/$defs/bySid' }],
        $defs: { bySid: { required: ['sid'], not: { anyOf: [{ required: ['from'] }] } } },
      },
    ];
    for (const shape of shapes) {
      const schema = { type: 'object', ...shape };
      expect(checkMine(schema, '{ from: ACME, sid: MG1 }').map((p) => [p.at, p.message]), JSON.stringify(shape)).toEqual([
        ['sid', 'the config of channel `mine`: give exactly one of `from`, `sid` (both are given)'],
      ]);
      expect(checkMine(schema, '{ region: eu }').map((p) => p.message), JSON.stringify(shape)).toEqual([
        'the config of channel `mine`: give exactly one of `from`, `sid` (neither is given)',
      ]);
      expect(checkMine(schema, '{ sid: MG1 }'), JSON.stringify(shape)).toEqual([]);
    }
  });

  it('does not claim "exactly one" for lopsided exclusions, which allow both', () => {
    const lopsided = { type: 'object', anyOf: [{ required: ['from'], not: { required: ['sid'] } }, { required: ['sid'] }] };
    expect(checkMine(lopsided, '{ from: ACME, sid: MG1 }')).toEqual([]);
    expect(checkMine(lopsided, '{ region: eu }').map((p) => p.message)).toEqual(['the config of channel `mine` must match a schema in anyOf']);
  });

  it('says "give at least one of" for anyOf, and accepts both', () => {
    const contact = { type: 'object', anyOf: [{ required: ['email'] }, { required: ['phone'] }, { required: ['pager'] }] };
    expect(brief(checkMine(contact, '{ name: x }'))).toEqual([
      ['name', 'the config of channel `mine`: give at least one of `email`, `phone`, `pager` (none is given)', 'add `email:` or `phone:` or `pager:`'],
    ]);
    expect(checkMine(contact, '{ email: a@b.c, phone: "1" }')).toEqual([]);
  });

  it('names keys required together, and what is missing from a group given in part', () => {
    const auth = { type: 'object', oneOf: [{ required: ['token'] }, { required: ['user', 'password'] }] };
    expect(brief(checkMine(auth, '{ user: u }'))).toEqual([
      ['user', 'the config of channel `mine`: give exactly one of `token`, `user` with `password` (`user` is given without `password`)', 'add `password:`'],
    ]);
    expect(checkMine(auth, '{ user: u, token: t, password: p }').map((p) => [p.at, p.message])).toEqual([
      ['token', 'the config of channel `mine`: give exactly one of `token`, `user` with `password` (both are given)'],
    ]);
  });

  it('says "give at most one of" for a oneOf whose last branch allows none, and for not-both', () => {
    const atMost = { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }, { not: { anyOf: [{ required: ['a'] }, { required: ['b'] }] } }] };
    expect(checkMine(atMost, '{ a: 1, b: 2 }').map((p) => [p.at, p.message])).toEqual([['b', 'the config of channel `mine`: give at most one of `a`, `b` (both are given)']]);
    expect(checkMine(atMost, '{ c: 1 }')).toEqual([]);
    const notBoth = { type: 'object', not: { required: ['a', 'b'] } };
    expect(checkMine(notBoth, '{ b: 2, a: 1 }').map((p) => [p.at, p.message])).toEqual([['a', 'the config of channel `mine`: give at most one of `b`, `a` (both are given)']]);
  });

  it('says which key is forbidden for a not of required keys', () => {
    const schema = { type: 'object', not: { anyOf: [{ required: ['legacyKey'] }, { required: ['oldKey'] }] }, description: 'legacyKey and oldKey were removed in 2.0' };
    expect(brief(checkMine(schema, '{ a: 1, oldKey: 2 }'))).toEqual([['oldKey', 'the config of channel `mine` must not have `oldKey`', 'legacyKey and oldKey were removed in 2.0']]);
  });

  it('speaks of a nested object by its key, at that key', () => {
    const schema = { type: 'object', properties: { auth: sender } };
    expect(checkMine(schema, '{ auth: { region: eu } }').map((p) => [p.at, p.message])).toEqual([
      ['auth', '`auth` in the config of channel `mine`: give exactly one of `from`, `sid` (neither is given)'],
    ]);
  });

  it('reports a value of the wrong type once, not as "both are given"', () => {
    const schema = { type: 'object', properties: { auth: sender } };
    expect(checkMine(schema, '{ auth: x }').map((p) => p.message)).toEqual(['`auth` in the config of channel `mine` must be an object, not the text `x`']);
  });
});

describe('invalid-plugin-config: other oneOf / anyOf', () => {
  const target = {
    type: 'object',
    properties: {
      target: {
        oneOf: [
          { type: 'string', pattern: '^https://', examples: ['https://hooks.example/in'], description: 'A URL to POST to.' },
          { $ref: '#/$defs/queue' },
        ],
      },
    },
    $defs: { queue: { type: 'object', required: ['queue'], properties: { queue: { type: 'string' } }, additionalProperties: false } },
  };

  it('gives the type error when no branch takes the type of the value', () => {
    expect(checkMine(target, '{ target: 5 }').map((p) => [p.at, p.message])).toEqual([['5', '`target` in the config of channel `mine` must be a string or an object, not the number `5`']]);
  });

  it("reports the errors of the one branch that takes the value's type, and only those", () => {
    expect(checkMine(target, '{ target: http://x }').map((p) => [p.at, p.message])).toEqual([['http://x', '`target` in the config of channel `mine` must look like `https://hooks.example/in`']]);
    // `queu` is a misspelt `queue`: one problem, with the did-you-mean, not also "missing `queue`".
    expect(checkMine(target, '{ target: { queu: jobs } }').map((p) => [p.at, p.message, p.hint])).toEqual([
      ['queu', 'unknown key `queu` in `target` of the config of channel `mine`', 'did you mean `queue`?'],
    ]);
    expect(checkMine(target, '{ target: { other: jobs } }').map((p) => [p.at, p.message])).toEqual([
      ['target', '`target` in the config of channel `mine` is missing required key `queue`'],
      ['other', 'unknown key `other` in `target` of the config of channel `mine`'],
    ]);
  });

  it('explains a oneOf of required keys inside the branch chosen by type', () => {
    const schema = {
      type: 'object',
      properties: { sender: { oneOf: [{ type: 'string' }, { type: 'object', oneOf: [{ required: ['number'] }, { required: ['service'] }] }] } },
    };
    expect(checkMine(schema, '{ sender: { region: eu } }').map((p) => [p.at, p.message])).toEqual([
      ['sender', '`sender` in the config of channel `mine`: give exactly one of `number`, `service` (neither is given)'],
    ]);
  });

  it('lists the values of const branches, with a did-you-mean', () => {
    const schema = { type: 'object', properties: { mode: { oneOf: [{ const: 'live', description: 'send' }, { const: 'dry-run', description: 'log only' }] } } };
    expect(brief(checkMine(schema, '{ mode: lvie }'))).toEqual([['lvie', '`mode` in the config of channel `mine` must be one of `live`, `dry-run`', 'did you mean `live`?']]);
  });

  it('names branches by title, or lists their descriptions, rather than "must match exactly one schema in oneOf"', () => {
    const titled = {
      type: 'object',
      properties: {
        host: { type: 'string', oneOf: [{ title: 'host name', pattern: '^[a-z0-9.]+$' }, { title: 'IPv4 address', pattern: '^[0-9.]+$' }] },
      },
    };
    expect(checkMine(titled, '{ host: Host_1 }').map((p) => p.message)).toEqual(['`host` in the config of channel `mine` must be a host name or an IPv4 address']);
    expect(checkMine(titled, "{ host: '1.2' }").map((p) => p.message)).toEqual([
      '`host` in the config of channel `mine` must be only one of a host name or an IPv4 address, but it is a host name and an IPv4 address',
    ]);
    const described = {
      type: 'object',
      properties: { n: { type: 'integer', anyOf: [{ multipleOf: 3, description: 'a multiple of 3' }, { maximum: 2, description: 'at most 2' }] } },
    };
    expect(brief(checkMine(described, '{ n: 5 }'))).toEqual([
      ['5', '`n` in the config of channel `mine` does not match any of the forms it can take', 'it can be: (1) a multiple of 3; (2) at most 2'],
    ]);
  });

  it('keeps ajv\'s sentence for branches it cannot describe', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', oneOf: [{ multipleOf: 3 }, { multipleOf: 5 }] } } };
    expect(checkMine(schema, '{ n: 15 }').map((p) => p.message)).toEqual(['`n` in the config of channel `mine` must match exactly one schema in oneOf']);
  });
});

describe('invalid-plugin-config: patterns and forbidden forms', () => {
  const prop = (s: Record<string, unknown>) => ({ type: 'object', properties: { from: { type: 'string', ...s } } });
  const PHONE = '^\\+[1-9][0-9]{1,14}$';

  it('shows the first example that fits, named by the title, with the description as the hint; never the regex', () => {
    const r = checkMine(prop({ pattern: PHONE, title: 'sender', examples: [42, 'not a number', '+14155550100'], description: 'An E.164 number.' }), "{ from: '14155550100' }");
    expect(brief(r)).toEqual([["'14155550100'", '`from` in the config of channel `mine` must be a sender like `+14155550100`', 'An E.164 number.']]);
  });

  it('says "must look like" without a title, lists further examples without a description, and falls back to the default', () => {
    expect(brief(checkMine(prop({ pattern: PHONE, examples: ['+14155550100', '+447700900123'] }), '{ from: x }'))).toEqual([
      ['x', '`from` in the config of channel `mine` must look like `+14155550100`', 'for example `+14155550100`, `+447700900123`'],
    ]);
    expect(checkMine(prop({ pattern: PHONE, default: '+10000000000' }), '{ from: x }').map((p) => p.message)).toEqual(['`from` in the config of channel `mine` must look like `+10000000000`']);
  });

  it('without examples, uses the description as the hint, and the regex only when there is nothing else', () => {
    expect(brief(checkMine(prop({ pattern: PHONE, description: 'An E.164 number.' }), '{ from: x }'))).toEqual([
      ['x', '`from` in the config of channel `mine` does not have the expected form', 'An E.164 number.'],
    ]);
    const bare = checkMine(prop({ pattern: PHONE }), '{ from: x }');
    expect(brief(bare)).toEqual([['x', '`from` in the config of channel `mine` does not have the expected form', `it must match the regular expression \`${PHONE}\``]]);
    expect(bare[0]!.message).not.toContain(PHONE);
  });

  it('names a forbidden form by the title of its `not`, with its description as the hint', () => {
    const url = prop({ not: { pattern: '^[a-z]+://[^/@]*@', title: 'a URL with credentials', description: 'Credentials come from `user` and `password`.' } });
    expect(brief(checkMine(url, "{ from: 'https://u:p@h' }"))).toEqual([
      ["'https://u:p@h'", '`from` in the config of channel `mine` must not be a URL with credentials', 'Credentials come from `user` and `password`.'],
    ]);
    expect(checkMine(url, "{ from: 'https://h' }")).toEqual([]);
    // `${U}` may be empty, and then there are no credentials: judged at start, not here.
    expect(checkMine(url, "{ from: 'https://${U}@h' }")).toEqual([]);
    expect(checkMine(prop({ not: { const: 'none' } }), '{ from: none }').map((p) => p.message)).toEqual(['`from` in the config of channel `mine` must not be `none`']);
  });
});
