/**
 * The subject as expressions see it: a stored profile (or none yet) completed with the
 * project's defaults, so `subject.timezone`, `subject.contacts.email` or `subject.channels`
 * never fail just because a profile is new or partial.
 */
import type { GraphIR } from '@herald/dsl';
import type { SubjectProfile } from './types.js';

export function subjectWithDefaults(ir: GraphIR, id: string, stored?: Partial<SubjectProfile>): SubjectProfile {
  return {
    ...stored,
    id,
    locale: stored?.locale ?? ir.project.defaults.locale,
    timezone: stored?.timezone ?? ir.project.defaults.timezone,
    contacts: stored?.contacts ?? {},
    channels: stored?.channels ?? [],
    optOuts: stored?.optOuts ?? [],
  };
}
