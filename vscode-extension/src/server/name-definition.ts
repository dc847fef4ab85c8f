/**
 * Go to definition for the names an expression or a template uses, and their fields:
 * `trigger.amount` goes to `amount` under the trigger event's `fields:` (or `schema:`) in
 * herald.yaml, `customer` to the journey's `data: customer:` and `customer.segment` to the
 * query's `returns:`, a `set` variable to each step that sets it, an event bound with `as:` to
 * that `as:`, `event` (a trigger condition, a wait's or batch's `match:`) to the event it is,
 * and `subject.<field>` to the project's `subject: fields:` or its enrichment query's `returns:`.
 * Names with no declaration in the project (`journey.*`, the built-in subject fields) have none.
 *
 * A field under a compact type written as one string (`items: list<{ sku: string }>`) goes to
 * that string: the declaration the field is part of.
 */
import { nodeAt, type JourneyFile, type Span, type YNode } from '@herald/dsl';
import { projectFileTree, type DocContext } from './doc-context.js';
import type { FileSpan } from './definition.js';
import type { NameChain } from './names-at.js';
import type { PathSegment } from './yaml-context.js';

/** Where the last name of `chain` is declared; `journey` is the journey whose scope the text is in, `path` where the text is. */
export function nameDefinitions(doc: DocContext, journey: JourneyFile | undefined, path: readonly PathSegment[], chain: NameChain): FileSpan[] {
  const [root, ...fields] = chain;
  const span = (s: Span): FileSpan => ({ file: s.file, start: s.start, end: s.end });
  if (root === 'subject') return subjectField(doc, fields);
  if (!journey) return [];
  if (root === 'trigger' || (root === 'event' && path[0] === 'trigger')) return eventField(doc, journey.trigger.event.value, fields);
  if (root === 'event') {
    const step = path[0] === 'steps' && typeof path[1] === 'number' ? journey.steps[path[1]] : undefined;
    const event = step?.kind === 'wait' && step.wait.mode === 'event' ? step.wait.event.value : step?.kind === 'batch' ? step.event.value : undefined;
    return event === undefined ? [] : eventField(doc, event, fields);
  }
  const bindings = [...journey.data, ...journey.steps.flatMap((s) => (s.kind === 'fetch' ? s.bindings : []))];
  const binding = bindings.find((b) => b.name.value === root);
  if (binding) {
    if (fields.length === 0) return [span(binding.name.span)];
    return configField(doc, ['sources', binding.source.value, 'queries', binding.query.value, 'returns'], fields);
  }
  for (const s of journey.steps) {
    const as = s.kind === 'wait' && s.wait.mode === 'event' ? { as: s.wait.as, event: s.wait.event.value } : s.kind === 'batch' ? { as: s.as, event: s.event.value } : undefined;
    if (as?.as?.value === root) return fields.length === 0 ? [span(as.as.span)] : eventField(doc, as.event, fields);
  }
  // A variable may be set by several steps: each is a definition.
  const sets = journey.steps.flatMap((s) => (s.kind === 'set' ? s.vars.filter((v) => v.name.value === root) : []));
  return fields.length === 0 ? sets.map((v) => span(v.name.span)) : [];
}

function eventField(doc: DocContext, event: string, fields: readonly string[]): FileSpan[] {
  const decl = doc.project.symbols().events.get(event);
  if (!decl) return [];
  if (fields.length === 0) return [{ file: decl.name.span.file, start: decl.name.span.start, end: decl.name.span.end }];
  return decl.schema !== undefined ? configField(doc, ['events', event, 'schema'], fields, true) : configField(doc, ['events', event, 'fields'], fields);
}

function subjectField(doc: DocContext, fields: readonly string[]): FileSpan[] {
  if (fields.length === 0) return [];
  const declared = configField(doc, ['subject', 'fields'], fields);
  if (declared.length > 0) return declared;
  const source = doc.project.config()?.subjectSource;
  return source ? configField(doc, ['sources', source.source.value, 'queries', source.query.value, 'returns'], fields) : [];
}

/** The key of `fields` (or the compact type string holding them) under the declaration at `base` in herald.yaml. */
function configField(doc: DocContext, base: readonly string[], fields: readonly string[], jsonSchema = false): FileSpan[] {
  const config = doc.project.config();
  if (!config) return [];
  const root = projectFileTree(doc, config.file);
  let node = root && nodeAt(root, base);
  let found: Span | undefined;
  for (const field of fields) {
    if (!node) return [];
    if (node.kind === 'scalar') {
      // A compact type written as one string: the field is inside it.
      found = node.span;
      break;
    }
    const entry = jsonSchema ? schemaProperty(node, field) : compactField(node, field);
    if (!entry) return [];
    found = entry.keySpan;
    node = entry.value;
  }
  return found ? [{ file: found.file, start: found.start, end: found.end }] : [];
}

type Entry = { readonly keySpan: Span; readonly value: YNode };

/** `field` (or `field?`, optional) of a compact type map, through a list's element type. */
function compactField(node: YNode, field: string): Entry | undefined {
  const map = node.kind === 'seq' ? node.items[0] : node;
  if (map?.kind !== 'map') return undefined;
  return map.entries.find((e) => e.key === field || e.key === `${field}?`);
}

/** `field` of a JSON Schema object, through `items` of an array. */
function schemaProperty(node: YNode, field: string): Entry | undefined {
  if (node.kind !== 'map') return undefined;
  const properties = node.entries.find((e) => e.key === 'properties')?.value;
  if (properties?.kind === 'map') return properties.entries.find((e) => e.key === field);
  const items = node.entries.find((e) => e.key === 'items')?.value;
  return items ? schemaProperty(items, field) : undefined;
}
