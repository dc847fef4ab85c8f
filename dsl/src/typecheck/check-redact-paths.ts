/**
 * `unknown-redact-path` (warning): an `archive.redact` entry that can blank nothing. Redaction
 * is a promise that a value stays out of the archive; a typo (`content.txt`, `vars.trigger.ibn`)
 * would keep it there silently, since the runtime blanks only what it finds. So each entry is
 * read against what the project renders and keeps:
 * - `content.<field>`: a field some template variant renders, or one its message kind defines;
 * - `vars.<name>.<path>`: a name of some journey's render data (`trigger`, data loads, `set`
 *   variables, waited-for events, `journey`) and a path its type has, up to the first `any`,
 *   map or object without declared fields. `subject` is no render data (the profile is read
 *   when rendering and not kept), and a path through a list blanks nothing (runtime/src/archive/redact.ts
 *   does not enter lists): both are reported with what to do instead.
 * A warning: Herald runs as written, but the archive keeps what the entry meant to blank.
 *
 * `redacted-value-rendered` (warning): a `vars.*` entry blanks the render data, not what a
 * template rendered from it: a template that writes `{{customer.accountManager}}` into its
 * `html` puts the value in the archived content, unless `content.html` is redacted too. Found
 * by the tags' full paths (a tag inside a section, relative to it, is not followed), at the
 * entry, with the tag as related location.
 */
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { Problem } from '../diagnostics/report.js';
import { offsetInText, type Located, type TemplateFile, type TemplateVariant } from '../model/ast.js';
import { scanTemplate } from '../template/scan-template.js';
import type { TemplateTag } from '../template/template-problem.js';
import { MESSAGE_KINDS } from '../schema/template-schema.js';
import type { Type } from '../types/type.js';

type Scope = Readonly<Record<string, Type>>;

/** Where a path ends in one journey's render data: found, or why not (the segment that failed). */
type Resolution = { readonly ok: true } | { readonly ok: false; readonly at: number; readonly why: 'unknown' | 'list'; readonly known: readonly string[] };

function resolve(scope: Scope, path: readonly string[]): Resolution {
  const [root, ...rest] = path as [string, ...string[]];
  const names = Object.keys(scope).filter((n) => n !== 'subject');
  if (root === 'subject' || !(root in scope)) return { ok: false, at: 0, why: 'unknown', known: names };
  let t: Type = scope[root]!;
  for (let i = 0; i < rest.length; i++) {
    if (t.kind === 'dyn' || t.kind === 'map') return { ok: true };
    if (t.kind === 'list') return { ok: false, at: i + 1, why: 'list', known: [] };
    if (t.kind !== 'object') return { ok: false, at: i + 1, why: 'unknown', known: [] };
    const field: { readonly type: Type } | undefined = Object.hasOwn(t.fields, rest[i]!) ? t.fields[rest[i]!] : undefined;
    if (field === undefined) return { ok: false, at: i + 1, why: 'unknown', known: Object.keys(t.fields) };
    t = field.type;
  }
  return { ok: true };
}

