import { doc, id, IDENT_PATTERN, LOCALE_PATTERN, type JsonSchema } from './common-schema.js';

/** The fields each built-in message kind takes; `required` ones must be in every variant. */
export const MESSAGE_KINDS: Record<string, { fields: Record<string, { required: boolean; html: boolean; json?: boolean; doc: string }> }> = {
  email: {
    fields: {
      subject: { required: true, html: false, doc: 'Subject line.' },
      html: { required: false, html: true, doc: 'HTML body (values are HTML-escaped).' },
      text: { required: false, html: false, doc: 'Plain-text body.' },
    },
  },
  sms: { fields: { body: { required: true, html: false, doc: 'Message text.' } } },
  push: {
    fields: {
      title: { required: true, html: false, doc: 'Notification title.' },
      body: { required: true, html: false, doc: 'Notification text.' },
    },
  },
  webhook: {
    fields: {
      body: {
        required: true,
        html: false,
        json: true,
        doc: 'JSON body. Values are escaped for a JSON string, so write `"name": "{{subject.name}}"`; numbers and booleans may stand unquoted (`"amount": {{trigger.amount}}`).',
      },
    },
  },
  letter: {
    fields: {
      subject: { required: false, html: false, doc: 'Letter title (for the archive).' },
      html: { required: true, html: true, doc: 'The letter as HTML, rendered to print by the letter channel.' },
    },
  },
};

const templateText: JsonSchema = doc('Mustache text inline, or `{ file: path }` relative to this file.', {
  type: ['string', 'object'],
  additionalProperties: false,
  required: ['file'],
  properties: { file: { type: 'string', minLength: 1 } },
  'x-template': true,
});

const variantsOf = (kind: string): JsonSchema =>
  doc(`The ${kind} variant per locale (\`en:\`, \`de:\` ...).`, {
    type: 'object',
    propertyNames: { pattern: LOCALE_PATTERN },
    additionalProperties: {
      type: 'object',
      title: `${kind} variant`,
      additionalProperties: false,
      properties: Object.fromEntries(
        Object.entries(MESSAGE_KINDS[kind]!.fields).map(([f, info]) => [f, { ...templateText, description: info.doc, markdownDescription: info.doc }]),
      ),
    },
  });

/** *.template.yaml */
export const templateSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://herald.dev/schemas/template.schema.json',
  title: 'template',
  type: 'object',
  additionalProperties: false,
  required: ['template'],
  properties: {
    template: id('template'),
    description: { type: 'string' },
    fallbackLocale: doc('Locale used when the subject\'s locale has no variant; default `defaults.locale`.', {
      type: 'string',
      pattern: LOCALE_PATTERN,
    }),
    partials: doc('Named Mustache partials, used as `{{> name}}`.', {
      type: 'object',
      propertyNames: { pattern: IDENT_PATTERN },
      additionalProperties: templateText,
    }),
    ...Object.fromEntries(Object.keys(MESSAGE_KINDS).map((k) => [k, variantsOf(k)])),
  },
};
