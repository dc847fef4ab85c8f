/** `unknown-channel`: a policy lists a channel herald.yaml does not declare under `channels:`. */
import type { LinkRule } from '../link-context.js';
import { unknownName } from './unknown-name.js';

export const unknownChannels: LinkRule = ({ model, symbols, report }) => {
  if (!model.config) return; // `missing-project-file` covers it
  for (const p of model.policies) {
    for (const c of p.channels) {
      if (symbols.channels.has(c.value)) continue;
      report(
        unknownName(
          'unknown-channel',
          c,
          `policy \`${p.id.value}\` lists unknown channel \`${c.value}\``,
          symbols.channels.keys(),
          `declare it under \`channels:\` in herald.yaml with the plugin it \`use:\`s`,
        ),
      );
    }
  }
};
