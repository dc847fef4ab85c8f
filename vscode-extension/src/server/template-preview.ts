/**
 * "Preview Template": every variant of a template rendered with sample data. The sample is
 * made from the types the template is checked against (the scope of a journey that sends
 * it), then overlaid with `<template id>.sample.json` beside the template when there is one,
 * and with data the client passes.
 */
import { posix } from 'node:path';
import { MESSAGE_KINDS, renderTemplate, type EventDecl, type JourneyFile } from '@herald/dsl';
import type { RenderedField, TemplatePreview } from '../shared/protocol.js';
import type { DocContext } from './doc-context.js';
import { sampleScope, type SampleFacts } from './sample-data.js';
import { scopeAt, templateOwner } from './scopes.js';

export function templatePreview(doc: DocContext, data: Record<string, unknown> | undefined): TemplatePreview | null {
  const path = templateOwner(doc) ?? doc.rel;
  const t = doc.project.ast(path);
  if (t?.kind !== 'template') return null;
  const place = scopeAt(doc, []);
  const sample = sampleScope(place?.scope ?? {}, sampleFacts(doc, place?.journey));
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
      const kind = MESSAGE_KINDS[v.channel.value]?.fields[f.name.value];
      const html = kind?.html ?? false;
      const base = { channel: v.channel.value, locale: v.locale.value, field: f.name.value, html };
      try {
        fields.push({ ...base, output: renderTemplate(f.text.text, view, partials, { html, json: kind?.json ?? false }) });
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

/** What the project says about the sample: its journey, default locale and time zone, channels. */
function sampleFacts(doc: DocContext, journey: JourneyFile | undefined): SampleFacts {
  const config = doc.project.config();
  return {
    journeyId: journey?.id.value,
    subjectPath: journey ? subjectPathOf(journey, config?.events.find((e) => e.name.value === journey.trigger.event.value)) : [],
    // The compiler's defaults when herald.yaml sets none (lower/lower-project.ts).
    locale: config?.defaults.locale?.value ?? 'en',
    timezone: config?.defaults.timezone?.value ?? 'UTC',
    channels: config?.channels.map((c) => c.name.value) ?? [],
  };
}

/** Where the trigger event holds the subject's id: `subject: event.customer.id`, or the event's declared subject field. */
function subjectPathOf(journey: JourneyFile, event: EventDecl | undefined): string[] {
  const written = journey.trigger.subject?.text.trim();
  if (written === undefined) return (event?.subject?.value ?? 'subjectId').split('.');
  const member = /^event((?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)+)$/.exec(written)?.[1];
  // Any other expression computes the id: no single field holds it.
  return member === undefined ? [] : member.split('.').map((s) => s.trim()).filter(Boolean);
}
