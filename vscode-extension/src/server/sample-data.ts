/**
 * Sample data for the template preview: a value for every name in a template's scope, typed
 * by that scope and chosen to read like one real message. Values the project itself decides
 * come from it (the journey's id, the default locale and time zone, the channel names); the
 * subject's id is the same wherever it appears (`subject.id`, the trigger field the journey
 * takes its subject from); everything else is guessed from the field's name.
 */
import type { Type } from '@herald/dsl';

export interface SampleFacts {
  /** The journey whose scope types the sample, if any. */
  readonly journeyId: string | undefined;
  /** Where the trigger event holds the subject's id (`['customer', 'id']` for `subject: event.customer.id`). */
  readonly subjectPath: readonly string[];
  readonly locale: string;
  readonly timezone: string;
  /** herald.yaml's channel names, in order. */
  readonly channels: readonly string[];
}

const SUBJECT_ID = 'CUST-1001';
const EVENT_ID = 'evt-1001';
const DATE = '2026-01-15T09:30:00.000Z';
const STARTED = '2026-01-16T08:00:00.000Z';
/** What a graph version looks like (`sha256:` and the IR's content hash). */
const VERSION = 'sha256:4f1c9a0e7b2d5c8e3a6f9b1d4e7c0a3f6b9e2d5c8a1f4e7b0d3c6a9f2e5b8d1c';

const NAMED_STRINGS: readonly [RegExp, string][] = [
  [/e-?mail/i, 'ada@example.com'],
  [/phone|mobile|sms|whatsapp/i, '+44 20 7946 0000'],
  [/^name$|full.?name/i, 'Ada Lovelace'],
  [/first.?name/i, 'Ada'],
  [/last.?name|surname/i, 'Lovelace'],
  [/manager|owner|agent/i, 'Grace Hopper'],
  [/company|organi[sz]ation/i, 'Analytical Engines Ltd'],
  [/currency/i, 'EUR'],
  [/country/i, 'GB'],
  [/city/i, 'London'],
  [/post.?code|zip/i, 'SW1Y 4JH'],
  [/address|^letter$/i, '12 St James’s Square, London SW1Y 4JH'],
  [/segment|tier|plan/i, 'business'],
  [/url|link|href/i, 'https://example.com/'],
  [/reason/i, 'payment overdue'],
];

/** A value for every name of `scope`. */
export function sampleScope(scope: Readonly<Record<string, Type>>, facts: SampleFacts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(scope)) out[name] = sampleAt(type, [name], facts);
  return out;
}

function sampleAt(t: Type, path: readonly string[], facts: SampleFacts): unknown {
  const known = fromProject(t, path, facts);
  if (known !== undefined) return known;
  const name = path[path.length - 1]!;
  switch (t.kind) {
    case 'string':
      return stringNamed(name, path[path.length - 2]);
    case 'number':
      return /amount|total|price|balance|sum/i.test(name) ? 1250.5 : /days?|count|late|attempt/i.test(name) ? 14 : 42;
    case 'bool':
      return true;
    case 'null':
      return null;
    case 'timestamp':
      return DATE;
    case 'duration':
      return 86_400_000;
    case 'list':
      return path.length > 5 ? [] : [sampleAt(t.element, [...path.slice(0, -1), singular(name)], facts)];
    case 'map':
      return path.length > 5 ? {} : { [singular(name)]: sampleAt(t.value, [...path, singular(name)], facts) };
    case 'object': {
      const obj: Record<string, unknown> = {};
      if (path.length > 5) return obj;
      for (const [k, f] of Object.entries(t.fields)) obj[k] = sampleAt(f.type, [...path, k], facts);
      return obj;
    }
    case 'dyn':
      return `‹${path.join('.')}›`;
  }
}

/** Values the project decides, where the type allows them; undefined elsewhere. */
function fromProject(t: Type, path: readonly string[], facts: SampleFacts): unknown {
  const at = path.join('.');
  if (t.kind === 'string') {
    if (at === 'subject.id' || at === ['trigger', ...facts.subjectPath].join('.')) return SUBJECT_ID;
    if (at === 'journey.id') return facts.journeyId ?? 'journey';
    // The runtime names an instance after its journey and the event that started it (orchestrator/job-ids.ts).
    if (at === 'journey.instanceId') return `${facts.journeyId ?? 'journey'}:${EVENT_ID}`;
    if (at === 'journey.version') return VERSION;
    if (at === 'subject.locale') return facts.locale;
    if (at === 'subject.timezone') return facts.timezone;
  }
  if (t.kind === 'timestamp' && at === 'journey.startedAt') return STARTED;
  if (t.kind === 'list' && t.element.kind === 'string') {
    if (at === 'subject.channels') return [...facts.channels];
    if (at === 'subject.optOuts') return [];
  }
  if (t.kind === 'map' && t.value.kind === 'string' && at === 'subject.contacts' && facts.channels.length) {
    return Object.fromEntries(facts.channels.map((c) => [c, stringNamed(c, undefined)]));
  }
  return undefined;
}

function stringNamed(name: string, parent: string | undefined): string {
  const named = NAMED_STRINGS.find(([re]) => re.test(name))?.[1];
  if (named) return named;
  if (/^locale$|language/i.test(name)) return 'en';
  if (/time.?zone/i.test(name)) return 'Europe/London';
  if (/(subject|customer|user|account|client)Id$/i.test(name)) return SUBJECT_ID;
  if (/^eventId$/i.test(name)) return EVENT_ID;
  // `invoiceId` -> INV-1001; a bare `id` takes its object's name (`order.id` -> ORD-1001).
  const idOf = /^(.+?)(?:Id|_id|ID)$/.exec(name)?.[1] ?? (/^id$/i.test(name) ? parent : undefined);
  if (idOf !== undefined) return /^(subject|customer|user|account|client)$/i.test(idOf) ? SUBJECT_ID : `${idOf.slice(0, 3).toUpperCase()}-1001`;
  return name;
}

function singular(name: string): string {
  return name.replace(/ies$/, 'y').replace(/s$/, '');
}
