/**
 * The "Try it:" lines `herald dev` prints: a curl that stores the sample subject, a curl that
 * posts the sample journey's trigger event (sample-journey.ts), and, at night, why the subject
 * lives elsewhere.
 *
 * At night in the subject's zone — inside the quiet hours of a policy that follows it — the
 * sample mail would wait for the morning and a first try would show nothing, so the sample
 * subject is moved to a zone where it is day, and a note says so.
 */
import type { GraphIR, SubjectInput } from '@herald/dsl';
import { audienceOfEvent } from '../engine/event-audience.js';
import { awakeZone, quietNow, sampleEvent, sampleSubjectFields, type QuietNow } from './dev-graph.js';
import type { DevSample } from './sample-from-tests.js';

export function tryItLines(apiUrl: string, ir: GraphIR, emailChannels: readonly string[], now: number, sample?: DevSample): string[] {
  const event = sample?.event ?? sampleEvent(ir, now);
  if (!event) return [];
  const lines = ['', 'Try it:'];
  const notes: string[] = [];
  const audience = audienceOfEvent(ir, { type: event.type, data: event.data as Record<string, unknown> });
  if (audience.kind === 'subject') {
    const id = audience.subjectId;
    const profile: Record<string, unknown> = sample?.subject
      ? withoutId(sample.subject)
      : { ...sampleSubjectFields(ir, now), contacts: sampleContacts(ir, id, emailChannels) };
    const zone = typeof profile['timezone'] === 'string' ? profile['timezone'] : ir.project.defaults.timezone;
    const quiet = quietNow(ir, now, zone);
    const awake = quiet.length > 0 ? awakeZone(ir, now) : undefined;
    if (awake) profile['timezone'] = awake;
    lines.push(`  curl -X PUT ${apiUrl}/subjects/${id} -H 'content-type: application/json' -d '${JSON.stringify(profile)}'`);
    notes.push(...quietNotes(quiet, awake));
  }
  lines.push(`  curl -X POST ${apiUrl}/events -H 'content-type: application/json' -d '${JSON.stringify(event)}'`);
  return [...lines, ...notes];
}

/** A fictional number: 555-0100 to 555-0199 are reserved for fiction in North America. */
export const SAMPLE_PHONE = '+15555550100';

/**
 * An address per channel that needs one: each email channel (the dev catcher shows what it
 * gets), and each `sms` channel the sample number, or an SMS-only project's sample would be
 * skipped for want of an address.
 */
function sampleContacts(ir: GraphIR, id: string, emailChannels: readonly string[]): Record<string, string> {
  const contacts: Record<string, string> = Object.fromEntries(emailChannels.map((ch) => [ch, `${id}@example.com`]));
  for (const [name, channel] of Object.entries(ir.channels)) if (channel.message === 'sms' && !(name in contacts)) contacts[name] = SAMPLE_PHONE;
  return contacts;
}

function withoutId({ id: _id, ...profile }: SubjectInput): Record<string, unknown> {
  return profile;
}

/** One note per quiet window (policies sharing one are named together). */
function quietNotes(quiet: readonly QuietNow[], awake: string | undefined): string[] {
  const windows = new Map<string, QuietNow[]>();
  for (const q of quiet) windows.set(`${q.from}-${q.to}`, [...(windows.get(`${q.from}-${q.to}`) ?? []), q]);
  return [...windows].map(([window, policies]) => {
    const { localTime, timezone, to } = policies[0]!;
    const names = `${policies.length > 1 ? 'policies' : 'policy'} ${policies.map((q) => q.policy).join(', ')}`;
    return (
      `  Note: it is ${localTime} in ${timezone}, inside the quiet hours (${window}) of ${names}: a subject there gets its messages at ${to}.` +
      (awake ? ` The subject above lives in ${awake}, where it is day.` : '')
    );
  });
}
