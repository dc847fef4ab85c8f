/**
 * `unknown-policy`: a send step's `policy:` or `defaults.policy` names no policy.
 * `missing-policy`: a send step has no policy and there is no default to fall back on. Not
 * reported where the policy is written in a way that could not be read (a misspelt `polciy:`
 * under `defaults` or in the step, see misread-policy.ts): that mistake is reported, there.
 */
import { misreadDefaultPolicy, misreadStepPolicy } from '../misread-policy.js';
import type { LinkRule } from '../link-context.js';
import { stepLabel } from './describe-step.js';
import { unknownName } from './unknown-name.js';

export const policyReferences: LinkRule = ({ model, symbols, report }) => {
  const otherwise = (name: string) => `no policy file says \`policy: ${name}\`; create \`${name}.policy.yaml\` or fix the name`;
  const defaultPolicy = model.config?.defaults.policy;
  if (defaultPolicy && !symbols.policies.has(defaultPolicy.value)) {
    report(
      unknownName('unknown-policy', defaultPolicy, `unknown default policy \`${defaultPolicy.value}\``, symbols.policies.keys(), otherwise(defaultPolicy.value)),
    );
  }
  const misread = misreadDefaultPolicy(model.config, symbols.policies);
  for (const j of model.journeys) {
    for (const step of j.steps) {
      if (step.kind !== 'send') continue;
      if (step.policy) {
        if (!symbols.policies.has(step.policy.value)) {
          report(unknownName('unknown-policy', step.policy, `unknown policy \`${step.policy.value}\``, symbols.policies.keys(), otherwise(step.policy.value)));
        }
      } else if (!defaultPolicy && model.config && !misread && !misreadStepPolicy(step, symbols.policies)) {
        // Without herald.yaml, `missing-project-file` already says what to do.
        const known = [...symbols.policies.keys()];
        report({
          code: 'missing-policy',
          message: `${stepLabel(step)} sends without a policy, and herald.yaml sets no \`defaults.policy\``,
          span: step.kindSpan,
          hint:
            `add \`policy: <name>\` to the step, or \`defaults: { policy: <name> }\` to herald.yaml` +
            (known.length ? `; policies: ${known.map((k) => `\`${k}\``).join(', ')}` : ''),
        });
      }
    }
  }
};
