/**
 * The sample `herald dev` prints, taken from the project's own journey tests when they have
 * one: the first accepted event of the trigger type, with the subject profile the test gives
 * that event's subject. Real values (an amount, a currency, a subject the project's CRM
 * fixture knows) make a better first try than values made up from the event's types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphIR, SubjectInput } from '@herald/dsl';
import { audienceOfEvent } from '../engine/event-audience.js';
import { readTestFile } from '../testing/read-test-file.js';
import { findTestFiles } from '../testing/run-test-files.js';
import { sampleJourney } from './sample-journey.js';

export interface DevSample {
  readonly event: { readonly type: string; readonly data: Readonly<Record<string, unknown>> };
  /** The profile the test gives the event's subject, when it gives one, without its opt-outs. */
  readonly subject?: SubjectInput;
}

/** The first test event of the sample journey's trigger type (sample-journey.ts), with its subject's profile. */
export function sampleFromTests(root: string, ir: GraphIR): DevSample | undefined {
  const type = sampleJourney(ir)?.trigger.event;
  if (type === undefined) return undefined;
  for (const file of findTestFiles(root)) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    // A test file with problems is `herald test`'s to report; the sample only skips it.
    const { tests, problems } = readTestFile(file, text, ir);
    if (problems.length > 0) continue;
    for (const test of tests) {
      const posted = test.steps.flatMap((s) => (s.kind === 'event' ? (s.rejected === undefined ? [s] : []) : s.kind === 'events' ? s.events : []));
      const step = posted.find((s) => s.type === type);
      if (step === undefined) continue;
      const audience = audienceOfEvent(ir, step);
      const found = audience.kind === 'subject' ? test.subjects.find((s) => s.id === audience.subjectId) : undefined;
      // A test may opt its subject out to exercise a failover; the sample is there to show mail.
      const subject = found ? (({ optOuts: _optOuts, ...rest }) => rest as SubjectInput)(found) : undefined;
      return { event: { type, data: step.data }, ...(subject ? { subject } : {}) };
    }
  }
  return undefined;
}
