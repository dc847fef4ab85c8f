import type { Problem } from '../diagnostics/report.js';
import type { BranchArm, DataBinding, JourneyFile, Located, NamedExpr, Reentry, SplitArm, Step, StepKind, UnbuiltStep, WaitFor } from '../model/ast.js';
import { get, getEntry, type YMap, type YNode } from '../parse/yaml-tree.js';
import { STEP_KIND_KEYS, stepKeys, WAIT_FOR_KEYS } from '../schema/journey-schema.js';
import type { Span } from '../source/source-file.js';
import { asMap, duration, entriesOf, num, oneOf, sourceText, str, unreadKeys } from './build-helpers.js';

export function buildJourney(file: string, root: YMap, problems: Problem[]): JourneyFile | undefined {
  const id = str(get(root, 'journey'));
  const trig = asMap(get(root, 'trigger'));
  const event = trig && str(get(trig, 'event'));
  if (!id || !trig || !event) return undefined;
  const stepsNode = get(root, 'steps');
  const steps: Step[] = [];
  const unbuiltSteps: UnbuiltStep[] = [];
  if (stepsNode?.kind === 'seq') {
    stepsNode.items.forEach((n, i) => {
      const s = asMap(n) && buildStep(asMap(n)!, i, problems);
      // A step that does not build keeps its place for linking: its problem is already reported.
      if (s) steps.push(s);
      else unbuiltSteps.push(unbuiltStep(n, i));
    });
  }
  return {
    kind: 'journey',
    file,
    span: root.span,
    id,
    description: str(get(root, 'description'))?.value,
    trigger: {
      event,
      subject: sourceText(get(trig, 'subject')),
      when: sourceText(get(trig, 'when')),
      key: sourceText(get(trig, 'key')),
      reentry: oneOf<Reentry>(get(trig, 'reentry'), ['never', 'after-exit', 'always']),
      span: trig.span,
    },
    data: bindings(get(root, 'data')),
    steps,
    unbuiltSteps,
  };
}

const SEND_KEYS = stepKeys('send');
const WAIT_KEYS = stepKeys('wait');

/** Keys whose text names a step, on a step and on the arms of a branch or split. */
const TARGET_KEYS = ['goto', 'onEvent', 'onTimeout'];
const ARM_TARGET_KEYS = ['goto', 'else'];

/** What linking can read of a step that does not build: its id, its kind key and the steps it names. */
function unbuiltStep(n: YNode, index: number): UnbuiltStep {
  const m = asMap(n);
  const kinds = m ? m.entries.filter((e) => STEP_KIND_KEYS.includes(e.key)) : [];
  const id = m && str(get(m, 'id'));
  const targets: Located<string>[] = [];
  const binds: Located<string>[] = [];
  for (const e of m?.entries ?? []) {
    const as = (e.key === 'batch' || e.key === 'wait') && e.value.kind === 'map' ? str(get(e.value, 'as')) : undefined;
    if (as) binds.push(as);
    const t = TARGET_KEYS.includes(e.key) ? str(e.value) : undefined;
    if (t) targets.push(t);
    if ((e.key === 'branch' || e.key === 'split') && e.value.kind === 'seq') {
      for (const arm of e.value.items) {
        const a = asMap(arm);
        for (const k of ARM_TARGET_KEYS) {
          const at = a && str(get(a, k));
          if (at) targets.push(at);
        }
      }
    }
  }
  return {
    kind: 'unbuilt',
    written: kinds.length === 1 ? (kinds[0]!.key as StepKind) : undefined,
    targets,
    binds,
    id,
    key: id?.value ?? `#${index + 1}`,
    index,
    span: n.span,
    kindSpan: kinds[0]?.keySpan ?? (m && getEntry(m, 'id')?.keySpan) ?? n.span,
  };
}

function bindings(n: YNode | undefined): DataBinding[] {
  const out: DataBinding[] = [];
  for (const e of entriesOf(n)) {
    const m = asMap(e.value);
    const source = m && str(get(m, 'source'));
    const query = m && str(get(m, 'query'));
    if (!m || !source || !query) continue;
    out.push({ name: { value: e.key, span: e.keySpan }, source, query, args: namedExprs(get(m, 'args')), span: m.span });
  }
  return out;
}

function namedExprs(n: YNode | undefined): NamedExpr[] {
  const out: NamedExpr[] = [];
  for (const e of entriesOf(n)) {
    const expr = sourceText(e.value);
    if (expr) out.push({ name: { value: e.key, span: e.keySpan }, expr });
  }
  return out;
}

