/**
 * Random edits of a realistic template: scanning, checking and completion never throw,
 * every offset they return lies in the text, and the tag scanner agrees with Mustache on
 * every template Mustache parses (and reports a syntax problem on every one it rejects).
 * Seeded, so a failure reproduces; bounded, so it stays fast.
 */
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { T, type Type } from '../types/type.js';
import { checkTemplate, renderTemplate, scanTemplate, templateVariablesAt } from './index.js';
import { scanTags } from './scan-tags.js';

const SAMPLE = `{{! invoice reminder }}
<p>Dear {{ customer.name }},</p>
{{#items}}<li>{{sku}} x {{qty}} {{{note}}}</li>{{/items}}
{{^items}}Nothing due.{{/items}}
{{> footer}} {{& customer.email}} {{trigger.dueAt}}
{{=<% %>=}}<% customer.name %> <%={{ }}=%>{{.}}`;

const PIECES = ['{{', '}}', '{{{', '}}}', '{', '}', '#', '^', '/', '>', '&', '!', '=', '.', ' ', '\n', 'x', 'items', 'sku', '{{=<% %>=}}', '<%', '%>', '{{/items}}', '{{#items}}', '{{> footer}}', '{{> loop}}'];

const scope: Record<string, Type> = {
  customer: T.object({ name: T.string, email: T.string }),
  items: T.list(T.object({ sku: T.string, qty: T.number, note: T.string })),
  trigger: T.object({ dueAt: T.timestamp }),
};
const partials = { footer: 'Bye {{customer.name}}{{#items}}{{> loop}}{{/items}}', loop: '{{sku}}{{> loop}}' };
const view = { customer: { name: 'Ann', email: 'a@x' }, items: [{ sku: 'A', qty: 1, note: '<b>' }], trigger: { dueAt: new Date(0) } };

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, random: () => number): string {
  const int = (n: number) => Math.floor(random() * n);
  let out = text;
  for (let edits = 1 + int(4); edits > 0; edits--) {
    const at = int(out.length + 1);
    switch (int(3)) {
      case 0:
        out = out.slice(0, at) + PIECES[int(PIECES.length)]! + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + int(6));
        break;
      default: {
        const from = int(out.length + 1);
        out = out.slice(0, at) + out.slice(from, from + int(12)) + out.slice(at);
      }
    }
  }
  return out;
}

type Token = [string, string, number, number, ...unknown[]];
function flatten(tokens: readonly Token[], out: [string, string, number, number][] = []): [string, string, number, number][] {
  for (const t of tokens) {
    if (t[0] === 'text') continue;
    out.push([t[0], t[1], t[2], t[3]]);
    if (t[0] === '#' || t[0] === '^') flatten(t[4] as Token[], out);
  }
  return out;
}

const LINT = ['the tag names nothing', 'tag is not closed before the next'];

describe('template fuzz', () => {
  it('never throws, stays in bounds and agrees with Mustache on a few thousand mutations', () => {
    const random = prng(20240501);
    let parsedByMustache = 0;
    for (let i = 0; i < 3000; i++) {
      const text = mutate(SAMPLE, random);
      const context = `mutation ${i}: ${JSON.stringify(text)}`;

      const scanned = scanTemplate(text);
      const problems = [...scanned.problems, ...checkTemplate(text, { scope, partials, html: random() < 0.5 })];
      for (const p of problems) {
        expect(0 <= p.start && p.start <= p.end && p.end <= text.length, context).toBe(true);
      }
      for (const t of scanned.tags) {
        expect(text.slice(t.start, t.end), context).toBe(t.path);
        expect(t.tagStart <= t.start && t.end <= t.tagEnd, context).toBe(true);
      }
      templateVariablesAt(text, Math.floor(random() * (text.length + 1)), scope);

      let tokens: Token[] | undefined;
      try {
        tokens = new Mustache.Writer().parse(text) as Token[];
      } catch {
        tokens = undefined;
      }
      const syntax = scanned.problems.filter((p) => p.code === 'template-syntax');
      if (tokens) {
        parsedByMustache++;
        const ours = scanTags(text)
          .tags.filter((t) => t.sigil !== '/')
          .map((t) => [t.sigil === '{' ? '&' : t.sigil, t.value, t.tagStart, t.tagEnd]);
        expect(ours, context).toEqual(flatten(tokens));
        expect(syntax.filter((p) => !LINT.some((l) => p.message.startsWith(l))), context).toEqual([]);
        expect(() => renderTemplate(text, view, {}, { html: true }), context).not.toThrow();
      } else {
        expect(syntax.length, context).toBeGreaterThan(0);
      }
    }
    // The mutations must exercise both sides.
    expect(parsedByMustache).toBeGreaterThan(300);
    expect(parsedByMustache).toBeLessThan(2700);
  });
});
