/**
 * Renders the chosen variant of a template for one subject: each field with Mustache
 * (`renderTemplate` from @herald/dsl), HTML-escaping only the fields `MESSAGE_KINDS` marks as
 * HTML (an email's `html`, a letter's), so `&` in an SMS stays `&`.
 */
import { MESSAGE_KINDS, renderTemplate } from '@herald/dsl/render';
import type { TemplateIR } from '@herald/dsl';
import type { SubjectProfile } from '../engine/types.js';
import type { JourneyMetaView } from './pool-tasks.js';
import { selectVariant } from './select-variant.js';

export type RenderedMessage =
  | { readonly ok: true; readonly kind: string; readonly locale: string; readonly fields: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly error: string };

/** The names templates see: the instance's vars, `subject`, and `journey` (as expressions do). */
export function templateView(vars: Readonly<Record<string, unknown>>, subject: SubjectProfile, journey: JourneyMetaView): Record<string, unknown> {
  return { ...vars, subject, journey };
}

export function renderMessage(
  template: TemplateIR,
  channelKind: string,
  view: Readonly<Record<string, unknown>>,
  subjectLocale: string | undefined,
  defaultLocale: string,
  channelName?: string,
): RenderedMessage {
  const variant = selectVariant(template, channelKind, subjectLocale, defaultLocale, channelName);
  if (!variant.ok) return variant;
  const htmlFields = MESSAGE_KINDS[variant.kind]?.fields;
  const fields: Record<string, string> = {};
  try {
    for (const [name, text] of Object.entries(variant.fields)) {
      const field = htmlFields?.[name];
      fields[name] = renderTemplate(text, view, template.partials, { html: field?.html ?? false, json: field?.json ?? false });
    }
  } catch (error) {
    return { ok: false, error: `template ${template.id} (${variant.kind}/${variant.locale}) failed to render: ${(error as Error).message}` };
  }
  return { ok: true, kind: variant.kind, locale: variant.locale, fields };
}
