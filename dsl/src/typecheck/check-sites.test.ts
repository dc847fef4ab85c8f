import { describe, expect, it } from 'vitest';
import type { Problem } from '../diagnostics/report.js';
import type { SourceText } from '../model/ast.js';
import { T, type Type } from '../types/type.js';
import { checkJourney, checkSite } from './check-sites.js';
import { BASE_CONFIG, buildTestProject, describeProblem } from '../link/rules/test-project.js';
import { buildSymbols } from '../link/symbols.js';

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

describe('data load arguments', () => {
  function check(load: string) {
    const files = {
      'herald.yaml': BASE_CONFIG,
      'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\ndata:\n  customer: ${load}\nsteps:\n  - exit: done\n`,
    };
    const { model, files: all } = buildTestProject(files);
    const { problems } = checkJourney(model.journeys[0]!, buildSymbols(model), model.config);
    // Only what is said of the load (BASE_CONFIG's invoice.overdue names no subject, which is said too).
    return problems.filter((p) => p.message.includes('query `')).map((p) => describeProblem(all, p));
  }

  it('accepts the arguments the query declares', () => {
    expect(check('{ source: crm, query: customerById, args: { id: trigger.customerId } }')).toEqual([]);
  });

  it('reports an argument the query does not declare, with a did-you-mean and its fix, and the one it then lacks', () => {
    expect(check('{ source: crm, query: customerById, args: { idd: trigger.customerId } }')).toEqual([
      expect.objectContaining({
        code: 'unknown-field',
        at: 'idd',
        message: 'query `crm.customerById` has no argument `idd`',
        hint: 'did you mean `id`?',
        fix: expect.objectContaining({ newText: 'id' }),
      }),
      expect.objectContaining({ code: 'missing-key', at: 'customerById', message: 'query `crm.customerById` needs `id` in `args:`', hint: 'its arguments: id' }),
    ]);
  });

  it('reports missing arguments, none given at all included', () => {
    expect(check('{ source: crm, query: customerById }').map((p) => [p.code, p.message])).toEqual([['missing-key', 'query `crm.customerById` needs `id` in `args:`']]);
    expect(check('{ source: crm, query: customerById, args: {} }').map((p) => p.code)).toEqual(['missing-key']);
  });

  it('lists the arguments when an unknown one is nothing like them', () => {
    const r = check('{ source: crm, query: customerById, args: { id: trigger.customerId, region: "\'eu\'" } }');
    expect(r.map((p) => [p.code, p.message, p.hint])).toEqual([['unknown-field', 'query `crm.customerById` has no argument `region`', 'its arguments: id']]);
  });
});

describe('quick fixes for names in expressions', () => {
  function fixes(steps: string) {
    const files = { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue, subject: event.invoiceId }\nsteps:\n${steps}` };
    const { model, files: all } = buildTestProject(files);
    const { problems } = checkJourney(model.journeys[0]!, buildSymbols(model), model.config);
    const text = all['j.journey.yaml']!;
    return problems.filter((p) => p.fix).map((p) => [p.code, text.slice(p.fix!.span.start, p.fix!.span.end), p.fix!.newText]);
  }

  it('a did-you-mean for a field, a variable or a function comes with the edit that makes it', () => {
    expect(fixes('  - set: { a: "trigger.invoiceIdd", b: "uppr(trigger.invoiceId)" }\n  - set: { c: "aa + trigger.invoiceId" }\n')).toEqual([
      ['unknown-field', 'invoiceIdd', 'invoiceId'],
      ["unknown-function", "uppr", "upper"],
      ['unknown-variable', 'aa', 'a'],
    ]);
  });
});
