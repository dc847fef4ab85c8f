/** The delivery machine: one send through its channel policy. Pure: no I/O, no clock of its own. */
export { advanceDelivery, deliveryEnv, type DeliveryEnv } from './advance-delivery.js';
export { newDelivery, type SendEffect } from './new-delivery.js';
export { deliveryFacts, evaluatePolicyValues, type PolicyValues } from './evaluate-policy.js';
export { resolveChannelOrder } from './resolve-channel-order.js';
export { checkConsent, type ChannelSkip, type ConsentContext, type ConsentResult } from './check-consent.js';
export { inQuietHours, isValidTimeZone, localTimeOfDay, parseClock, quietHoursEnd, type QuietWindow } from './quiet-hours.js';
export { backoffDelay } from './backoff.js';
export type * from './types.js';
