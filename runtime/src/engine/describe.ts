/** Short human forms for history notes: ISO instants (durations: `formatDuration` from '@herald/dsl'). */

export function describeInstant(ms: number): string {
  return new Date(ms).toISOString();
}
