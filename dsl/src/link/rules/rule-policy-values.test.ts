import { describe, expect, it } from 'vitest';
import { policyValues } from './rule-policy-values.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (policy: string) => checkRule(policyValues, { 'herald.yaml': BASE_CONFIG, 'standard.policy.yaml': `policy: standard\nchannels: [email]\n${policy}` });

describe('policy values', () => {
  it('accepts quiet hours across midnight, a literal IANA zone, an expression zone, and max above initial', () => {
    expect(check('quietHours: { from: "21:00", to: "08:00", timezone: "\'Europe/Berlin\'" }\nretry: { attempts: 3, initial: 30s, max: 10m }\n')).toEqual([]);
    expect(check('quietHours: { from: "21:00", to: "08:00", timezone: subject.timezone }\n')).toEqual([]);
  });

  it('warns of quiet hours that start and end at the same time, at `to`', () => {
    expect(check('quietHours: { from: "22:00", to: "22:00" }\n')).toEqual([
      expect.objectContaining({ code: 'quiet-hours-empty', severity: 'warning', at: '"22:00"', message: 'quiet hours of policy `standard` run from 22:00 to 22:00: they hold nothing back' }),
    ]);
  });

  it('refuses a literal time zone that names no IANA zone', () => {
    expect(check('quietHours: { from: "21:00", to: "08:00", timezone: "\'Mars/Base\'" }\n')).toEqual([
      expect.objectContaining({ code: 'unknown-timezone', severity: 'error', message: '`Mars/Base` is not an IANA time zone (quiet hours of policy `standard`)' }),
    ]);
  });

  it('warns of a retry max below its initial delay, at `max`', () => {
    expect(check('retry: { attempts: 3, initial: 30s, max: 10s }\n')).toEqual([
      expect.objectContaining({ code: 'retry-max-below-initial', severity: 'warning', at: '10s', message: 'retry of policy `standard`: `max` 10s is below `initial` 30s, so every retry waits 10s' }),
    ]);
  });

  it('warns of an initial delay above the default max (1h) when no max is written, at `initial`', () => {
    expect(check('retry: { attempts: 3, backoff: fixed, initial: 2h }\n')).toEqual([
      expect.objectContaining({
        code: 'retry-max-below-initial',
        severity: 'warning',
        at: '2h',
        message: 'retry of policy `standard`: `initial` 2h is above the default `max` of 1h, so every retry waits 1h',
        hint: 'set `max:` (at least `initial`: `max: 2h`) for longer delays, or make `initial` at most 1h',
      }),
    ]);
    expect(check('retry: { attempts: 3, initial: 1h }\n')).toEqual([]);
    expect(check('retry: { attempts: 3, backoff: fixed, initial: 2h, max: 2h }\n')).toEqual([]);
  });
});

describe('time zones', () => {
  it('refuses a misspelt literal zone in quiet hours with a did-you-mean and a fix inside the quotes', () => {
    expect(check('quietHours: { from: "21:00", to: "08:00", timezone: "\'Europe/Berln\'" }\n')).toEqual([
      expect.objectContaining({
        code: 'unknown-timezone',
        at: 'Europe/Berln',
        message: '`Europe/Berln` is not an IANA time zone (quiet hours of policy `standard`)',
        hint: 'did you mean `Europe/Berlin`?',
        fix: { at: 'Europe/Berln', newText: 'Europe/Berlin' },
      }),
    ]);
  });

  it('refuses a `defaults.timezone` in herald.yaml that names no IANA zone, at the value', () => {
    const config = BASE_CONFIG.replace('defaults:\n', 'defaults:\n  timezone: Europe/Berln\n');
    expect(checkRule(policyValues, { 'herald.yaml': config, 'standard.policy.yaml': 'policy: standard\nchannels: [email]\n' })).toEqual([
      expect.objectContaining({
        code: 'unknown-timezone',
        file: 'herald.yaml',
        at: 'Europe/Berln',
        line: 3,
        message: '`Europe/Berln` is not an IANA time zone (`defaults.timezone`)',
        hint: 'did you mean `Europe/Berlin`?',
        fix: { at: 'Europe/Berln', newText: 'Europe/Berlin' },
      }),
    ]);
    expect(checkRule(policyValues, { 'herald.yaml': BASE_CONFIG.replace('defaults:\n', 'defaults:\n  timezone: Europe/Berlin\n'), 'standard.policy.yaml': 'policy: standard\nchannels: [email]\n' })).toEqual([]);
  });
});
