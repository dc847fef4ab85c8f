/**
 * `missing-variant`: a send step's policy may deliver on any of its channels, so the
 * template must have a variant of each channel's message kind (in some locale).
 * A channel of kind `any` (a log channel) takes any variant; a channel whose plugin
 * manifest is unknown is skipped (rule-plugin-config reports the plugin).
 */
import type { LinkRule } from '../link-context.js';
import { channelMessageKind } from '../symbols.js';

export const templateVariants: LinkRule = ({ model, symbols, report }) => {
  for (const j of model.journeys) {
    const seen = new Set<string>();
    for (const step of j.steps) {
      if (step.kind !== 'send') continue;
      const template = symbols.templates.get(step.template.value);
      const policyName = step.policy?.value ?? model.config?.defaults.policy?.value;
      const policy = policyName === undefined ? undefined : symbols.policies.get(policyName);
      if (!template || !policy) continue; // unknown-template / unknown-policy / missing-policy
      for (const channelRef of policy.channels) {
        const channel = symbols.channels.get(channelRef.value);
        const kind = channel && channelMessageKind(model, channel);
        if (kind === undefined) continue;
        const covered = kind === 'any' ? template.variants.length > 0 : template.variants.some((v) => v.channel.value === kind);
        if (covered) continue;
        const once = `${template.id.value}\0${policy.id.value}\0${channelRef.value}`;
        if (seen.has(once)) continue;
        seen.add(once);
        const t = `\`${template.id.value}\``;
        const p = `\`${policy.id.value}\``;
        const c = `\`${channelRef.value}\``;
        report({
          code: 'missing-variant',
          message:
            kind === 'any'
              ? `template ${t} has no variants at all, but policy ${p} can send on channel ${c}`
              : `template ${t} has no \`${kind}\` variant, but policy ${p} can send on channel ${c}`,
          span: step.template.span,
          hint:
            kind === 'any'
              ? `add a variant to template ${t}, or remove ${c} from policy ${p}`
              : `add \`${kind}:\` with a variant per locale to template ${t}, or remove ${c} from policy ${p}`,
          related: [{ span: channelRef.span, message: `policy ${p} lists channel ${c} (\`${kind}\` messages) here` }],
        });
      }
    }
  }
};
