/**
 * "Preview Template": every variant of a template rendered with sample data. The sample is
 * made from the types the template is checked against (the scope of a journey that sends
 * it), then overlaid with `<template id>.sample.json` beside the template when there is one,
 * and with data the client passes.
 */
import { posix } from 'node:path';
import { MESSAGE_KINDS, renderTemplate, type Type } from '@herald/dsl';
import type { RenderedField, TemplatePreview } from '../shared/protocol.js';
import type { DocContext } from './doc-context.js';
import { scopeAt, templateOwner } from './scopes.js';

export function templatePreview(doc: DocContext, data: Record<string, unknown> | undefined): TemplatePreview | null {
  const path = templateOwner(doc) ?? doc.rel;
  const t = doc.project.ast(path);
  if (t?.kind !== 'template') return null;
  const place = scopeAt(doc, []);
  const sample: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(place?.scope ?? {})) sample[name] = sampleValue(type, name);
  const sampleFile = posix.join(doc.project.root, posix.dirname(path), `${t.id.value}.sample.json`);
  const fromFile = doc.project.workspaceRead(sampleFile);
  let view: Record<string, unknown> = sample;
  if (fromFile !== undefined) {
    try {
      view = merge(view, JSON.parse(fromFile)) as Record<string, unknown>;
    } catch {
      // An unreadable sample file is ignored; the generated sample still renders.
    }
  }
  if (data) view = merge(view, data) as Record<string, unknown>;
  const partials: Record<string, string> = {};
  for (const p of t.partials) partials[p.name.value] = p.text.text;
  const fields: RenderedField[] = [];
  for (const v of t.variants) {
    for (const f of v.fields) {
      const html = MESSAGE_KINDS[v.channel.value]?.fields[f.name.value]?.html ?? false;
      const base = { channel: v.channel.value, locale: v.locale.value, field: f.name.value, html };
      try {
        fields.push({ ...base, output: renderTemplate(f.text.text, view, partials, { html }) });
      } catch (e) {
        fields.push({ ...base, output: '', error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  return { template: t.id.value, journey: place?.journey?.id.value ?? null, sample: view, fields };
}

function merge(a: unknown, b: unknown): unknown {
  if (isPlain(a) && isPlain(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
    return out;
  }
  return b === undefined ? a : b;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const SAMPLE_STRINGS: [RegExp, string][] = [
  [/e-?mail/i, 'ada@example.com'],
  [/phone|mobile/i, '+44 20 7946 0000'],
  [/^name$|fullName/i, 'Ada Lovelace'],
  [/first/i, 'Ada'],
  [/last/i, 'Lovelace'],
  [/currency/i, 'EUR'],
  [/locale/i, 'en'],
  [/time.?zone/i, 'Europe/London'],
  [/manager/i, 'Grace Hopper'],
  [/segment/i, 'business'],
  [/url|link/i, 'https://example.com/'],
  [/id$/i, 'INV-1001'],
];

/** A plausible value of a type, named after its field so a preview reads naturally. */
export function sampleValue(t: Type, name: string, depth = 0): unknown {
  switch (t.kind) {
    case 'string':
      return SAMPLE_STRINGS.find(([re]) => re.test(name))?.[1] ?? `${name}`;
    case 'number':
      return /amount|total|price/i.test(name) ? 1250.5 : /days?|count|late/i.test(name) ? 14 : 42;
    case 'bool':
      return true;
    case 'null':
      return null;
    case 'timestamp':
      return '2026-01-15T09:30:00.000Z';
    case 'duration':
      return 86_400_000;
    case 'list':
      return depth > 4 ? [] : [sampleValue(t.element, name.replace(/s$/, ''), depth + 1)];
    case 'map':
      return depth > 4 ? {} : { key: sampleValue(t.value, name, depth + 1) };
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const [k, f] of Object.entries(t.fields)) out[k] = sampleValue(f.type, k, depth + 1);
      return out;
    }
    case 'dyn':
      return `‹${name}›`;
  }
}
