import type { Backoff, FailoverOn, Located, PolicyFile } from '../model/ast.js';
import { get, type YMap } from '../parse/yaml-tree.js';
import { asMap, duration, num, oneOf, sourceText, str } from './build-helpers.js';

export function buildPolicy(file: string, root: YMap): PolicyFile | undefined {
  const id = str(get(root, 'policy'));
  if (!id) return undefined;
  const channelsNode = get(root, 'channels');
  const channels = channelsNode?.kind === 'seq' ? channelsNode.items.map(str).filter((c): c is Located<string> => !!c) : [];
  const failover = asMap(get(root, 'failover'));
  const retry = asMap(get(root, 'retry'));
  const quiet = asMap(get(root, 'quietHours'));
  const cap = asMap(get(root, 'frequencyCap'));
  const dedupe = asMap(get(root, 'dedupe'));
  const onNode = failover && get(failover, 'on');
  const attempts = retry && num(get(retry, 'attempts'));
  const from = quiet && str(get(quiet, 'from'));
  const to = quiet && str(get(quiet, 'to'));
  const capMax = cap && num(get(cap, 'max'));
  const capPer = cap && duration(get(cap, 'per'));
  const key = dedupe && sourceText(get(dedupe, 'key'));
  const window = dedupe && duration(get(dedupe, 'window'));
  return {
    kind: 'policy',
    file,
    span: root.span,
    id,
    description: str(get(root, 'description'))?.value,
    category: str(get(root, 'category')),
    channels,
    order: sourceText(get(root, 'order')),
    failover: failover
      ? {
          on:
            onNode?.kind === 'seq'
              ? onNode.items.map((n) => oneOf<FailoverOn>(n, ['failed', 'bounced', 'timeout'])).filter((x): x is Located<FailoverOn> => !!x)
              : [],
          deliveryTimeout: duration(get(failover, 'deliveryTimeout')),
          span: failover.span,
        }
      : undefined,
    retry:
      retry && attempts
        ? {
            attempts,
            backoff: oneOf<Backoff>(get(retry, 'backoff'), ['fixed', 'linear', 'exponential']),
            initial: duration(get(retry, 'initial')),
            max: duration(get(retry, 'max')),
            span: retry.span,
          }
        : undefined,
    quietHours: quiet && from && to ? { from, to, timezone: sourceText(get(quiet, 'timezone')), span: quiet.span } : undefined,
    frequencyCap: cap && capMax && capPer ? { max: capMax, per: capPer, span: cap.span } : undefined,
    dedupe: dedupe && key && window ? { key, window, span: dedupe.span } : undefined,
  };
}
