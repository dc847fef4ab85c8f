import { CLOCK_PATTERN, doc, duration, expression, id, IDENT_PATTERN, type JsonSchema } from './common-schema.js';

/** *.policy.yaml: how a message is delivered — channel order, consent, retries, failover, timing. */
export const policySchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://herald.dev/schemas/policy.schema.json',
  title: 'policy',
  type: 'object',
  additionalProperties: false,
  required: ['policy', 'channels'],
  properties: {
    policy: id('policy'),
    description: { type: 'string' },
    category: doc('Message category for consent: a subject who opted out of this category (or of a channel in it) is not sent to.', {
      type: 'string',
      pattern: IDENT_PATTERN,
    }),
    channels: doc('The channels this policy may use, in their default order (names from `channels:` in herald.yaml).', {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: IDENT_PATTERN },
    }),
    order: expression('Channel order, e.g. `subject.channels`: listed channels first, the rest in default order; unknown names are ignored', 'list<string>'),
    failover: {
      type: 'object',
      title: 'failover',
      additionalProperties: false,
      properties: {
        on: doc('Outcomes that move on to the next channel.', {
          type: 'array',
          items: { enum: ['failed', 'bounced', 'timeout'] },
          uniqueItems: true,
        }),
        deliveryTimeout: duration('How long an accepted message may stay unconfirmed before it counts as `timeout`'),
      },
    },
    retry: {
      type: 'object',
      title: 'retry',
      additionalProperties: false,
      required: ['attempts'],
      properties: {
        attempts: doc('Attempts per channel, including the first.', { type: 'integer', minimum: 1, maximum: 20 }),
        backoff: doc('Delay growth between attempts.', { enum: ['fixed', 'linear', 'exponential'] }),
        initial: duration('Delay before the second attempt'),
        max: duration('Longest delay between attempts'),
      },
    },
    quietHours: {
      type: 'object',
      title: 'quiet hours',
      additionalProperties: false,
      required: ['from', 'to'],
      properties: {
        from: doc('Start of the quiet period, `HH:MM` in the subject\'s time zone.', { type: 'string', pattern: CLOCK_PATTERN, 'x-hint': 'use 24-hour `HH:MM`, e.g. `21:00`' }),
        to: doc('End of the quiet period, `HH:MM`.', { type: 'string', pattern: CLOCK_PATTERN, 'x-hint': 'use 24-hour `HH:MM`, e.g. `08:00`' }),
        timezone: expression('Time zone for the quiet hours; default `subject.timezone`', 'string'),
      },
    },
    frequencyCap: {
      type: 'object',
      title: 'frequency cap',
      additionalProperties: false,
      required: ['max', 'per'],
      properties: {
        max: doc('Most messages of this policy\'s category to one subject per period.', { type: 'integer', minimum: 1 }),
        per: duration('The period'),
      },
    },
    dedupe: {
      type: 'object',
      title: 'dedupe',
      additionalProperties: false,
      required: ['key', 'window'],
      properties: {
        key: expression('What makes two messages the same, e.g. `trigger.invoiceId`', 'string'),
        window: duration('How long a sent key blocks the same message'),
      },
    },
  },
};
