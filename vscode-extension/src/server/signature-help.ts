/**
 * Signature help in expressions: inside `daysBetween(trigger.dueDate, |` the function's
 * signatures, with the parameter being written marked, from the function library's own table
 * (the checker's, `FUNCTIONS`). The call is found by reading the text up to the cursor — the
 * expression is half written when this is asked, so it does not parse — and method-style calls
 * (`s.contains(|`) get the method signatures, global ones the global.
 */
import { FUNCTIONS, indexInText } from '@herald/dsl';
import type { ParameterInformation, SignatureHelp, SignatureInformation } from 'vscode-languageserver';
import { placedTextAt, placedTexts } from './ast-texts.js';
import type { DocContext } from './doc-context.js';

export interface OpenCall {
  readonly name: string;
  /** Written as a method (`x.name(`): the receiver is no parameter of the signature shown. */
  readonly method: boolean;
  /** Which argument the cursor is in, from 0. */
  readonly argument: number;
}

/** The innermost call whose argument list the text ends inside; undefined outside any. */
export function openCallAt(text: string): OpenCall | undefined {
  const open: { readonly at: number; readonly bracket: string; commas: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      // A string literal: skip to its end (a backslash escapes the next character).
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{') open.push({ at: i, bracket: c, commas: 0 });
    else if (c === ')' || c === ']' || c === '}') open.pop();
    else if (c === ',' && open.length > 0) open[open.length - 1]!.commas++;
  }
  for (let k = open.length - 1; k >= 0; k--) {
    const frame = open[k]!;
    if (frame.bracket !== '(') continue;
    const before = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(0, frame.at));
    // `(a + b)`: grouping, not a call; the call is further out.
    if (!before) continue;
    const method = /\.\s*$/.test(text.slice(0, before.index));
    return { name: before[1]!, method, argument: frame.commas };
  }
  return undefined;
}

/** A signature's parameters as `[start, end]` offsets in it: `f(a: T, list<map<string, T>>) -> T`. */
export function parameterSpans(signature: string): [number, number][] {
  const openAt = signature.indexOf('(');
  if (openAt < 0) return [];
  const spans: [number, number][] = [];
  let depth = 0;
  let start = openAt + 1;
  for (let i = start; i < signature.length; i++) {
    const c = signature[i]!;
    if (c === '<' || c === '(' || c === '[' || c === '{') depth++;
    else if ((c === '>' && signature[i - 1] !== '-') || c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) {
        if (signature.slice(start, i).trim() !== '') spans.push(trimmed(signature, start, i));
        return spans;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      spans.push(trimmed(signature, start, i));
      start = i + 1;
    }
  }
  return spans;
}

function trimmed(s: string, start: number, end: number): [number, number] {
  while (start < end && s[start] === ' ') start++;
  while (end > start && s[end - 1] === ' ') end--;
  return [start, end];
}

export function signatureHelp(doc: DocContext, offset: number): SignatureHelp | null {
  const ast = doc.project.ast(doc.rel);
  const placed = ast && placedTextAt(placedTexts(ast), doc.rel, offset);
  if (!placed || placed.kind !== 'expression') return null;
  const idx = indexInText(placed.text, offset);
  if (idx === undefined) return null;
  const call = openCallAt(placed.text.text.slice(0, idx));
  const f = call && FUNCTIONS.find((x) => x.name === call.name);
  if (!call || !f) return null;
  const isMethod = (s: string) => !s.startsWith(`${f.name}(`);
  const shown = f.signatures.filter((s) => isMethod(s) === call.method);
  if (shown.length === 0) return null;
  const signatures: SignatureInformation[] = shown.map((label) => ({
    label,
    documentation: { kind: 'markdown', value: `${f.doc}\n\n_Example:_ \`${f.example}\`` },
    parameters: parameterSpans(label).map((span): ParameterInformation => ({ label: span })),
  }));
  // The first signature with a parameter at that place (a variadic one takes any).
  const fits = signatures.findIndex((s) => (s.parameters?.length ?? 0) > call.argument || s.label.includes('...'));
  const active = Math.max(0, fits);
  const count = signatures[active]!.parameters?.length ?? 0;
  return { signatures, activeSignature: active, activeParameter: Math.min(call.argument, Math.max(0, count - 1)) };
}
