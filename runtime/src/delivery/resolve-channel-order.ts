/**
 * The channel order of one delivery: the policy's channels, with those named by the policy's
 * evaluated `order` (typically `subject.channels`, the customer's preference) first, in that
 * order, then the rest in the policy's order. Names the policy does not list are ignored: a
 * preference can reorder the policy's channels, never add one.
 */
export function resolveChannelOrder(policyChannels: readonly string[], order: readonly string[] | null): string[] {
  if (order === null || order.length === 0) return [...policyChannels];
  const allowed = new Set(policyChannels);
  const first: string[] = [];
  for (const c of order) if (allowed.has(c) && !first.includes(c)) first.push(c);
  return [...first, ...policyChannels.filter((c) => !first.includes(c))];
}
