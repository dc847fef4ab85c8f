/** JSON Schema of the execution graph IR (lower/ir.ts); tests validate every example's IR against it. */
const next = { type: ['string', 'null'] };
const expr = { type: 'string', minLength: 1 };
const span = {
  type: 'object',
  additionalProperties: false,
  required: ['file', 'start', 'end'],
  properties: {
    file: { type: 'string' },
    start: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
    end: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
  },
};
const type = { $ref: '#/$defs/type' };
const dataLoad = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'source', 'query', 'args'],
  properties: { name: { type: 'string' }, source: { type: 'string' }, query: { type: 'string' }, args: { type: 'object', additionalProperties: expr } },
};
const node = (kind: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'span', ...Object.keys(props)],
  properties: { id: { type: 'string' }, kind: { const: kind }, span, ...props },
  ...extra,
});

export const IR_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://herald.dev/schemas/ir.schema.json',
  title: 'Herald execution graph IR (herald.ir/v1)',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'project', 'events', 'subject', 'channels', 'sources', 'journeys', 'templates', 'policies'],
  properties: {
    format: { const: 'herald.ir/v1' },
    version: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    project: {
      type: 'object',
      required: ['name', 'defaults', 'archive', 'subjectSource'],
      properties: {
        name: { type: 'string' },
        subjectSource: {
          type: ['object', 'null'],
          additionalProperties: false,
          required: ['source', 'query'],
          properties: { source: { type: 'string' }, query: { type: 'string' } },
        },
        archive: {
          type: 'object',
          additionalProperties: false,
          required: ['retentionMs', 'redact'],
          properties: { retentionMs: { type: ['number', 'null'] }, redact: { type: 'array', items: { type: 'string' } } },
        },
        defaults: {
          type: 'object',
          required: ['locale', 'timezone', 'policy'],
          properties: { locale: { type: 'string' }, timezone: { type: 'string' }, policy: { type: ['string', 'null'] } },
        },
      },
    },
    events: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['type', 'subject'],
        // `schema`: the event's own JSON Schema, only for events declared with `schema:`.
        properties: { type, subject: { type: ['string', 'null'] }, schema: { type: 'object' } },
      },
    },
    subject: { type: 'object', required: ['type'], properties: { type } },
    channels: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['use', 'message', 'config'], properties: { use: { type: 'string' }, message: { type: 'string' }, config: {} } },
    },
    sources: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['use', 'config', 'queries'],
        properties: {
          use: { type: 'string' },
          config: {},
          queries: { type: 'object', additionalProperties: { type: 'object', required: ['args', 'returns', 'with'], properties: { args: type, returns: type, with: {} } } },
        },
      },
    },
    journeys: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'trigger', 'data', 'scope', 'entry', 'nodes', 'span'],
        properties: {
          id: { type: 'string' },
          trigger: {
            type: 'object',
            additionalProperties: false,
            required: ['event', 'subject', 'when', 'reentry'],
            properties: { event: { type: 'string' }, subject: expr, when: { type: ['string', 'null'] }, reentry: { enum: ['never', 'after-exit', 'always'] }, key: expr },
          },
          data: { type: 'array', items: dataLoad },
          scope: { type: 'object', additionalProperties: type },
          entry: { type: 'string' },
          nodes: { type: 'array', items: { $ref: '#/$defs/node' } },
          span,
        },
      },
    },
    templates: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'fallbackLocale', 'variants', 'partials'],
        properties: {
          id: { type: 'string' },
          fallbackLocale: { type: 'string' },
          variants: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } } },
          partials: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
    policies: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'category', 'channels', 'order', 'failover', 'retry', 'quietHours', 'frequencyCap', 'dedupe'],
        properties: {
          id: { type: 'string' },
          category: { type: 'string' },
          channels: { type: 'array', items: { type: 'string' } },
          order: { type: ['string', 'null'] },
          failover: { type: 'object', required: ['on', 'deliveryTimeoutMs'] },
          retry: { type: 'object', required: ['attempts', 'backoff', 'initialMs', 'maxMs'] },
          quietHours: { type: ['object', 'null'] },
          frequencyCap: { type: ['object', 'null'] },
          dedupe: { type: ['object', 'null'] },
        },
      },
    },
  },
  $defs: {
    type: {
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { enum: ['string', 'number', 'bool', 'null', 'timestamp', 'duration', 'list', 'map', 'object', 'dyn'] },
        element: { $ref: '#/$defs/type' },
        value: { $ref: '#/$defs/type' },
        fields: { type: 'object', additionalProperties: { type: 'object', required: ['type', 'optional'], properties: { type: { $ref: '#/$defs/type' }, optional: { type: 'boolean' }, doc: { type: 'string' } } } },
      },
    },
    node: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { enum: ['send', 'wait', 'branch', 'split', 'set', 'fetch', 'batch', 'emit', 'exit'] } },
      allOf: [
        { if: { properties: { kind: { const: 'send' } } }, then: node('send', { template: { type: 'string' }, policy: { type: 'string' }, next }) },
        {
          if: { properties: { kind: { const: 'wait' } } },
          then: {
            type: 'object',
            required: ['id', 'mode', 'span'],
            properties: { mode: { enum: ['duration', 'until', 'event'] }, ms: { type: 'number' }, until: expr, event: { type: 'string' }, match: { type: ['string', 'null'] }, timeoutMs: { type: ['number', 'null'] }, as: { type: ['string', 'null'] }, next, onEvent: next, onTimeout: next },
          },
        },
        { if: { properties: { kind: { const: 'branch' } } }, then: node('branch', { arms: { type: 'array', items: { type: 'object', required: ['when', 'next'], properties: { when: expr, next } } }, otherwise: next }) },
        { if: { properties: { kind: { const: 'split' } } }, then: node('split', { arms: { type: 'array', items: { type: 'object', required: ['weight', 'next'], properties: { weight: { type: 'number' }, next } } } }) },
        { if: { properties: { kind: { const: 'set' } } }, then: node('set', { vars: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'expr'], properties: { name: { type: 'string' }, expr } } }, next }) },
        { if: { properties: { kind: { const: 'fetch' } } }, then: node('fetch', { data: { type: 'array', items: dataLoad }, next }) },
        { if: { properties: { kind: { const: 'batch' } } }, then: node('batch', { event: { type: 'string' }, match: { type: ['string', 'null'] }, windowMs: { type: 'number' }, max: { type: ['number', 'null'] }, as: { type: 'string' }, next }) },
        { if: { properties: { kind: { const: 'emit' } } }, then: node('emit', { event: { type: 'string' }, data: { type: 'object', additionalProperties: expr }, next }) },
        { if: { properties: { kind: { const: 'exit' } } }, then: node('exit', { reason: { type: 'string' } }) },
      ],
    },
  },
} as const;