export function redactPathProblems(redact: readonly Located<string>[], scopes: Iterable<Scope>, templates: readonly TemplateFile[]): Problem[] {
  const problems: Problem[] = [];
  const scopeList = [...scopes];
  const rendered = new Set<string>();
  for (const t of templates) for (const v of t.variants) for (const f of v.fields) rendered.add(f.name.value);
  const defined = new Set(Object.values(MESSAGE_KINDS).flatMap((k) => Object.keys(k.fields)));
  const redactedFields = new Set(redact.flatMap((r) => (r.value.startsWith('content.') ? [r.value.slice('content.'.length)] : [])));
  /** Parsed the first time a `vars.*` entry needs it. */
  let kept: KeptField[] | undefined;
  for (const entry of redact) {
    const [head, ...path] = entry.value.split('.');
    if (head === 'content' && path.length === 1) {
      const field = path[0]!;
      if (rendered.has(field) || defined.has(field)) continue;
      const candidates = [...new Set([...rendered, ...defined])].sort();
      const suggestion = didYouMean(field, candidates);
      problems.push({
        code: 'unknown-redact-path',
        message: `\`${entry.value}\` names no field a template renders, so it blanks nothing`,
        span: entry.span,
        hint: suggestion ? `did you mean \`content.${suggestion}\`?` : `the fields templates render here: ${candidates.map((c) => `\`${c}\``).join(', ')}`,
        ...(suggestion ? { fix: { title: `Change to content.${suggestion}`, span: entry.span, newText: `content.${suggestion}` } } : {}),
      });
    } else if (head === 'vars' && path.length > 0 && scopeList.length > 0) {
      const results = scopeList.map((s) => resolve(s, path));
      if (!results.some((r) => r.ok)) {
        problems.push(varsProblem(entry, path, results as Extract<Resolution, { ok: false }>[]));
        continue;
      }
      kept ??= keptFields(templates, redactedFields);
      const shown = renderedAt(path, kept);
      if (shown) problems.push(renderedProblem(entry, shown));
    }
  }
  return problems;
}

interface Rendering {
  readonly template: string;
  readonly field: string;
  readonly where: string;
  readonly span: Problem['span'];
}

/** A template field the archive keeps (not redacted itself), with the tags that output a value. */
interface KeptField {
  readonly template: TemplateFile;
  readonly variant: TemplateVariant;
  readonly field: TemplateVariant['fields'][number];
  readonly outputs: readonly TemplateTag[];
}

/** Every kept field's output tags, each template parsed once per check. */
function keptFields(templates: readonly TemplateFile[], redactedFields: ReadonlySet<string>): KeptField[] {
  return templates.flatMap((template) =>
    template.variants.flatMap((variant) =>
      variant.fields
        .filter((field) => !redactedFields.has(field.name.value))
        .map((field) => ({ template, variant, field, outputs: scanTemplate(field.text.text).tags.filter((g) => g.kind === 'name' || g.kind === 'unescaped') })),
    ),
  );
}

/** The first kept field that renders the value at `path` (or inside it). */
function renderedAt(path: readonly string[], kept: readonly KeptField[]): Rendering | undefined {
  const dotted = path.join('.');
  for (const { template, variant, field, outputs } of kept) {
    const tag = outputs.find((g) => g.path === dotted || g.path.startsWith(`${dotted}.`));
    if (!tag) continue;
    const start = offsetInText(field.text, tag.tagStart);
    const end = offsetInText(field.text, tag.tagEnd);
    return {
      template: template.id.value,
      field: field.name.value,
      where: `\`${variant.channel.value}\` variant \`${variant.locale.value}\``,
      span: start !== undefined && end !== undefined ? { file: field.text.span.file, start, end } : field.text.span,
    };
  }
  return undefined;
}

function renderedProblem(entry: Located<string>, shown: Rendering): Problem {
  return {
    code: 'redacted-value-rendered',
    message: `\`${entry.value}\` is blanked in the render data, but template \`${shown.template}\` renders it into \`${shown.field}\` (${shown.where}), which the archive keeps`,
    span: entry.span,
    hint: `add \`content.${shown.field}\` to \`redact\` to keep that field out of the archive too, or stop rendering the value`,
    related: [{ span: shown.span, message: 'rendered here' }],
  };
}

function varsProblem(entry: Located<string>, path: readonly string[], failures: readonly Extract<Resolution, { ok: false }>[]): Problem {
  const base = { code: 'unknown-redact-path', span: entry.span } as const;
  if (path[0] === 'subject') {
    return {
      ...base,
      message: `\`${entry.value}\` blanks nothing: the subject's profile is not kept with a message's render data`,
      hint: 'the archive keeps the rendered fields and the address (`to`); to keep a profile value out of it, redact the rendered field that shows it (`content.text`)',
    };
  }
  // The failure that got furthest is the one the author most likely meant.
  const best = failures.reduce((a, b) => (b.at > a.at ? b : a));
  const upTo = ['vars', ...path.slice(0, best.at)].join('.');
  if (best.why === 'list') {
    return {
      ...base,
      message: `\`${entry.value}\` goes through a list at \`${upTo}\`, and redaction does not enter lists, so it blanks nothing`,
      hint: `redact the whole list (\`${upTo}\`), or the rendered field that shows the value (\`content.text\`)`,
    };
  }
  const missing = path[best.at]!;
  const known = [...new Set(failures.filter((f) => f.at === best.at).flatMap((f) => f.known))].sort();
  const suggestion = didYouMean(missing, known);
  const fixed = suggestion === undefined ? undefined : ['vars', ...path.slice(0, best.at), suggestion, ...path.slice(best.at + 1)].join('.');
  return {
    ...base,
    message:
      best.at === 0
        ? `\`${entry.value}\`: no journey has \`${missing}\` in its render data, so it blanks nothing`
        : `\`${entry.value}\`: \`${['vars', ...path.slice(0, best.at)].join('.')}\` has no field \`${missing}\` in any journey, so it blanks nothing`,
    hint: fixed ? `did you mean \`${fixed}\`?` : known.length > 0 ? `known here: ${known.map((k) => `\`${k}\``).join(', ')}` : 'check the path against the event and data types in herald.yaml',
    ...(fixed ? { fix: { title: `Change to ${fixed}`, span: entry.span, newText: fixed } } : {}),
  };
}
