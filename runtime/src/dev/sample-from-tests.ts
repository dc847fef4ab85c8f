/**
 * The sample `herald dev` prints, taken from the project's own journey tests when they have
 * one: the first accepted event of the trigger type, with the subject profile the test gives
 * that event's subject. Real values (an amount, a currency, a subject the project's CRM
 * fixture knows) make a better first try than values made up from the event's types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SubjectInput } from '../testing/journey-test.js';
import { readTestFile } from '../testing/read-test-file.js';
import { findTestFiles } from '../testing/run-test-files.js';

export interface DevSample {
  readonly event: { readonly type: string; readonly data: Readonly<Record<string, unknown>> };
  /** The profile the test gives the event's subject, when it gives one, without its opt-outs. */
  readonly subject?: SubjectInput;
}

/** `subjectField`: the event field that holds the subject id (`subjectId`), if the trigger names one. */
export function sampleFromTests(root: string, type: string, subjectField: string | undefined): DevSample | undefined {
  for (const file of findTestFiles(root)) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    // A test file with problems is `herald test`'s to report; the sample only skips it.
    const { tests, problems } = readTestFile(file, text);
    if (problems.length > 0) continue;
    for (const test of tests) {
      const step = test.steps.find((s) => s.kind === 'event' && s.type === type && s.rejected === undefined);
      if (step?.kind !== 'event') continue;
      const subjectId = subjectField === undefined ? undefined : step.data[subjectField];
      const found = test.subjects.find((s) => s.id === subjectId);
      // A test may opt its subject out to exercise a failover; the sample is there to show mail.
      const subject = found ? (({ optOuts: _optOuts, ...rest }) => rest as SubjectInput)(found) : undefined;
      return { event: { type, data: step.data }, ...(subject ? { subject } : {}) };
    }
  }
  return undefined;
}
