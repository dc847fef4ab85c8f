/**
 * `key-without-effect`: a trigger `key:` only scopes the reentry rule, and `reentry: always`
 * has nothing to scope: any number of instances start, whatever their key. Whoever wrote both
 * most likely meant `after-exit` (one live instance per key) or `never` (one per key, ever).
 */
import type { LinkRule } from '../link-context.js';

export const keysWithoutEffect: LinkRule = ({ model, report }) => {
  for (const j of model.journeys) {
    const { key, reentry } = j.trigger;
    if (!key || reentry?.value !== 'always') continue;
    report({
      code: 'key-without-effect',
      message: `the trigger's \`key\` has no effect with \`reentry: always\`: journey \`${j.id.value}\` starts for every event`,
      span: key.span,
      hint: 'write `reentry: after-exit` for one live instance per key, or `reentry: never` for one per key ever; or drop the `key`',
      related: [{ span: reentry.span, message: '`reentry: always` is here' }],
    });
  }
};
