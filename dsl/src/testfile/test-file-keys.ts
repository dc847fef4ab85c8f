/**
 * Every key of the journey test format (docs/testing.md), with what it means: the keys the
 * reader allows in each mapping (anything else is `unknown-key`) and the documentation the
 * editor shows for them (completion, hover; test-file-schema.ts). One list, so a key the reader
 * takes cannot lack its documentation, and documentation cannot describe a key it refuses.
 */
export const TEST_FILE_KEYS = {
  file: {
    start: 'Where each test\'s virtual clock starts, ISO 8601 (`2026-03-02T09:00:00Z`). A bare date is midnight UTC, inside most quiet hours. Default: Monday 2026-01-05 10:00 UTC.',
    subjects: 'Subject profiles every test starts with, by subject id (the fields of `PUT /subjects/:id`).',
    fixtures: 'Data-source answers every test gets, by `source.query`: one answer, or a list tried in order (the first whose `args` match).',
    outcomes: 'How the test channels answer every test\'s sends, per channel: `delivered` (default), `accepted`, `failed`, `rejected`, `bounced`; or per address, `*` for the rest.',
    tests: 'The tests of this file (required).',
  },
  test: {
    name: 'Unique in the file: what `--filter` matches and the output shows (required).',
    start: 'Where this test\'s clock starts; overrides the file\'s.',
    subjects: 'Profiles merged over the file\'s, field by field per subject.',
    fixtures: 'Answers tried before the file\'s, for the same `source.query`.',
    outcomes: 'Channel answers that replace the file\'s, per channel.',
    steps: 'What the test does and checks, in order; it stops at the first failing step (required).',
  },
  step: {
    event: 'Ingest one event as `POST /events` would, at the current virtual time; then run what it makes due now.',
    events: 'Ingest several events one after another with nothing run in between (a batch, or a burst of posts); then run what they made due.',
    advance: 'Move the virtual clock: a duration (`7d`, `36h`, `1h30m`) or `{ to: <ISO time> }`; every timer due on the way fires in order.',
    subject: 'Change a subject\'s profile (its `id:` and the fields to merge), as `PUT /subjects/:id` does.',
    receipt: 'A provider\'s status callback for a message that awaits one (its channel answered `accepted`).',
    stop: 'Stop an active instance as an operator does (`POST /instances/:id/stop`): it exits, and its messages waiting to start or deferred are skipped.',
    expect: 'Check what was sent since the previous `expect`, where the instances are, and the archive.',
  },
  event: {
    type: 'The declared event type (required).',
    data: 'The event\'s fields, as the event type declares them.',
    id: 'The event id: a second event with the same id is a duplicate. Default: a new id.',
    rejected: 'The event must be refused with errors at these fields (`/amount`, `/type`): the test is about the refusal.',
  },
  receipt: {
    channel: 'The channel whose provider reports (required).',
    status: 'What the provider reports: `delivered`, `bounced` or `failed` (required).',
    subject: 'Which message: the subject it went to.',
    template: 'Which message: its template.',
    journey: 'Which message: the journey that sent it.',
    step: 'Which message: the send step it came from.',
    key: 'Which message: the `trigger.key` of the instance that sent it.',
    to: 'Which message: the address it went to.',
    reason: 'The provider\'s reason, for a bounce or a failure.',
  },
  stop: {
    journey: 'The journey of the instance to stop (required).',
    subject: 'Which instance: its subject, when the journey has several active.',
    key: 'Which instance: its `trigger.key` (`INV-1`).',
    reason: 'Why, as an operator gives it: it goes into the exit reason (`stopped by an operator: <reason>`). Default: `stopped in a test`.',
  },
  fixture: {
    args: 'The query\'s arguments this answer is for: every one given must be equal. Absent: any arguments.',
    returns: 'The answer, of the query\'s declared `returns:` type; `null` is "no record".',
    fail: 'The query fails with this reason instead of answering.',
    retryable: '`true`: the failure is retried as a source\'s retryable failure is (beside `fail:` only).',
  },
  expect: {
    sent: 'Messages sent since the previous `expect`: each must match a different one.',
    notSent: 'None of the messages sent since the previous `expect` may match any of these.',
    sentCount: 'Exactly this many messages were sent since the previous `expect` (`0`: none).',
    instance: 'An instance that must exist, and what must hold for it (status, step, variables, history).',
    noInstance: 'No instance of the journey (and subject, key) named may exist.',
    archive: 'Messages in the archive (all of the test so far), by their delivery status and decisions.',
  },
  message: {
    journey: 'The journey that sent it.',
    channel: 'The channel it went out on.',
    template: 'Its template.',
    step: 'The send step it came from.',
    subject: 'The subject it went to.',
    to: 'The address it went to: a text, or `{ equals | contains | matches | notContains: ... }`.',
    locale: 'The locale of the variant rendered.',
    content: 'Rendered fields by name (`subject`, `html`, `text`, `body`, ...): a text each, or `{ contains: ... }` and the other operators.',
    outcome: 'What the channel answered: `delivered`, `accepted`, `failed`, `rejected`, `bounced`.',
  },
  instance: {
    journey: 'The instance\'s journey.',
    subject: 'The instance\'s subject.',
    key: 'Its `trigger.key` (one journey per invoice: `INV-2`).',
    status: '`active`, `completed`, `exited` or `failed`.',
    at: 'The step it waits in; `null` once it ended.',
    exitReason: 'Why it ended (`exit:` reason); `null` while none.',
    vars: 'Variables that must have these values; others are not checked.',
    visited: 'Steps it went through (the branches taken).',
    notVisited: 'Steps it must not have gone through.',
    history: 'Texts its history notes must contain.',
  },
  noInstance: {
    journey: 'The journey that must have no such instance.',
    subject: 'The subject that must have no such instance.',
    key: 'The `trigger.key` that must have no such instance.',
  },
  archive: {
    journey: 'The journey that sent it.',
    template: 'Its template.',
    step: 'The send step it came from.',
    subject: 'The subject it went to.',
    status: 'The delivery\'s status: `delivered`, `failed`, `skipped`, `deferred`, `awaiting-receipt`, ...',
    history: 'Texts its decision history must contain ("quiet hours", "failover to sms").',
  },
} as const satisfies Record<string, Record<string, string>>;

export type TestFileMapping = keyof typeof TEST_FILE_KEYS;

/** The keys a mapping of the format allows, in their documented order. */
export function keysOf<M extends TestFileMapping>(mapping: M): readonly (keyof (typeof TEST_FILE_KEYS)[M] & string)[] {
  return Object.keys(TEST_FILE_KEYS[mapping]) as (keyof (typeof TEST_FILE_KEYS)[M] & string)[];
}
