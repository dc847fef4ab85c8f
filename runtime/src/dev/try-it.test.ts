import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JourneyIR } from '@herald/dsl';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { awakeZone, quietNow } from './dev-graph.js';
import { sampleFromTests } from './sample-from-tests.js';
import { sampleJourney, sendsAtOnce } from './sample-journey.js';
import { tryItLines } from './try-it.js';

// The example's policies: quiet hours 21:00-08:00 in the subject's zone, Europe/Berlin by default.
const root = fileURLToPath(new URL('../../../examples/invoice-dunning', import.meta.url));
const ir = loadProjectGraph(root).ir!;
const NIGHT = Date.parse('2026-12-03T00:30:00Z'); // 01:30 in Berlin
const DAY = Date.parse('2026-12-03T12:00:00Z'); // 13:00 in Berlin
const put = (lines: string[]) => JSON.parse(/-d '(.*)'$/.exec(lines.find((l) => l.includes('curl -X PUT'))!)![1]!) as Record<string, unknown>;
const posted = (lines: string[]) => JSON.parse(/-d '(.*)'$/.exec(lines.find((l) => l.includes('curl -X POST'))!)![1]!) as Record<string, unknown>;

describe('herald dev: the sample it prints', () => {
  it('finds the quiet hours that hold a subject now, and a zone where it is day', () => {
    expect(quietNow(ir, DAY)).toEqual([]);
    expect(quietNow(ir, NIGHT).map((q) => [q.policy, q.from, q.to, q.timezone, q.localTime])).toEqual([
      ['dunning', '21:00', '08:00', 'Europe/Berlin', '01:30'],
      ['dunning-urgent', '21:00', '08:00', 'Europe/Berlin', '01:30'],
    ]);
    expect(quietNow(ir, NIGHT, 'Asia/Tokyo')).toEqual([]); // 09:30 there
    // 11:30 in Sydney (UTC+11 in December): the zone of the list closest to noon.
    expect(awakeZone(ir, NIGHT)).toBe('Australia/Sydney');
    expect(awakeZone(ir, DAY)).toBe('Europe/London');
  });

  it('takes the event and its subject from the project journey tests, the first in file order', () => {
    const sample = sampleFromTests(root, ir);
    expect(sample?.event).toEqual({
      type: 'invoice.overdue',
      data: { subjectId: 'c-100', invoiceId: 'INV-30', amount: 50, currency: 'EUR', dueDate: '2026-01-01T00:00:00Z' },
    });
    // That test opts c-100 out of email (to show the sms failover): the sample keeps the rest.
    expect(sample?.subject).toEqual({
      id: 'c-100',
      name: 'Ada Lovelace',
      contacts: { email: 'ada@example.com', sms: '+4915100000100', letter: '1 Analytical St, London' },
      channels: ['email', 'sms', 'letter'],
      timezone: 'Europe/Berlin',
    });

    const day = tryItLines('http://h', ir, ['email'], DAY, sample);
    expect(day.find((l) => l.includes('PUT'))).toContain('http://h/subjects/c-100 ');
    expect(put(day)).toEqual({
      name: 'Ada Lovelace',
      contacts: { email: 'ada@example.com', sms: '+4915100000100', letter: '1 Analytical St, London' },
      channels: ['email', 'sms', 'letter'],
      timezone: 'Europe/Berlin',
    });
    expect(posted(day)).toEqual(sample!.event);
    expect(day.some((l) => l.includes('Note'))).toBe(false);
  });

  it('at night moves the sample subject where it is day, and says why', () => {
    const sample = sampleFromTests(root, ir);
    const night = tryItLines('http://h', ir, ['email'], NIGHT, sample);
    expect(put(night)['timezone']).toBe('Australia/Sydney');
    expect(night.at(-1)).toBe(
      '  Note: it is 01:30 in Europe/Berlin, inside the quiet hours (21:00-08:00) of policies dunning, dunning-urgent: a subject there gets its messages at 08:00. The subject above lives in Australia/Sydney, where it is day.',
    );
  });

  it('without journey tests makes the sample up from the event type, a subject with its required fields and an address per email channel', () => {
    const made = tryItLines('http://h', ir, ['email'], DAY);
    // `name` (subject.fields) and `segment` (what subject.source returns) are required; `accountManager` is optional.
    expect(put(made)).toEqual({ name: 'name', segment: 'segment', contacts: { email: 'subject-1@example.com' } });
    expect(posted(made)).toMatchObject({ type: 'invoice.overdue', data: { subjectId: 'subject-1', amount: 100 } });
    expect(put(tryItLines('http://h', ir, ['email'], NIGHT))).toEqual({
      name: 'name',
      segment: 'segment',
      contacts: { email: 'subject-1@example.com' },
      timezone: 'Australia/Sydney',
    });
  });

  it('gives an sms channel a sample number, so an SMS-only project does not skip its sample for want of an address', () => {
    const withSms = { ...ir, channels: { ...ir.channels, texts: { use: '@herald/channel-sms', message: 'sms', config: {} } } };
    expect(put(tryItLines('http://h', withSms, ['email'], DAY))['contacts']).toEqual({ email: 'subject-1@example.com', texts: '+15555550100' });
  });

  it('triggers a journey that sends at once rather than the first, which begins by batching for an hour', () => {
    const overdue = ir.journeys[0]!;
    const digest: JourneyIR = {
      ...overdue,
      id: 'a-digest',
      trigger: { ...overdue.trigger, event: 'invoice.paid' },
      entry: 'collect',
      nodes: [
        { id: 'collect', kind: 'batch', event: 'invoice.paid', match: null, windowMs: 3_600_000, max: null, as: 'paid', next: 'tell', span: overdue.nodes[0]!.span },
        { ...overdue.nodes[0]!, id: 'tell', next: null } as JourneyIR['nodes'][number],
      ],
    };
    expect(sendsAtOnce(digest)).toBe(false);
    expect(sendsAtOnce(overdue)).toBe(true);
    const both = { ...ir, journeys: [digest, overdue] };
    expect(sampleJourney(both)?.id).toBe('invoice-overdue');
    expect(posted(tryItLines('http://h', both, ['email'], DAY))['type']).toBe('invoice.overdue');
    expect(sampleFromTests(root, both)?.event.type).toBe('invoice.overdue');
    // None sends at once: the first.
    expect(sampleJourney({ ...ir, journeys: [digest] })?.id).toBe('a-digest');
  });

  it('counts a send behind a split or a branch arm, not one behind a wait', () => {
    const onboarding = loadProjectGraph(fileURLToPath(new URL('../../../examples/onboarding', import.meta.url))).ir!;
    expect(onboarding.journeys[0]!.nodes.find((n) => n.id === onboarding.journeys[0]!.entry)?.kind).toBe('split');
    expect(sendsAtOnce(onboarding.journeys[0]!)).toBe(true);
  });
});
