/**
 * What `herald dev` changes in a project's graph before running it, and the sample it prints.
 *
 * Every channel using `@herald/channel-email` is pointed at the dev mail catcher: host and
 * port replaced, TLS and auth dropped. So `herald dev` never mails a real address, whatever
 * herald.yaml says, and needs none of the SMTP secrets. Other channels run as configured.
 */
import { BUILTIN_SUBJECT_FIELDS, DEFAULT_TIMEZONE_EXPR, type GraphIR, type Type } from '@herald/dsl';
import { formatClock, inQuietHours, localTimeOfDay } from '../delivery/quiet-hours.js';
import { sampleJourney } from './sample-journey.js';

export const EMAIL_PLUGIN = '@herald/channel-email';

export function pointEmailAtCatcher(ir: GraphIR, host: string, port: number): GraphIR {
  const channels = Object.fromEntries(
    Object.entries(ir.channels).map(([name, ch]) => {
      if (ch.use !== EMAIL_PLUGIN) return [name, ch];
      const { auth: _auth, secure: _secure, requireTLS: _tls, pool: _pool, ...rest } = (ch.config ?? {}) as Record<string, unknown>;
      return [name, { ...ch, config: { ...rest, host, port, secure: false, requireTLS: false } }];
    }),
  );
  return { ...ir, channels };
}

export function emailChannelsOf(ir: GraphIR): string[] {
  return Object.entries(ir.channels)
    .filter(([, ch]) => ch.use === EMAIL_PLUGIN)
    .map(([name]) => name);
}

/** A value of the type, for a sample event: strings say what they are, timestamps are now. */
export function sampleValue(type: Type, name: string, now: number): unknown {
  switch (type.kind) {
    case 'string':
      return /id$/i.test(name) ? `${name.replace(/id$/i, '').toLowerCase() || 'x'}-1` : name;
    case 'number':
    case 'duration':
      return 100;
    case 'bool':
      return true;
    case 'null':
      return null;
    case 'timestamp':
      return new Date(now).toISOString();
    case 'list':
      return [sampleValue(type.element, name, now)];
    case 'map':
      return {};
    case 'object':
      return Object.fromEntries(
        Object.entries(type.fields)
          .filter(([, f]) => !f.optional)
          .map(([k, f]) => [k, sampleValue(f.type, k, now)]),
      );
    case 'dyn':
      return name;
  }
}

/** The trigger event of the sample journey (sample-journey.ts), with sample data: what the printed curl posts. */
export function sampleEvent(ir: GraphIR, now: number): { type: string; data: unknown } | undefined {
  const type = sampleJourney(ir)?.trigger.event ?? Object.keys(ir.events)[0];
  if (type === undefined || !ir.events[type]) return undefined;
  return { type, data: sampleValue(ir.events[type].type, 'data', now) };
}

/**
 * Values for the subject fields a made-up sample subject must have: those the project declares
 * (or its `subject.source` returns) and does not mark optional. A profile without them renders
 * templates that read them as nothing, or fails them; the built-in fields have defaults.
 */
export function sampleSubjectFields(ir: GraphIR, now: number): Record<string, unknown> {
  const type = ir.subject.type;
  if (type.kind !== 'object') return {};
  return Object.fromEntries(
    Object.entries(type.fields)
      .filter(([name, f]) => !f.optional && !Object.hasOwn(BUILTIN_SUBJECT_FIELDS, name))
      .map(([name, f]) => [name, sampleValue(f.type, name, now)]),
  );
}

/** A policy whose quiet hours follow the subject's time zone, and hold messages back right now there. */
export interface QuietNow {
  readonly policy: string;
  readonly from: string;
  readonly to: string;
  /** The subject's zone (the project's default for a subject that gives none). */
  readonly timezone: string;
  /** `HH:MM` there now. */
  readonly localTime: string;
}

/** Zones with a city name people know, spread around the globe, for the sample subject. */
const SAMPLE_ZONES = [
  'Europe/London',
  'Europe/Berlin',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Pacific/Honolulu',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
] as const;

const NOON = 12 * 3_600_000;

const subjectZoned = (ir: GraphIR) =>
  Object.values(ir.policies).filter((p) => p.quietHours !== null && p.quietHours.timezone.trim() === DEFAULT_TIMEZONE_EXPR);

/**
 * The quiet hours that would hold the sample's message right now for a subject in `timezone`:
 * what `herald dev` warns about, since a new user trying the example at night would otherwise
 * see no mail and no reason.
 */
export function quietNow(ir: GraphIR, now: number, timezone = ir.project.defaults.timezone): QuietNow[] {
  const localTime = formatClock(localTimeOfDay(now, timezone));
  return subjectZoned(ir)
    .filter((p) => inQuietHours(now, p.quietHours!, timezone))
    .map((p) => ({ policy: p.id, from: p.quietHours!.from, to: p.quietHours!.to, timezone, localTime }));
}

/** A zone where it is closest to noon now, outside every subject-zoned quiet hours: where the sample subject lives. */
export function awakeZone(ir: GraphIR, now: number): string | undefined {
  const policies = subjectZoned(ir);
  const distance = (zone: string) => Math.abs(localTimeOfDay(now, zone) - NOON);
  return SAMPLE_ZONES.filter((zone) => policies.every((p) => !inQuietHours(now, p.quietHours!, zone))).sort((a, b) => distance(a) - distance(b))[0];
}
