/**
 * A policy that is written but could not be read: a key the shape stage reports (`unknown-key`
 * with its did-you-mean, `wrong-type`) that stands for `policy:`. That one mistake explains a
 * send without a policy and the policy it names being unused, so the link rules report neither
 * `missing-policy` nor `unused-policy` on its account.
 *
 * A key stands for `policy:` when it is `policy:` with a value that is no text, a near miss of
 * `policy` among the keys of its place (`polciy:`), or any unknown key whose value names a policy
 * (`defaultPolicy: dunning`). In herald.yaml the place is `defaults`, or a misspelt `defaults`.
 */
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { ConfigFile, SendStep, UnreadKey } from '../model/ast.js';
import { stepKeys } from '../schema/journey-schema.js';
import { DEFAULTS_KEYS } from '../schema/config-schema.js';

type Policies = ReadonlyMap<string, unknown>;

const SEND_KEYS = stepKeys('send');

function standsForPolicy(u: UnreadKey, known: readonly string[], policies: Policies): boolean {
  return u.key.value === 'policy' || didYouMean(u.key.value, known) === 'policy' || (u.value !== undefined && policies.has(u.value.value));
}

/** The key in herald.yaml that stands for `defaults.policy`, when that could not be read. */
export function misreadDefaultPolicy(config: ConfigFile | undefined, policies: Policies): UnreadKey | undefined {
  if (!config || config.defaults.policy) return undefined;
  return config.defaults.unread.find((u) => standsForPolicy(u, DEFAULTS_KEYS, policies));
}

/** The key of a send step that stands for its `policy:`, when that could not be read. */
export function misreadStepPolicy(step: SendStep, policies: Policies): UnreadKey | undefined {
  if (step.policy) return undefined;
  return step.unreadKeys.find((u) => standsForPolicy(u, SEND_KEYS, policies));
}
