import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { curlLines } from '../cli/commands/dev.js';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { awakeZone, quietNow } from './dev-graph.js';

// The example's policies: quiet hours 21:00-08:00 in the subject's zone, Europe/Berlin by default.
const { ir } = loadProjectGraph(fileURLToPath(new URL('../../../examples/invoice-dunning', import.meta.url)));
const NIGHT = Date.parse('2026-12-03T00:30:00Z'); // 01:30 in Berlin
const DAY = Date.parse('2026-12-03T12:00:00Z'); // 13:00 in Berlin

describe('herald dev: the sample at night', () => {
  it('finds the quiet hours that hold a default-zone subject now, and a zone where it is day', () => {
    expect(quietNow(ir!, DAY)).toEqual([]);
    expect(quietNow(ir!, NIGHT).map((q) => [q.policy, q.from, q.to, q.timezone, q.localTime])).toEqual([
      ['dunning', '21:00', '08:00', 'Europe/Berlin', '01:30'],
      ['dunning-urgent', '21:00', '08:00', 'Europe/Berlin', '01:30'],
    ]);
    // 11:30 in Sydney (UTC+11 in December): the zone of the list closest to noon.
    expect(awakeZone(ir!, NIGHT)).toBe('Australia/Sydney');
    expect(awakeZone(ir!, DAY)).toBe('Europe/London');
  });

  it('puts the sample subject where it is day, and says why, only when the default zone is quiet', () => {
    const night = curlLines('http://h', ir!, ['email'], NIGHT);
    expect(night.find((l) => l.includes('PUT'))).toContain('"timezone":"Australia/Sydney"');
    expect(night.at(-1)).toBe(
      '  Note: it is 01:30 in Europe/Berlin, inside the quiet hours (21:00-08:00) of policies dunning, dunning-urgent: a subject there gets its messages at 08:00. The subject above lives in Australia/Sydney, where it is day.',
    );
    const day = curlLines('http://h', ir!, ['email'], DAY);
    expect(day.find((l) => l.includes('PUT'))).not.toContain('timezone');
    expect(day.some((l) => l.includes('Note'))).toBe(false);
  });
});