function buildStep(m: YMap, index: number, problems: Problem[]): Step | undefined {
  const kinds = m.entries.filter((e) => STEP_KIND_KEYS.includes(e.key));
  if (kinds.length !== 1) return undefined; // reported by the shape stage
  const kindEntry = kinds[0]!;
  const id = str(get(m, 'id'));
  const base = { id, key: id?.value ?? `#${index + 1}`, index, span: m.span, kindSpan: kindEntry.keySpan };
  const v = kindEntry.value;
  switch (kindEntry.key) {
    case 'send': {
      const template = str(v);
      return template ? { ...base, kind: 'send', template, policy: str(get(m, 'policy')), unreadKeys: unreadKeys(m, SEND_KEYS, ['policy']) } : undefined;
    }
    case 'wait': {
      const wait = waitFor(v, kindEntry.keySpan, problems);
      if (!wait) return undefined;
      const unread = [...unreadKeys(m, WAIT_KEYS), ...(v.kind === 'map' ? unreadKeys(v, WAIT_FOR_KEYS) : [])];
      return { ...base, kind: 'wait', wait, onEvent: str(get(m, 'onEvent')), onTimeout: str(get(m, 'onTimeout')), unreadKeys: unread };
    }
    case 'branch': {
      if (v.kind !== 'seq') return undefined;
      const arms: BranchArm[] = [];
      let otherwise: Located<string> | undefined;
      for (const item of v.items) {
        const a = asMap(item);
        if (!a) continue;
        const els = str(get(a, 'else'));
        if (els) {
          otherwise = els;
          continue;
        }
        const when = sourceText(get(a, 'when'));
        const goto = str(get(a, 'goto'));
        if (when && goto) arms.push({ when, goto, span: a.span });
        else if (!getEntry(a, 'when') || !getEntry(a, 'goto'))
          problems.push({
            code: 'missing-key',
            message: `a branch arm needs \`when:\` and \`goto:\`, or just \`else:\``,
            span: a.span,
            hint: 'write `- when: <condition>` with `goto: <step>`, and end the list with `- else: <step>`',
          });
      }
      return { ...base, kind: 'branch', arms, otherwise };
    }
    case 'split': {
      if (v.kind !== 'seq') return undefined;
      const arms: SplitArm[] = [];
      for (const item of v.items) {
        const a = asMap(item);
        const weight = a && num(get(a, 'weight'));
        const goto = a && str(get(a, 'goto'));
        if (a && weight && goto) arms.push({ weight, goto, span: a.span });
      }
      return { ...base, kind: 'split', arms };
    }
    case 'set':
      return { ...base, kind: 'set', vars: namedExprs(v) };
    case 'fetch':
      return { ...base, kind: 'fetch', bindings: bindings(v) };
    case 'batch': {
      const b = asMap(v);
      const event = b && str(get(b, 'event'));
      const window = b && duration(get(b, 'window'));
      const as = b && str(get(b, 'as'));
      if (!b || !event || !window || !as) return undefined;
      return { ...base, kind: 'batch', event, window, as, match: sourceText(get(b, 'match')), max: num(get(b, 'max')) };
    }
    case 'emit': {
      const e = asMap(v);
      const event = e && str(get(e, 'event'));
      return e && event ? { ...base, kind: 'emit', event, data: namedExprs(get(e, 'data')) } : undefined;
    }
    case 'goto': {
      const target = str(v);
      return target ? { ...base, kind: 'goto', target } : undefined;
    }
    case 'exit': {
      const reason = str(v);
      return reason ? { ...base, kind: 'exit', reason } : undefined;
    }
    default:
      return undefined;
  }
}

function waitFor(v: YNode, kindSpan: Span, problems: Problem[]): WaitFor | undefined {
  if (v.kind === 'scalar') {
    const d = duration(v);
    return d ? { mode: 'duration', duration: d } : undefined;
  }
  const m = asMap(v);
  if (!m) return undefined;
  const until = sourceText(get(m, 'until'));
  const event = str(get(m, 'event'));
  if (until && event) {
    problems.push({
      code: 'invalid-value',
      message: 'a wait is either `until:` a time or for an `event:`, not both',
      span: getEntry(m, 'event')!.keySpan,
      hint: 'split it into two wait steps',
    });
    return undefined;
  }
  if (until) {
    for (const k of ['match', 'timeout', 'as']) {
      const e = getEntry(m, k);
      if (e) problems.push({ code: 'unknown-key', message: `\`${k}\` belongs to a wait for an event, not to \`until:\``, span: e.keySpan });
    }
    return { mode: 'until', until };
  }
  if (event) {
    const timeout = get(m, 'timeout');
    return { mode: 'event', event, match: sourceText(get(m, 'match')), timeout: duration(timeout), timeoutWritten: timeout !== undefined, as: str(get(m, 'as')) };
  }
  problems.push({
    code: 'missing-key',
    message: 'a wait mapping needs `until:` (a time) or `event:` (an event type)',
    span: m.entries[0]?.keySpan ?? kindSpan,
    hint: 'or write a duration directly: `wait: 3d`',
  });
  return undefined;
}
