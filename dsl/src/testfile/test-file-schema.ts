/**
 * The journey test format as a JSON Schema: what the editor completes and documents in
 * `*.test.yaml` files (keys with their docs, enum values). It maps the format for navigation;
 * it validates nothing (the reader does, read-test-file.ts, with positions and hints). Its keys
 * are the reader's (test-file-keys.ts).
 */
import { BUILTIN_SUBJECT_FIELDS } from '../types/subject-type.js';
import type { JsonSchema } from '../schema/common-schema.js';
import { DELIVERY_STATUSES } from './journey-test.js';
import { INSTANCE_STATUSES, OUTCOMES } from './read-expectation.js';
import { RECEIPT_STATUSES } from './read-test-file.js';
import { TEST_FILE_KEYS, type TestFileMapping } from './test-file-keys.js';

/** A mapping of the format: its keys documented, with the shapes of their values where they have one. */
function mapping(name: TestFileMapping, values: Readonly<Record<string, JsonSchema>> = {}, title?: string): JsonSchema {
  const properties = Object.fromEntries(Object.entries(TEST_FILE_KEYS[name]).map(([key, description]) => [key, { ...values[key], description }]));
  return { type: 'object', ...(title ? { title } : {}), properties, additionalProperties: false };
}

const ref = (def: string): JsonSchema => ({ $ref: `#/$defs/${def}` });
const list = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const text = (): JsonSchema => ({
  type: ['string', 'object'],
  properties: {
    equals: { type: 'string', description: 'The whole text, exactly.' },
    contains: { type: 'string', description: 'The text contains this.' },
    matches: { type: 'string', description: 'A regular expression the text matches.' },
    notContains: { type: 'string', description: 'The text does not contain this.' },
  },
});

const profile: JsonSchema = {
  type: 'object',
  title: 'subject profile',
  properties: Object.fromEntries(Object.entries(BUILTIN_SUBJECT_FIELDS).map(([k, f]) => [k, { description: f.doc }])),
  // The project's own subject fields.
  additionalProperties: {},
};

const outcomeOf = { type: 'string', enum: [...OUTCOMES] };

export const TEST_FILE_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Herald journey tests (*.test.yaml)',
  $defs: {
    subjects: { type: 'object', additionalProperties: ref('profile') },
    profile,
    fixtures: { type: 'object', additionalProperties: { ...ref('fixture'), type: ['object', 'array'], items: ref('fixture') } },
    fixture: mapping('fixture', { retryable: { type: 'boolean' } }, 'fixture'),
    outcomes: {
      type: 'object',
      additionalProperties: { type: ['string', 'object'], enum: [...OUTCOMES], additionalProperties: outcomeOf },
    },
    event: mapping('event', { rejected: list({ type: 'string' }) }, 'event'),
    message: mapping('message', { to: text(), content: { type: 'object', additionalProperties: text() }, outcome: outcomeOf }, 'message'),
  },
  ...mapping('file', {
    subjects: ref('subjects'),
    fixtures: ref('fixtures'),
    outcomes: ref('outcomes'),
    tests: list(
      mapping(
        'test',
        {
          subjects: ref('subjects'),
          fixtures: ref('fixtures'),
          outcomes: ref('outcomes'),
          steps: list(
            mapping(
              'step',
              {
                event: ref('event'),
                events: list(ref('event')),
                advance: { type: ['string', 'object'], properties: { to: { type: 'string', description: 'The time to move the clock to, ISO 8601.' } } },
                subject: profile,
                receipt: mapping('receipt', { status: { type: 'string', enum: [...RECEIPT_STATUSES] } }, 'receipt'),
                expect: mapping(
                  'expect',
                  {
                    sent: list(ref('message')),
                    notSent: list(ref('message')),
                    instance: mapping('instance', { status: { type: 'string', enum: [...INSTANCE_STATUSES] }, visited: list({ type: 'string' }), notVisited: list({ type: 'string' }) }, 'instance'),
                    noInstance: mapping('noInstance', {}, 'noInstance'),
                    archive: list(mapping('archive', { status: { type: 'string', enum: [...DELIVERY_STATUSES] } }, 'archive entry')),
                  },
                  'expect',
                ),
              },
              'step',
            ),
          ),
        },
        'test',
      ),
    ),
  }),
};
