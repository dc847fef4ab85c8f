import { describe, expect, it } from 'vitest';
import { FocusTimings } from './focus-timings.js';

describe('focus check timings', () => {
  it('leaves out the first, cold check of a file', () => {
    const t = new FocusTimings();
    t.record('a.journey.yaml', 900);
    expect(t.typical('a.journey.yaml')).toBeUndefined();
    t.record('a.journey.yaml', 8);
    expect(t.typical('a.journey.yaml')).toBe(8);
  });

  it('takes a file for slow only when most of its recent checks were', () => {
    const t = new FocusTimings();
    for (const ms of [900, 8, 9, 400, 7]) t.record('a', ms);
    expect(t.typical('a')).toBe(8);
    for (const ms of [300, 320, 310]) t.record('a', ms);
    expect(t.typical('a')).toBeGreaterThan(300);
  });

  it('starts again for a file it forgot', () => {
    const t = new FocusTimings();
    t.record('a', 900);
    t.record('a', 500);
    t.forget('a');
    t.record('a', 900);
    expect(t.typical('a')).toBeUndefined();
  });
});
