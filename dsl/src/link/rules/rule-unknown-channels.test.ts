import { describe, expect, it } from 'vitest';
import { unknownChannels } from './rule-unknown-channels.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

describe('unknown-channel', () => {
  it('accepts channels declared in herald.yaml', () => {
    expect(checkRule(unknownChannels, { 'herald.yaml': BASE_CONFIG, 'p.policy.yaml': 'policy: p\nchannels: [email, sms, log]\n' })).toEqual([]);
  });

  it('reports each unknown channel at its name', () => {
    const r = checkRule(unknownChannels, { 'herald.yaml': BASE_CONFIG, 'p.policy.yaml': 'policy: dunning\nchannels: [emial, sms, letter]\n' });
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      ['unknown-channel', 'emial', 'policy `dunning` lists unknown channel `emial`', 'did you mean `email`?'],
      ['unknown-channel', 'letter', 'policy `dunning` lists unknown channel `letter`', 'declare it under `channels:` in herald.yaml with the plugin it `use:`s'],
    ]);
    expect(r[0]!.fix).toEqual({ at: 'emial', newText: 'email' });
  });

  it('is silent without herald.yaml', () => {
    expect(checkRule(unknownChannels, { 'p.policy.yaml': 'policy: p\nchannels: [pigeon]\n' })).toEqual([]);
  });
});
