/**
 * Pieces every file schema uses. Schemas carry `description` (plain) and
 * `markdownDescription` (for editors) and Herald keywords the compiler reads:
 * `x-hint` (the hint of a diagnostic about this value), `x-expression` / `x-template`
 * (this string is an expression / a Mustache template, for editors and docs) and
 * `x-checked-by` (the code of the later rule that reports a wrong value of the right JSON type
 * here, with more to say than the schema; see map-schema-errors.ts).
 */
export type JsonSchema = Record<string, unknown>;

export const DURATION_PATTERN = '^([0-9]+(ms|s|m|h|d|w))+$';
export const ID_PATTERN = '^[a-z][a-z0-9]*([-_][a-z0-9]+)*$';
export const EVENT_PATTERN = '^[a-z][a-zA-Z0-9_]*(\\.[a-z][a-zA-Z0-9_]*)*$';
export const IDENT_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
export const LOCALE_PATTERN = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
export const CLOCK_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

export const doc = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  description,
  markdownDescription: description,
  ...extra,
});

export const id = (what: string): JsonSchema =>
  doc(`The ${what}'s id: lower-case words joined by \`-\` or \`_\`.`, {
    type: 'string',
    pattern: ID_PATTERN,
    'x-hint': 'use lower-case letters, digits, `-` and `_`, starting with a letter (e.g. `payment-reminder`)',
  });

export const duration = (what: string): JsonSchema =>
  doc(`${what}: a duration such as \`30s\`, \`10m\`, \`2h\`, \`7d\`, \`1w\` or \`1h30m\`.`, {
    type: 'string',
    pattern: DURATION_PATTERN,
    'x-hint': 'write a duration as a number and a unit: ms, s, m, h, d, w (e.g. `7d`, `1h30m`)',
  });

export const expression = (what: string, type = 'any'): JsonSchema =>
  doc(`${what} (an expression of type \`${type}\`; see docs/expressions.md).`, {
    type: 'string',
    minLength: 1,
    'x-expression': type,
  });

/** A value written as an expression; a YAML number, bool or null is taken as that literal. */
export const expressionValue = (what: string): JsonSchema =>
  doc(`${what}: an expression, or a literal number, bool or null.`, {
    type: ['string', 'number', 'boolean', 'null'],
    // An empty string is no expression (the empty text is `'""'`): said once, by the schema.
    minLength: 1,
    'x-expression': 'any',
  });

export const eventName = (what: string): JsonSchema =>
  doc(`${what}: an event type declared under \`events:\` in herald.yaml.`, {
    type: 'string',
    pattern: EVENT_PATTERN,
    'x-hint': 'event names are dotted lower-camel words, e.g. `invoice.overdue`',
  });

export const identifier = (what: string): JsonSchema =>
  doc(what, {
    type: 'string',
    pattern: IDENT_PATTERN,
    'x-hint': 'a name usable in expressions: letters, digits and `_`, not starting with a digit',
  });

/** Compact type syntax: `string`, `number?`, `list<{sku: string}>`, or a YAML map of field -> type. */
export const compactType: JsonSchema = doc(
  'A type: `string`, `number`, `bool`, `timestamp`, `duration`, `any`, `list<T>`, `map<T>`, `{field: T, other?: T}`; `?` after a field type makes it optional. A YAML map of field names to types is an object type.',
  {
    type: ['string', 'object'],
    additionalProperties: { $ref: '#/$defs/compactType' },
  },
);

export const typeMap = (what: string): JsonSchema =>
  doc(`${what}: a map of field names to types (\`name: string\`, \`amount: number\`, \`tags: list<string>\`, \`note: string?\`).`, {
    type: 'object',
    additionalProperties: { $ref: '#/$defs/compactType' },
  });

export const pluginUse = (what: string, extra: Record<string, JsonSchema> = {}, required: string[] = ['use']): JsonSchema => ({
  type: 'object',
  title: what,
  additionalProperties: false,
  required,
  properties: {
    use: doc('The plugin: an npm package name (`@herald/channel-email`) or a path relative to the project root (`./plugins/my-channel`).', {
      type: 'string',
      minLength: 1,
    }),
    description: { type: 'string' },
    config: doc("The plugin's configuration, checked against the plugin's own config schema. `${ENV_VAR}` in a string is replaced from the environment at run time.", {
      type: 'object',
    }),
    ...extra,
  },
});
