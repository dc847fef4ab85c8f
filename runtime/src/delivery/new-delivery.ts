/** A delivery for one `send` effect, before its policy has decided anything (status `pending`). */
import type { PolicyIR } from '@herald/dsl';
import type { Effect } from '../engine/types.js';
import type { Delivery } from './types.js';

export type SendEffect = Extract<Effect, { kind: 'send' }>;

export function newDelivery(send: SendEffect, policy: PolicyIR, now: number): Delivery {
  return {
    id: send.sendId,
    instanceId: send.instanceId,
    journey: send.journey,
    version: send.version,
    node: send.node,
    subjectId: send.subjectId,
    template: send.template,
    policy: send.policy,
    category: policy.category,
    vars: send.vars,
    status: 'pending',
    channels: [],
    channelIndex: 0,
    attempt: 0,
    timerId: null,
    providerMessageId: null,
    createdAt: now,
    updatedAt: now,
    history: [],
  };
}
