/**
 * `unused-policy` (info): no send step names the policy and it is not `defaults.policy`, so
 * nothing sends with it. Only a note: a project may keep a policy for journeys still to come.
 * Its expressions are still checked (those that read no journey's names; see check-sites.ts).
 *
 * Not reported while a journey file that names the policy could not be built in full: its
 * sends are not known, and the note would be wrong the moment the file is fixed. Nor for the
 * policy a misspelt default names (`defaults: { polciy: p }`, see misread-policy.ts): the
 * misspelling is the mistake, reported where it is written. (A misspelt `policy:` in a step is
 * an error in its journey file, which the first rule covers.) Nor while herald.yaml itself could
 * not be built (a YAML error) for a policy its text names: that is most likely its `defaults.policy`,
 * which is not known until the file is fixed.
 */
import { misreadDefaultPolicy } from '../misread-policy.js';
import type { LinkRule } from '../link-context.js';
import { mayBeNamedByUnbuiltConfig, mayBeNamedByUnbuiltJourney } from '../symbols.js';

export const unusedPolicies: LinkRule = ({ model, symbols, report }) => {
  const used = new Set<string>();
  const defaultPolicy = model.config?.defaults.policy?.value;
  if (defaultPolicy !== undefined) used.add(defaultPolicy);
  const misread = misreadDefaultPolicy(model.config, symbols.policies)?.value;
  if (misread) used.add(misread.value);
  for (const j of model.journeys) for (const s of j.steps) if (s.kind === 'send' && s.policy) used.add(s.policy.value);
  for (const p of model.policies) {
    if (used.has(p.id.value) || symbols.policies.get(p.id.value) !== p) continue; // a duplicate id is reported as such
    if (mayBeNamedByUnbuiltJourney(model, p.id.value) || mayBeNamedByUnbuiltConfig(model, p.id.value)) continue;
    report({
      code: 'unused-policy',
      message: `no journey sends with policy \`${p.id.value}\`, and it is not \`defaults.policy\``,
      span: p.id.span,
      hint: `name it in a send step (\`policy: ${p.id.value}\`) or as \`defaults.policy\` in herald.yaml, or remove the file`,
    });
  }
};
