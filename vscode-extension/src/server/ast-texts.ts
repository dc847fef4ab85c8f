/**
 * Every expression and template text of a file, from its AST, with the path of the place it
 * is written: hover finds the text under the cursor here (with exact per-character offsets)
 * without parsing the YAML again.
 */
import type { ProjectFile, SourceText } from '@herald/dsl';
import type { PathSegment } from './yaml-context.js';

export interface PlacedText {
  readonly text: SourceText;
  readonly kind: 'expression' | 'template';
  /** Path of the value, as the schema and `scopeAt` read it. */
  readonly path: readonly PathSegment[];
}

export function placedTexts(ast: ProjectFile): PlacedText[] {
  const out: PlacedText[] = [];
  const e = (text: SourceText | undefined, path: PathSegment[]) => {
    if (text) out.push({ text, kind: 'expression', path });
  };
  switch (ast.kind) {
    case 'journey': {
      e(ast.trigger.subject, ['trigger', 'subject']);
      e(ast.trigger.when, ['trigger', 'when']);
      e(ast.trigger.key, ['trigger', 'key']);
      for (const b of ast.data) for (const a of b.args) e(a.expr, ['data', b.name.value, 'args', a.name.value]);
      ast.steps.forEach((s, i) => {
        switch (s.kind) {
          case 'set':
            for (const v of s.vars) e(v.expr, ['steps', i, 'set', v.name.value]);
            break;
          case 'wait':
            if (s.wait.mode === 'until') e(s.wait.until, ['steps', i, 'wait', 'until']);
            if (s.wait.mode === 'event') e(s.wait.match, ['steps', i, 'wait', 'match']);
            break;
          case 'branch':
            s.arms.forEach((a, j) => e(a.when, ['steps', i, 'branch', j, 'when']));
            break;
          case 'fetch':
            for (const b of s.bindings) for (const a of b.args) e(a.expr, ['steps', i, 'fetch', b.name.value, 'args', a.name.value]);
            break;
          case 'batch':
            e(s.match, ['steps', i, 'batch', 'match']);
            break;
          case 'emit':
            for (const d of s.data) e(d.expr, ['steps', i, 'emit', 'data', d.name.value]);
            break;
          default:
            break;
        }
      });
      break;
    }
    case 'policy':
      e(ast.order, ['order']);
      e(ast.quietHours?.timezone, ['quietHours', 'timezone']);
      e(ast.dedupe?.key, ['dedupe', 'key']);
      break;
    case 'template':
      for (const p of ast.partials) if (p.text.fromFile === undefined) out.push({ text: p.text, kind: 'template', path: ['partials', p.name.value] });
      for (const v of ast.variants) {
        for (const f of v.fields) {
          if (f.text.fromFile === undefined) out.push({ text: f.text, kind: 'template', path: [v.channel.value, v.locale.value, f.name.value] });
        }
      }
      break;
    case 'config':
      break;
  }
  return out;
}

/** The text whose characters include the offset. */
export function placedTextAt(list: readonly PlacedText[], file: string, offset: number): PlacedText | undefined {
  return list.find((p) => p.text.span.file === file && p.text.span.start <= offset && offset <= p.text.span.end);
}
