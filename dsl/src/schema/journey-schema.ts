import { doc, duration, eventName, expression, expressionValue, id, IDENT_PATTERN, ID_PATTERN, identifier, type JsonSchema } from './common-schema.js';

const stepRef = (what: string): JsonSchema =>
  doc(`${what}: the id of a step of this journey.`, { type: 'string', pattern: ID_PATTERN });

const binding: JsonSchema = {
  type: 'object',
  title: 'data binding',
  additionalProperties: false,
  required: ['source', 'query'],
  properties: {
    source: doc('A source from `sources:` in herald.yaml.', { type: 'string', pattern: IDENT_PATTERN }),
    query: doc('A query of that source.', { type: 'string', pattern: IDENT_PATTERN }),
    args: doc('Arguments of the query, each an expression.', { type: 'object', additionalProperties: expressionValue('An argument') }),
  },
};

const bindings = (what: string): JsonSchema =>
  doc(what, { type: 'object', propertyNames: { pattern: IDENT_PATTERN }, additionalProperties: { $ref: '#/$defs/binding' } });

const common = {
  id: doc('The step id, for `goto` and for readable history; when omitted the step is `#<position>`.', {
    type: 'string',
    pattern: ID_PATTERN,
    'x-hint': 'use lower-case letters, digits, `-` and `_`, starting with a letter',
  }),
  description: doc('What the step is for, in words: a note for readers, shown on hover.', { type: 'string' }),
};

/** One schema per step kind, discriminated by the key that names the kind. */
export const stepSchemas: Record<string, JsonSchema> = {
  send: {
    title: 'send step',
    properties: {
      send: doc('Send a message: the id of a template.', { type: 'string', pattern: ID_PATTERN }),
      policy: doc('The channel policy; default: `defaults.policy` in herald.yaml.', { type: 'string', pattern: ID_PATTERN }),
    },
  },
  wait: {
    title: 'wait step',
    properties: {
      wait: doc('Wait for a duration (`3d`), until a time (`until:`), or for an event (`event:` with `match:` and `timeout:`).', {
        type: ['string', 'object'],
        pattern: '^([0-9]+(ms|s|m|h|d|w))+$',
        'x-hint': 'write a duration (`3d`), or a mapping with `until:` or `event:`',
        additionalProperties: false,
        properties: {
          until: expression('Wait until this time', 'timestamp'),
          event: eventName('Wait for this event'),
          match: expression('Which event counts: `event` is the incoming event, `trigger` the one that started the journey', 'bool'),
          timeout: duration('Give up waiting after'),
          as: identifier('Name under which the received event is available to later steps.'),
        },
      }),
      onEvent: stepRef('Where to go when the event arrives (default: the next step)'),
      onTimeout: stepRef('Where to go when the wait times out (default: the next step)'),
    },
  },
  branch: {
    title: 'branch step',
    properties: {
      branch: doc('Conditions tried in order; the first that holds decides. End with `- else: <step>`.', {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          title: 'branch arm',
          additionalProperties: false,
          properties: {
            when: expression('The condition', 'bool'),
            goto: stepRef('Where to go when it holds'),
            else: stepRef('Where to go when no condition holds'),
          },
        },
      }),
    },
  },
  split: {
    title: 'split step',
    properties: {
      split: doc('Weighted A/B split; a subject always lands in the same arm (stable hash of subject, journey and step).', {
        type: 'array',
        minItems: 2,
        items: {
          type: 'object',
          title: 'split arm',
          additionalProperties: false,
          required: ['weight', 'goto'],
          properties: {
            weight: doc('Relative weight of this arm.', { type: 'number', exclusiveMinimum: 0, 'x-checked-by': 'split-weights' }),
            goto: stepRef('The arm\'s first step'),
          },
        },
      }),
    },
  },
  set: {
    title: 'set step',
    properties: {
      set: doc('Compute journey variables: name -> expression.', {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: IDENT_PATTERN },
        additionalProperties: expressionValue('The value'),
      }),
    },
  },
  fetch: {
    title: 'fetch step',
    properties: { fetch: bindings('Load data mid-journey: name -> source query.') },
  },
  batch: {
    title: 'batch step',
    properties: {
      batch: {
        type: 'object',
        title: 'batch',
        additionalProperties: false,
        required: ['event', 'window', 'as'],
        properties: {
          event: eventName('Collect further events of this type for the same subject'),
          match: expression('Which events belong to this batch (`event`, `trigger`)', 'bool'),
          window: duration('How long to collect'),
          max: doc('Continue early once this many events are collected.', { type: 'integer', minimum: 1 }),
          as: identifier('Name of the list of collected events.'),
        },
      },
    },
  },
  emit: {
    title: 'emit step',
    properties: {
      emit: doc('Raise an event, as if it had been posted to `POST /events`: it starts the journeys it triggers and reaches the instances waiting for it.', {
        type: 'object',
        title: 'emit',
        additionalProperties: false,
        required: ['event'],
        properties: {
          event: eventName('The event to raise'),
          data: doc('Payload fields, each an expression.', { type: 'object', additionalProperties: expressionValue('A field') }),
        },
      }),
    },
  },
  goto: { title: 'goto step', properties: { goto: stepRef('Continue at this step') } },
  exit: {
    title: 'exit step',
    properties: { exit: doc('End the journey here, with a reason recorded on the instance.', { type: 'string', minLength: 1 }) },
  },
};

