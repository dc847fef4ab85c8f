/**
 * A message a provider accepted (`accepted`: it will report the outcome later) under a policy
 * without `failover.deliveryTimeout` is ended by the provider's receipt alone. A channel whose
 * provider is never told where to send its status callbacks (Twilio without `statusCallback`,
 * say) never sends one, so such messages wait for ever: no failover, no `timeout`, and only
 * retention removes them. Nothing in the project files says which channels answer `accepted`, so
 * the runtime says it the first time it happens, once per policy and channel.
 */
import type { PluginLogger } from '@herald/plugin-sdk';
import type { PolicyIR } from '@herald/dsl';
import type { Delivery } from '../delivery/types.js';

/** `policyOf`: the delivery's policy in its own graph version (undefined when that version is not loaded). */
export function createUnsettledWarning(log: PluginLogger, policyOf: (delivery: Delivery) => PolicyIR | undefined): (delivery: Delivery) => void {
  const said = new Set<string>();
  return (delivery) => {
    if (delivery.status !== 'awaiting-receipt' || delivery.timerId !== null) return;
    const channel = delivery.channels[delivery.channelIndex] ?? '?';
    const key = JSON.stringify([delivery.policy, channel]);
    if (said.has(key)) return;
    const policy = policyOf(delivery);
    if (policy === undefined || policy.failover.deliveryTimeoutMs !== null) return;
    said.add(key);
    log.warn(
      `policy ${delivery.policy}: ${channel} accepted message ${delivery.id} and will report its outcome later, but the policy has no ` +
        `failover.deliveryTimeout: only the provider's status callback ends such a message. Without one it waits until retention ` +
        `removes it, with no failover. Add a timeout to the policy (failover: { on: [failed, bounced, timeout], deliveryTimeout: 48h }) ` +
        `and check the channel's callback settings (docs/plugins.md, "Provider callbacks"). Said once per policy and channel.`,
    );
  };
}
