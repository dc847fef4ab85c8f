import { describe, expect, it } from 'vitest';
import { archiveRetention } from './rule-archive-retention.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const DUNNING = 'policy: dunning\nchannels: [email]\nfrequencyCap: { max: 2, per: 1d }\ndedupe: { key: "trigger.invoiceId", window: 30d }\n';
const check = (retention: string | undefined, policies: Record<string, string> = { 'dunning.policy.yaml': DUNNING }) =>
  checkRule(archiveRetention, {
    'herald.yaml': retention === undefined ? BASE_CONFIG : `${BASE_CONFIG}archive:\n  retention: ${retention}\n`,
    'standard.policy.yaml': 'policy: standard\nchannels: [email]\n',
    ...policies,
  });

describe('archive retention', () => {
  it('accepts no retention, and a retention at least as long as every window (a window equal to it counts the same messages)', () => {
    expect(check(undefined)).toEqual([]);
    expect(check('56w')).toEqual([]);
    expect(check('30d')).toEqual([]);
    expect(check('1m', { 'plain.policy.yaml': 'policy: plain\nchannels: [email]\n' })).toEqual([]);
  });

  it('warns of a retention of 0 at the value (zero-duration), once, whatever the policies', () => {
    expect(check('0s')).toEqual([
      expect.objectContaining({
        code: 'zero-duration',
        severity: 'warning',
        file: 'herald.yaml',
        at: '0s',
        message:
          'an archive retention of 0 keeps nothing: at start and every hour every finished message is deleted, and with it the record dedupe and frequency caps count on and the ids of accepted events',
        hint: expect.stringContaining('e.g. `retention: 56w`'),
      }),
    ]);
    expect(check('0d0h', {}).map((p) => [p.code, p.at])).toEqual([['zero-duration', '0d0h']]);
  });

  it('warns at the retention of each dedupe window and frequency-cap period longer than it, naming the policy and pointing at the window', () => {
    expect(check('1m')).toEqual([
      {
        code: 'retention-shorter-than-window',
        severity: 'warning',
        message:
          'archive retention 1m is shorter than the dedupe window (`window: 30d`) of policy `dunning`: the purge (at start and every hour) deletes the record of messages sent more than 1m ago, so once a message\'s record is purged, another with the same dedupe key is sent again although its 30d window still runs',
        file: 'herald.yaml',
        at: '1m',
        line: 20,
        hint: 'make `retention` at least `30d`, the longest window of any policy, or shorten the policy\'s window to `1m` or less',
        related: [{ file: 'dunning.policy.yaml', at: '30d', line: 4, message: 'dedupe window (`window: 30d`) of policy `dunning`' }],
        fix: undefined,
      },
      expect.objectContaining({
        code: 'retention-shorter-than-window',
        at: '1m',
        message:
          'archive retention 1m is shorter than the frequency-cap period (`per: 1d`) of policy `dunning`: the purge (at start and every hour) deletes the record of messages sent more than 1m ago, so purged messages stop counting against the cap, and more than 2 per 1d can get through',
        related: [expect.objectContaining({ file: 'dunning.policy.yaml', at: '1d' })],
      }),
    ]);
  });

  it('writes durations as formatDuration does: compound, in days at most', () => {
    const policy = 'policy: weekly\nchannels: [email]\nfrequencyCap: { max: 1, per: 8w }\ndedupe: { key: "trigger.id", window: 90m }\n';
    const [window, cap] = check('1h', { 'weekly.policy.yaml': policy });
    expect(window).toMatchObject({
      message: expect.stringContaining('the dedupe window (`window: 1h30m`) of policy `weekly`'),
      hint: 'make `retention` at least `56d`, the longest window of any policy, or shorten the policy\'s window to `1h` or less',
    });
    expect(cap).toMatchObject({ message: expect.stringContaining('more than 1 per 56d can get through') });
  });

  it('names only the windows longer than the retention', () => {
    expect(check('2d').map((p) => [p.code, p.related[0]?.at])).toEqual([['retention-shorter-than-window', '30d']]);
  });
});
