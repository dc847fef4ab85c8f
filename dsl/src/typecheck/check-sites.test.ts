import { describe, expect, it } from 'vitest';
import type { Problem } from '../diagnostics/report.js';
import type { SourceText } from '../model/ast.js';
import { T, type Type } from '../types/type.js';
import { checkSite } from './check-sites.js';

const at = (text: string): SourceText => ({ text, span: { file: 'j.journey.yaml', start: 0, end: text.length }, base: 0 });

function check(text: string, scope: Record<string, Type>): Problem[] {
  const out: Problem[] = [];
  checkSite(at(text), scope, T.bool, out);
  return out;
}

const scope = { user: T.object({ plan: T.string }), trigger: T.object({ plan: T.string }) };

describe('checkSite: `{{ }}` in an expression', () => {
  it('quotes the bare word left outside the braces when no name in scope is called that', () => {
    const [p, ...rest] = check('{{user.plan}} == pro', scope);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'expr-syntax', message: 'expressions are written without `{{ }}`: write `user.plan == "pro"`' });
    expect(p!.fix).toMatchObject({ title: 'Remove the braces', newText: JSON.stringify('user.plan == "pro"') });
    expect(check('pro != {{ trigger.plan }}', scope)[0]!.message).toBe('expressions are written without `{{ }}`: write `"pro" != trigger.plan`');
  });

  it('leaves names in scope, names inside the braces, functions and quoted text as written', () => {
    expect(check('{{user.plan}} == pro', { ...scope, pro: T.string })[0]!.fix!.newText).toBe(JSON.stringify('user.plan == pro'));
    expect(check('{{plan}} == "pro"', scope)[0]!.fix!.newText).toBe(JSON.stringify('plan == "pro"'));
    expect(check("{{trigger.plan}} == 'pro'", scope)[0]!.fix!.newText).toBe(JSON.stringify("trigger.plan == 'pro'"));
    expect(check('{{user.plan}} == now', scope)[0]!.fix!.newText).toBe(JSON.stringify('user.plan == now'));
    // Compared with no text: quoting would not make it right.
    expect(check('{{user.plan.size()}} == three', scope)[0]!.fix!.newText).toBe(JSON.stringify('user.plan.size() == three'));
  });
});
