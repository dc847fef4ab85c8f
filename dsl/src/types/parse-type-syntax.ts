/**
 * The compact type syntax: `string`, `number`, `bool`, `timestamp`, `duration`, `any`,
 * `list<T>`, `map<T>`, `{name: T, note?: T}`; a trailing `?` marks an optional field.
 * Tiny and regular, so a hand-written recursive descent is clearer than a grammar.
 */
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { T, type Field, type Type } from './type.js';

export interface TypeSyntaxError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** For an unknown type name: the documented one it is a near miss of. */
  readonly suggestion?: string;
}

export type TypeParse = { ok: true; type: Type; optional: boolean } | { ok: false; error: TypeSyntaxError };

const PRIMITIVES: Record<string, Type> = {
  string: T.string,
  number: T.number,
  bool: T.bool,
  boolean: T.bool,
  timestamp: T.timestamp,
  duration: T.duration,
  any: T.dyn,
  dyn: T.dyn,
  null: T.null,
};

/**
 * The type names docs/dsl.md documents: what an unknown name is told and matched against.
 * `boolean`, `dyn` and `null` are accepted but not offered, so the list teaches one spelling.
 */
export const TYPE_NAMES = ['string', 'number', 'bool', 'timestamp', 'duration', 'any', 'list', 'map'];

class Fail extends Error {
  constructor(readonly at: TypeSyntaxError) {
    super(at.message);
  }
}

export function parseTypeSyntax(text: string): TypeParse {
  let pos = 0;
  const ws = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const fail = (message: string, start = pos, end = Math.max(start + 1, pos), suggestion?: string): never => {
    const at = { message, start, end: Math.min(end, Math.max(text.length, start + 1)) };
    throw new Fail(suggestion === undefined ? at : { ...at, suggestion });
  };
  const expect = (ch: string, what: string) => {
    ws();
    if (text[pos] !== ch) fail(`expected \`${ch}\` ${what}${pos < text.length ? `, found \`${text[pos]}\`` : ''}`);
    pos++;
  };
  const word = (): { text: string; start: number } => {
    ws();
    const start = pos;
    while (pos < text.length && /[A-Za-z0-9_]/.test(text[pos]!)) pos++;
    return { text: text.slice(start, pos), start };
  };
  const type = (): Type => {
    ws();
    if (text[pos] === '{') return object();
    const w = word();
    if (!w.text) fail(pos < text.length ? `unexpected \`${text[pos]}\`; expected a type` : 'expected a type');
    if (w.text === 'list' || w.text === 'map') {
      expect('<', `after \`${w.text}\``);
      const inner = type();
      expect('>', `to close \`${w.text}<\``);
      return w.text === 'list' ? T.list(inner) : T.map(inner);
    }
    const prim = PRIMITIVES[w.text];
    if (!prim) fail(`unknown type \`${w.text}\`; known: ${TYPE_NAMES.join(', ')}`, w.start, pos, didYouMean(w.text, TYPE_NAMES));
    return prim!;
  };
  const object = (): Type => {
    pos++; // {
    const fields: Record<string, Field> = {};
    ws();
    while (text[pos] !== '}') {
      const name = word();
      if (!name.text) fail('expected a field name');
      ws();
      let optional = false;
      if (text[pos] === '?') {
        optional = true;
        pos++;
      }
      expect(':', `after field \`${name.text}\``);
      const t = type();
      ws();
      if (text[pos] === '?') {
        optional = true;
        pos++;
      }
      if (name.text in fields) fail(`field \`${name.text}\` is declared twice`, name.start, name.start + name.text.length);
      fields[name.text] = { type: t, optional };
      ws();
      if (text[pos] === ',') {
        pos++;
        ws();
        continue;
      }
      if (text[pos] !== '}') fail(pos < text.length ? `expected \`,\` or \`}\`, found \`${text[pos]}\`` : 'expected `}` to close the object type');
    }
    pos++; // }
    return { kind: 'object', fields };
  };
  try {
    const t = type();
    ws();
    let optional = false;
    if (text[pos] === '?') {
      optional = true;
      pos++;
      ws();
    }
    if (pos < text.length) fail(`unexpected \`${text.slice(pos)}\` after the type`, pos, text.length);
    return { ok: true, type: t, optional };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.at };
    throw e;
  }
}
