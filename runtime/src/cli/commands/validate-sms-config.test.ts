import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heraldInProcess as herald } from '../../../../test/helpers/herald-in-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'herald-validate-sms-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A project using the bundled @herald/channel-sms (found from the CLI's own install, as
 * `herald validate` finds it for users), its config lines under `config:` from line 6.
 */
function project(name: string, config: readonly string[]): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const yaml = ['project: ' + name, 'channels:', '  sms:', "    use: '@herald/channel-sms'", '    config:', ...config.map((l) => `      ${l}`), ''];
  writeFileSync(join(dir, 'herald.yaml'), yaml.join('\n'));
  return dir;
}

const ACCOUNT = ['accountSid: AC00000000000000000000000000000000', 'authToken: "${TWILIO_AUTH_TOKEN}"'];

describe('herald validate with @herald/channel-sms', () => {
  it('says to give exactly one of from and messagingServiceSid when both are given, at the second', async () => {
    const r = await herald(['validate', '--no-color', project('both', [...ACCOUNT, 'from: "+14155550100"', 'messagingServiceSid: MG00000000000000000000000000000000'])]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'herald.yaml:9:7 - error invalid-plugin-config: the config of channel `sms`: give exactly one of `from`, `messagingServiceSid` (both are given)',
    );
    expect(r.out).toContain('keep one of them and remove the other');
    expect(r.out).not.toContain('must match exactly one schema in oneOf');
  });

  it('says so when neither is given, and shows an example sender instead of the regex', async () => {
    const neither = await herald(['validate', '--no-color', project('neither', ACCOUNT)]);
    expect(neither.out).toContain('herald.yaml:6:7 - error invalid-plugin-config: the config of channel `sms`: give exactly one of `from`, `messagingServiceSid` (neither is given)');
    const sender = await herald(['validate', '--no-color', project('sender', [...ACCOUNT, 'from: "14155550100x"'])]);
    expect(sender.out).toContain('herald.yaml:8:13 - error invalid-plugin-config: `from` in the config of channel `sms` must be a sender like `+14155550100`');
    expect(sender.out).not.toContain('must match pattern');
  });

  it('refuses a baseUrl with credentials or a query string, which the channel refuses at start', async () => {
    const creds = await herald(['validate', '--no-color', project('base-creds', [...ACCOUNT, 'from: ACME', 'baseUrl: https://user:secret@api.twilio.com'])]);
    expect(creds.code).toBe(1);
    expect(creds.out).toContain('herald.yaml:9:16 - error invalid-plugin-config: `baseUrl` in the config of channel `sms` must not be a URL with credentials (`user:password@`)');
    const query = await herald(['validate', '--no-color', project('base-query', [...ACCOUNT, 'from: ACME', 'baseUrl: https://api.twilio.com/?region=ie1'])]);
    expect(query.code).toBe(1);
    expect(query.out).toContain('`baseUrl` in the config of channel `sms` must not be a URL with a query string or a fragment');
  });

  it('accepts what the channel accepts: a gateway path prefix, and a statusCallback with credentials and a query', async () => {
    const r = await herald([
      'validate',
      project('accepted', [
        ...ACCOUNT,
        'messagingServiceSid: MG00000000000000000000000000000000',
        'baseUrl: https://acme.signalwire.example/api/laml/',
        // Literal, not ${VAR}: the compiler does not judge the form of text with a reference in it.
        'statusCallback: "https://herald:s3cret@herald.example/callbacks/sms?tenant=acme"',
      ]),
    ]);
    expect(r.out).toContain('No problems found');
    expect(r.code).toBe(0);
  });
});
