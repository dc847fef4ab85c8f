/**
 * Names a journey binds (data and fetch bindings, `set` variables, a wait's or batch's
 * `as`) share one scope with the built-in names.
 * `reserved-name`: a binding named `trigger`, `subject`, `event`, `journey` or `now`.
 * `duplicate-variable`: one name bound to values of different kinds: two bindings of
 * different queries, a binding and a `set`, events of different types. Several `set`
 * steps assigning one variable are fine: that is what variables are for.
 */
import type { JourneyFile, Located } from '../../model/ast.js';
import type { LinkRule } from '../link-context.js';

export const RESERVED_NAMES: readonly string[] = ['trigger', 'subject', 'event', 'journey', 'now'];

interface Binding {
  readonly name: Located<string>;
  /** What it binds, in words; two bindings of one name conflict when these differ. */
  readonly what: string;
  /** What kind of name it is, for messages: "a data binding name", "a `set` variable". */
  readonly by: string;
}

export const reservedNames: LinkRule = ({ model, report }) => {
  for (const j of model.journeys) {
    const first = new Map<string, Binding>();
    for (const b of bindingsOf(j)) {
      const name = b.name.value;
      if (RESERVED_NAMES.includes(name)) {
        report({
          code: 'reserved-name',
          message: `\`${name}\` is a built-in name and cannot be used as ${b.by}`,
          span: b.name.span,
          hint: `rename it; ${RESERVED_NAMES.map((n) => `\`${n}\``).join(', ')} are built in`,
        });
        continue;
      }
      const earlier = first.get(name);
      if (!earlier) {
        first.set(name, b);
        continue;
      }
      if (earlier.what === b.what) continue;
      report({
        code: 'duplicate-variable',
        message: `variable \`${name}\` is bound twice: to ${earlier.what} and here to ${b.what}`,
        span: b.name.span,
        hint: 'use a different name for one of them',
        related: [{ span: earlier.name.span, message: `\`${name}\` is first bound here` }],
      });
    }
  }
};

/** Every binding of the journey in the order a reader meets them: `data:` first, then the steps. */
function bindingsOf(j: JourneyFile): Binding[] {
  const out: Binding[] = [];
  for (const d of j.data) out.push({ name: d.name, what: `the result of query \`${d.source.value}.${d.query.value}\``, by: 'a data binding name' });
  for (const step of j.steps) {
    switch (step.kind) {
      case 'fetch':
        for (const d of step.bindings) out.push({ name: d.name, what: `the result of query \`${d.source.value}.${d.query.value}\``, by: 'a fetch binding name' });
        break;
      case 'set':
        for (const v of step.vars) out.push({ name: v.name, what: 'a `set` variable', by: 'a `set` variable' });
        break;
      case 'wait':
        if (step.wait.mode === 'event' && step.wait.as)
          out.push({ name: step.wait.as, what: `the \`${step.wait.event.value}\` event`, by: "a wait's `as:` name" });
        break;
      case 'batch':
        out.push({ name: step.as, what: `a list of \`${step.event.value}\` events`, by: "a batch's `as:` name" });
        break;
      default:
        break;
    }
  }
  return out;
}
