import type { Severity } from './diagnostic.js';

/**
 * Every diagnostic code Herald reports, with its default severity and a one-line summary.
 * docs/diagnostics.md lists the same codes; a test keeps the two in step.
 */
export interface CodeInfo {
  readonly severity: Severity;
  readonly stage: 'parse' | 'schema' | 'link' | 'type' | 'template' | 'lower' | 'project';
  readonly summary: string;
}

export const CODES = {
  // parse
  'yaml-syntax': { severity: 'error', stage: 'parse', summary: 'The file is not valid YAML.' },
  'duplicate-key': { severity: 'error', stage: 'parse', summary: 'A mapping has the same key twice.' },
  'file-too-large': { severity: 'error', stage: 'parse', summary: 'The file exceeds the size limit (10 MB).' },
  'too-many-aliases': { severity: 'error', stage: 'parse', summary: 'The file uses more YAML aliases than allowed (alias bomb guard).' },
  'unresolved-alias': { severity: 'error', stage: 'parse', summary: 'A YAML alias names no anchor.' },
  'nesting-too-deep': { severity: 'error', stage: 'parse', summary: 'The YAML nests deeper than allowed.' },
  'unquoted-template': { severity: 'error', stage: 'parse', summary: 'A `{{...}}` value is unquoted, so YAML reads it as a mapping.' },
  'non-string-key': { severity: 'error', stage: 'parse', summary: 'A mapping key is not a plain string.' },
  'multiple-documents': { severity: 'error', stage: 'parse', summary: 'A Herald file holds one YAML document.' },
  // schema
  'unknown-key': { severity: 'error', stage: 'schema', summary: 'A key that this place does not take.' },
  'missing-key': { severity: 'error', stage: 'schema', summary: "A required key is missing (also: a field an `emit`ted event requires, an argument a data load's query requires)." },
  'wrong-type': { severity: 'error', stage: 'schema', summary: 'A value has the wrong YAML type.' },
  'invalid-value': { severity: 'error', stage: 'schema', summary: 'A value is not one of the allowed values or has the wrong form.' },
  'unknown-step-kind': { severity: 'error', stage: 'schema', summary: 'A step has none of the step keys (send, wait, branch, ...).' },
  'multiple-step-kinds': { severity: 'error', stage: 'schema', summary: 'A step has more than one step key.' },
  'invalid-type-syntax': { severity: 'error', stage: 'schema', summary: 'A compact type (`list<{sku: string}>`) does not parse.' },
  'invalid-event-schema': { severity: 'error', stage: 'schema', summary: "An event's `schema:` is not a JSON Schema the runtime can compile." },
  'unknown-schema-keyword': { severity: 'warning', stage: 'schema', summary: "A key in an event's `schema:` is no JSON Schema keyword, so it checks nothing (`requried`)." },
  'invalid-duration': { severity: 'error', stage: 'type', summary: 'A duration is not of the form `30s`, `10m`, `2h`, `7d`, `1w`.' },
  'unknown-file-kind': { severity: 'warning', stage: 'project', summary: 'A YAML file whose name Herald does not recognise.' },
  'missing-project-file': { severity: 'error', stage: 'project', summary: 'The project has no herald.yaml.' },
  'template-file-not-found': { severity: 'error', stage: 'project', summary: 'A template `file:` names a file that does not exist.' },
  // link
  'duplicate-id': { severity: 'error', stage: 'link', summary: 'Two journeys, templates, policies or steps share an id.' },
  'unknown-template': { severity: 'error', stage: 'link', summary: 'A send step names a template that does not exist.' },
  'unbuilt-template': { severity: 'info', stage: 'link', summary: 'A send step names a template whose file has errors, so the send is not checked against it.' },
  'unknown-policy': { severity: 'error', stage: 'link', summary: 'A send step or the defaults name a policy that does not exist.' },
  'missing-policy': { severity: 'error', stage: 'link', summary: 'A send step has no policy and herald.yaml sets no default policy.' },
  'unknown-step': { severity: 'error', stage: 'link', summary: 'A goto, branch, split, onEvent or onTimeout target names no step of the journey.' },
  'unknown-event': { severity: 'error', stage: 'link', summary: 'An event name is not declared under `events:` in herald.yaml.' },
  'invalid-event-subject': { severity: 'error', stage: 'link', summary: 'The `subject:` of an event declaration names no string or number field of its payload.' },
  'unknown-source': { severity: 'error', stage: 'link', summary: 'A data or fetch binding names a source not declared in herald.yaml.' },
  'unknown-query': { severity: 'error', stage: 'link', summary: 'A data or fetch binding names a query its source does not declare.' },
  'unknown-channel': { severity: 'error', stage: 'link', summary: 'A policy names a channel not declared in herald.yaml.' },
  'unknown-plugin': { severity: 'error', stage: 'link', summary: 'A `use:` names a plugin whose herald-plugin.json cannot be found.' },
  'wrong-plugin-kind': { severity: 'error', stage: 'link', summary: 'A channel uses a source plugin, or a source a channel plugin.' },
  'invalid-plugin-config': { severity: 'error', stage: 'link', summary: "A plugin's `config:` does not match the plugin's config schema." },
  'invalid-plugin-manifest': { severity: 'error', stage: 'link', summary: "A plugin's herald-plugin.json is not valid." },
  'missing-plugin-file': { severity: 'error', stage: 'link', summary: 'A plugin config value that the plugin marks as a file (`x-herald-file`) names no file of the project.' },
  'plain-secret': { severity: 'warning', stage: 'link', summary: 'A plugin config value its schema marks as a secret (`writeOnly`) is written out in herald.yaml instead of as `${NAME}`.' },
  'invalid-plugin-file': { severity: 'error', stage: 'link', summary: 'A plugin config value that the plugin marks as a JSON file (`"x-herald-file": "json"`) names a file that is not valid JSON, or whose content does not fit the shape the plugin reads (`x-herald-file-schema`).' },
  'missing-variant': { severity: 'error', stage: 'link', summary: "A policy's channel has no variant in the template a step sends with it." },
  'missing-variant-field': { severity: 'error', stage: 'link', summary: 'A template variant lacks a field its message kind requires (e.g. email `subject`).' },
  'unknown-variant-field': { severity: 'error', stage: 'link', summary: 'A template variant has a field its message kind does not take.' },
  'missing-fallback-locale': { severity: 'error', stage: 'link', summary: 'A template channel has no variant in the fallback locale.' },
  'reserved-name': { severity: 'error', stage: 'link', summary: 'A variable or data name shadows a built-in name (trigger, subject, event, journey, now), or `subject.fields` redeclares a built-in subject field.' },
  'duplicate-variable': { severity: 'error', stage: 'link', summary: 'Two bindings define the same journey variable with different types.' },
  'unreachable-step': { severity: 'warning', stage: 'link', summary: 'No path from the journey start reaches this step.' },
  'loop-without-wait': { severity: 'error', stage: 'link', summary: 'A cycle of steps with no wait or batch would spin forever.' },
  'branch-without-else': { severity: 'warning', stage: 'link', summary: 'A branch has no `else`; when no condition holds the journey falls through to the next step.' },
  'wait-without-timeout': { severity: 'warning', stage: 'link', summary: 'A wait for an event has no timeout; an instance may wait forever.' },
  'key-without-effect': { severity: 'warning', stage: 'link', summary: 'A trigger has a `key` and `reentry: always`, which starts an instance for every event whatever its key.' },
  'quiet-hours-empty': { severity: 'warning', stage: 'link', summary: 'Quiet hours that start and end at the same time hold nothing back.' },
  'unknown-timezone': { severity: 'error', stage: 'link', summary: 'A literal time zone in a policy, or `defaults.timezone` in herald.yaml, is not an IANA zone.' },
  'retry-max-below-initial': { severity: 'warning', stage: 'link', summary: 'A retry `max` below `initial` caps every delay below the first one.' },
  'timed-wait-branch': { severity: 'error', stage: 'link', summary: 'A wait for a duration or a time has `onTimeout:` or `onEvent:`, which only a wait for an event takes.' },
  'zero-duration': { severity: 'warning', stage: 'link', summary: 'A wait, a wait timeout or a batch window of 0 does not wait; an archive retention of 0 keeps nothing.' },
  'retention-shorter-than-window': { severity: 'warning', stage: 'link', summary: "The archive retention is shorter than a policy's dedupe window or frequency-cap period, whose record it purges early." },
  'split-weights': { severity: 'error', stage: 'link', summary: 'Split weights must be positive.' },
  'unused-policy': { severity: 'info', stage: 'link', summary: 'No send step names the policy and it is not `defaults.policy`.' },
  'unused-template': { severity: 'info', stage: 'link', summary: 'No send step names the template; it is checked on its own, without a journey.' },
  'goto-next-step': { severity: 'info', stage: 'link', summary: 'A goto to the step right after it does nothing.' },
  // type (expressions)
  'expr-syntax': { severity: 'error', stage: 'type', summary: 'An expression does not parse.' },
  'unknown-variable': { severity: 'error', stage: 'type', summary: 'An expression or template uses a name that is not in scope.' },
  'unknown-field': { severity: 'error', stage: 'type', summary: 'A member access names a field the type does not have (also: an `emit` field the event does not declare, a data load argument the query does not declare).' },
  'unknown-function': { severity: 'error', stage: 'type', summary: 'A call names a function that is not in the library.' },
  'wrong-argument-count': { severity: 'error', stage: 'type', summary: 'A function is called with the wrong number of arguments.' },
  'type-mismatch': { severity: 'error', stage: 'type', summary: 'Operand or argument types do not fit the operation.' },
  'not-a-bool-condition': { severity: 'error', stage: 'type', summary: 'A condition does not have type bool.' },
  'constant-condition': { severity: 'warning', stage: 'type', summary: 'A condition or operand is always true or always false.' },
  'invalid-regex': { severity: 'error', stage: 'type', summary: 'A `matches` pattern is not a valid regular expression.' },
  'wrong-expression-type': { severity: 'error', stage: 'type', summary: 'An expression has a different type than its place requires.' },
  'unknown-redact-path': { severity: 'warning', stage: 'type', summary: 'An `archive.redact` entry names no rendered field or render data, so it blanks nothing.' },
  'redacted-value-rendered': { severity: 'warning', stage: 'type', summary: 'An `archive.redact` `vars.*` entry names a value a template renders into a field the archive keeps.' },
  'optional-field-read': { severity: 'warning', stage: 'type', summary: 'An expression reads an optional field (`T?`) the journey never tests, as if it were always there.' },
  'possibly-unset-variable': { severity: 'warning', stage: 'type', summary: 'An expression reads a variable that a way through the journey to it does not set.' },
  // templates
  'template-syntax': { severity: 'error', stage: 'template', summary: 'A Mustache template does not parse.' },
  'unknown-partial': { severity: 'error', stage: 'template', summary: 'A `{{> partial}}` names no partial of the template.' },
  'template-unescaped-html': { severity: 'warning', stage: 'template', summary: 'Triple mustache in an HTML variant outputs unescaped text.' },
  'template-renders-object': { severity: 'warning', stage: 'template', summary: 'A list or object is interpolated directly and renders as `[object Object]`.' },
  'invalid-timestamp': { severity: 'error', stage: 'type', summary: 'A timestamp literal (`timestamp("...")`) is not ISO-8601.' },
  'invalid-argument': { severity: 'error', stage: 'type', summary: 'A function argument has a value the function cannot take (a `has()` without a field, an unknown time zone, ...).' },
  'duplicate-map-key': { severity: 'error', stage: 'type', summary: 'A map literal has the same key twice.' },
  'template-recursive-partial': { severity: 'error', stage: 'template', summary: 'A partial includes itself in the same context and would render forever.' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function codeInfo(code: string): CodeInfo {
  return (CODES as Record<string, CodeInfo>)[code] ?? { severity: 'error', stage: 'project', summary: code };
}
