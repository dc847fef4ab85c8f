/**
 * A `HeraldRuntime` made of maps, for testing the edges (HTTP API, CLI) without an
 * orchestrator: events are validated as the real runtime validates them (against the
 * graph's `events`) and recorded; nothing runs.
 * Journey behaviour is tested with the real orchestrator (`herald test`, testing/run-journey-tests.ts).
 */
import type { GraphIR } from '@herald/dsl';
import type { ArchiveQuery, ArchivedMessage } from '../driver/driver.js';
import { mergeSubject } from '../driver/embedded/merge-subject.js';
import type { Instance, SubjectProfile } from '../engine/types.js';
import { createEventValidator } from '../orchestrator/validate-event.js';
import type { ProviderCallback } from '@herald/plugin-sdk';
import type { CallbackOutcome, EventInput, HeraldRuntime, IngestResult } from '../runtime-api.js';

export interface FakeRuntimeOptions {
  /** Declares the events `ingest` accepts. */
  readonly graph?: GraphIR;
  readonly instances?: readonly Instance[];
  readonly archive?: readonly ArchivedMessage[];
  readonly subjects?: readonly SubjectProfile[];
  /** providerMessageIds `receipt` knows. */
  readonly providerMessageIds?: readonly string[];
  readonly healthy?: boolean;
  /** What `providerCallback` answers; default `unsupported` (as for a plugin without `readCallback`). */
  readonly callbackOutcome?: CallbackOutcome;
}

export interface FakeRuntime extends HeraldRuntime {
  readonly ingested: EventInput[];
  /** Types given to countRejected. */
  readonly rejected: unknown[];
  readonly optOuts: { subjectId: string; entry: string }[];
  readonly receipts: { providerMessageId: string; outcome: string; reason?: string }[];
  readonly archiveQueries: ArchiveQuery[];
  readonly callbacks: { channel: string; callback: ProviderCallback }[];
  stopped: boolean;
  /** Makes `stop()` wait for this promise (to test draining). */
  stopGate?: Promise<void>;
}

export const EMPTY_GRAPH: GraphIR = {
  format: 'herald.ir/v1',
  version: 'sha256:fake',
  project: { name: 'fake', defaults: { locale: 'en', timezone: 'UTC', policy: null }, subjectSource: null, archive: { retentionMs: null, redact: [] } },
  events: {},
  subject: { type: { kind: 'dyn' } },
  channels: {},
  sources: {},
  journeys: [],
  templates: {},
  policies: {},
};

export function createFakeRuntime(options: FakeRuntimeOptions = {}): FakeRuntime {
  const seen = new Set<string>();
  const subjects = new Map((options.subjects ?? []).map((s) => [s.id, s]));
  const known = new Set(options.providerMessageIds ?? []);
  let counter = 0;
  const graph = options.graph ?? EMPTY_GRAPH;
  const validate = createEventValidator(graph);
  const fake: FakeRuntime = {
    graph,
    ingested: [],
    rejected: [],
    optOuts: [],
    receipts: [],
    callbacks: [],
    archiveQueries: [],
    stopped: false,
    async ingest(event): Promise<IngestResult> {
      const errors = validate(event.type, event.data);
      if (errors.length > 0) return { ok: false, errors };
      const eventId = event.id ?? `evt-${++counter}`;
      const duplicate = seen.has(eventId);
      seen.add(eventId);
      if (!duplicate) fake.ingested.push(event);
      return { ok: true, eventId, duplicate };
    },
    getInstance: async (id) => options.instances?.find((i) => i.id === id),
    async stopInstance(id, reason) {
      const instance = options.instances?.find((i) => i.id === id);
      if (!instance) return { kind: 'not-found' };
      if (instance.status !== 'active') return { kind: 'ended', instance };
      const why = `stopped by an operator${reason === '' ? '' : `: ${reason}`}`;
      return { kind: 'stopped', instance: { ...instance, status: 'exited', at: null, waiting: null, exitReason: why }, cancelled: [] };
    },
    findInstances: async (q) =>
      (options.instances ?? [])
        .filter(
          (i) =>
            (q.journey === undefined || i.journey === q.journey) &&
            (q.subjectId === undefined || i.subjectId === q.subjectId) &&
            (q.status === undefined || i.status === q.status),
        )
        .slice(0, q.limit ?? Infinity),
    async putSubject(profile) {
      // The drivers' own merge, so the fake answers as a real runtime would.
      const merged = mergeSubject(subjects.get(profile.id), profile);
      subjects.set(profile.id, merged);
      return merged;
    },
    getSubject: async (id) => subjects.get(id),
    async optOut(subjectId, entry) {
      fake.optOuts.push({ subjectId, entry });
    },
    async searchArchive(q) {
      fake.archiveQueries.push(q);
      const items = (options.archive ?? []).filter((m) => q.subjectId === undefined || m.delivery.subjectId === q.subjectId);
      return { items: items.slice(0, q.limit ?? 50), cursor: null };
    },
    getArchived: async (id) => options.archive?.find((m) => m.delivery.id === id),
    async receipt(providerMessageId, outcome, reason) {
      fake.receipts.push({ providerMessageId, outcome, ...(reason === undefined ? {} : { reason }) });
      return known.has(providerMessageId);
    },
    async providerCallback(channel, callback) {
      fake.callbacks.push({ channel, callback });
      return options.callbackOutcome ?? { kind: 'unsupported' };
    },
    countRejected(types) {
      fake.rejected.push(...types);
    },
    metrics: async () => '# HELP herald_up 1 when running\n# TYPE herald_up gauge\nherald_up 1\n',
    health: async () => ({ ok: options.healthy ?? true, details: { driver: 'fake' } }),
    async stop() {
      await fake.stopGate;
      fake.stopped = true;
    },
  };
  return fake;
}
