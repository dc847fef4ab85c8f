import { compactType, doc, duration, EVENT_PATTERN, ID_PATTERN, IDENT_PATTERN, id, LOCALE_PATTERN, pluginUse, typeMap, type JsonSchema } from './common-schema.js';

/** herald.yaml: the project, its plugins, data sources, event types and defaults. */
export const configSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://herald.dev/schemas/herald.schema.json',
  title: 'herald.yaml',
  type: 'object',
  additionalProperties: false,
  required: ['project'],
  properties: {
    project: id('project'),
    description: { type: 'string' },
    defaults: {
      type: 'object',
      title: 'defaults',
      additionalProperties: false,
      properties: {
        locale: doc('Locale used when the subject has none, and the default fallback locale of templates.', {
          type: 'string',
          pattern: LOCALE_PATTERN,
          'x-hint': 'a BCP 47 tag such as `en` or `de-CH`',
        }),
        timezone: doc('IANA time zone used when the subject has none (quiet hours, `hour()`).', { type: 'string', minLength: 1 }),
        policy: doc('Policy used by `send` steps that name none.', { type: 'string', pattern: ID_PATTERN }),
      },
    },
    channels: doc('Channel plugin instances by name; policies list these names.', {
      type: 'object',
      propertyNames: { pattern: IDENT_PATTERN },
      additionalProperties: pluginUse('channel'),
    }),
    sources: doc('Data-source plugin instances by name, with the queries journeys may run.', {
      type: 'object',
      propertyNames: { pattern: IDENT_PATTERN },
      additionalProperties: pluginUse(
        'source',
        {
          queries: doc('Named queries with their argument and result types.', {
            type: 'object',
            propertyNames: { pattern: IDENT_PATTERN },
            additionalProperties: {
              type: 'object',
              title: 'query',
              additionalProperties: false,
              required: ['returns'],
              properties: {
                description: { type: 'string' },
                args: typeMap('The arguments the query takes'),
                returns: compactType,
                with: doc("The query itself, in the plugin's terms (SQL, HTTP path, file name...).", {}),
              },
            },
          }),
        },
        ['use', 'queries'],
      ),
    }),
    events: doc('Event types: the name and the shape of each event Herald accepts.', {
      type: 'object',
      propertyNames: { pattern: EVENT_PATTERN },
      additionalProperties: {
        type: 'object',
        title: 'event type',
        additionalProperties: false,
        properties: {
          description: { type: 'string' },
          subject: doc(
            'The payload field that names the subject (the customer) the event is about, as a dotted path (`customer.id`); default `subjectId`. Routing offers the event only to journeys of that subject.',
            { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' },
          ),
          fields: typeMap("The event's payload fields"),
          schema: doc('The payload as a JSON Schema object, instead of `fields`.', { type: 'object' }),
        },
      },
    }),
    archive: {
      type: 'object',
      title: 'archive',
      additionalProperties: false,
      properties: {
        retention: duration('How long archived messages are kept; older ones are deleted'),
        redact: doc('What the archive must not keep: `content.<field>` (a rendered field such as `content.text`) or `vars.<path>` (render data such as `vars.trigger.iban`); replaced by `[redacted]`.', {
          type: 'array',
          uniqueItems: true,
          items: { type: 'string', pattern: '^(content\\.[A-Za-z_][A-Za-z0-9_]*|vars(\\.[A-Za-z_][A-Za-z0-9_]*)+)$', 'x-hint': 'write `content.<field>` or `vars.<path>`, e.g. `content.text`, `vars.trigger.iban`' },
        }),
      },
    },
    subject: {
      type: 'object',
      title: 'subject profile',
      additionalProperties: false,
      properties: {
        fields: typeMap('Project-specific profile fields, added to the built-in ones (id, locale, timezone, contacts, channels, optOuts)'),
        source: {
          type: 'object',
          title: 'subject source',
          additionalProperties: false,
          required: ['source', 'query'],
          description: 'A query that enriches the profile: it gets `{ id: <subject id> }` and the fields it returns are merged over the stored profile.',
          properties: {
            source: doc('A source from `sources:`.', { type: 'string', pattern: IDENT_PATTERN }),
            query: doc('A query of that source taking `id`.', { type: 'string', pattern: IDENT_PATTERN }),
          },
        },
      },
    },
  },
  $defs: { compactType },
};

const configProperties = configSchema['properties'] as Record<string, JsonSchema>;

/** The keys herald.yaml takes at its top level. */
export const CONFIG_KEYS: readonly string[] = Object.keys(configProperties);

/** The keys `defaults:` takes. */
export const DEFAULTS_KEYS: readonly string[] = Object.keys(configProperties['defaults']!['properties'] as object);