export const STEP_KIND_KEYS = Object.keys(stepSchemas);

/** The keys of a wait's mapping (`wait: { event: ..., timeout: ... }`). */
export const WAIT_FOR_KEYS = Object.keys(((stepSchemas['wait']!['properties'] as Record<string, JsonSchema>)['wait']!['properties'] ?? {}) as object);

/** The keys a step of this kind takes (its kind key, `id`, `description`, ...). */
export function stepKeys(kind: string): string[] {
  return Object.keys(stepSchema(kind)['properties'] as object);
}

function stepSchema(kind: string): JsonSchema {
  const s = stepSchemas[kind]!;
  return {
    type: 'object',
    title: s['title'],
    additionalProperties: false,
    required: [kind],
    properties: { ...common, ...(s['properties'] as object) },
  };
}

/** *.journey.yaml */
export const journeySchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://herald.dev/schemas/journey.schema.json',
  title: 'journey',
  type: 'object',
  additionalProperties: false,
  required: ['journey', 'trigger', 'steps'],
  properties: {
    journey: id('journey'),
    description: doc('What the journey is for, in words: a note for readers, shown on hover.', { type: 'string' }),
    trigger: doc('When an instance starts: the `event`, whose journey it is (`subject`), a condition (`when`), what reentry is counted per (`key`) and how often (`reentry`).', {
      type: 'object',
      title: 'trigger',
      additionalProperties: false,
      required: ['event'],
      properties: {
        event: eventName('The event that starts the journey'),
        subject: expression('Whose journey this is; default `event.subjectId`', 'string'),
        when: expression('Start only when this holds', 'bool'),
        key: expression('What reentry is counted per, besides the subject: `event.invoiceId` for one instance per invoice. Sees `event`, like `subject`; a number counts as its decimal string; an event without one starts nothing. No effect with `reentry: always`', 'string or number'),
        reentry: doc('`never` (default): one instance per subject (and `key`), ever; `after-exit`: a new one once the last has ended; `always`: any number at once.', {
          enum: ['never', 'after-exit', 'always'],
        }),
      },
    }),
    data: bindings('Data loaded when the journey starts: name -> source query. The result is available to every step under that name.'),
    steps: doc('The steps, run in order unless a step says otherwise.', {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/step' },
    }),
  },
  $defs: {
    binding,
    // For editors: a step is the schema of the one kind key it has.
    step: {
      type: 'object',
      anyOf: STEP_KIND_KEYS.map((k) => ({ required: [k] })),
      allOf: STEP_KIND_KEYS.map((k) => ({ if: { required: [k] }, then: { $ref: `#/$defs/${k}Step` } })),
    },
    ...Object.fromEntries(STEP_KIND_KEYS.map((k) => [`${k}Step`, stepSchema(k)])),
  },
};
