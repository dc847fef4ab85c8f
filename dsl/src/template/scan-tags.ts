/**
 * Where each Mustache tag is, character by character: the scanning half of mustache.js
 * 4.2.0's `parseTemplate`, driven by Mustache's own `Scanner` with the same regular
 * expressions, so the tag boundaries are Mustache's.
 *
 * Why this exists next to `Mustache.parse`: Mustache's tokens give a tag's start and end
 * but not where its trimmed name sits inside it, nor whether it was `{{{x}}}` or `{{&x}}`;
 * its errors carry an offset only sometimes (an unclosed tag is reported at the end of the
 * text, a bad `{{=...=}}` at no offset); and it stops at the first error. This scanner
 * answers those and keeps going, so the editor still gets checking and completion in a
 * half-typed template. Mustache stays the authority on how a template renders:
 * parse-template.ts uses Mustache's token tree whenever Mustache parses the text, and
 * fuzz.test.ts checks that the two agree on every tag.
 */
import Mustache from 'mustache';

export type TagSigil = 'name' | '&' | '{' | '#' | '^' | '/' | '>' | '!' | '=';

export type Delimiters = readonly [open: string, close: string];

export const DEFAULT_DELIMITERS: Delimiters = ['{{', '}}'];

export interface ScannedTag {
  /** `{` for a triple mustache (Mustache itself turns it into `&`). */
  readonly sigil: TagSigil;
  /** Exactly Mustache's token value. */
  readonly value: string;
  readonly tagStart: number;
  readonly tagEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** The delimiters in force when the tag was read. */
  readonly delimiters: Delimiters;
}

/** A tag whose closing delimiter never comes; Mustache throws "Unclosed tag" and reads no further. */
export interface UnclosedTag {
  readonly sigil: TagSigil;
  readonly tagStart: number;
  readonly valueStart: number;
  readonly delimiters: Delimiters;
}

export interface TagScan {
  readonly tags: readonly ScannedTag[];
  readonly unclosed?: UnclosedTag;
  /** `{{=...=}}` tags that do not give two delimiters (Mustache throws "Invalid tags"); they are skipped. */
  readonly invalidDelimiters: readonly ScannedTag[];
}

// The same expressions as mustache.js 4.2.0.
const whiteRe = /\s*/;
const spaceRe = /\s+/;
const equalsRe = /\s*=/;
const curlyRe = /\s*\}/;
const tagRe = /#|\^|\/|>|\{|&|=|!/;

function escapeRegExp(s: string): string {
  return s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');
}

interface TagExpressions {
  readonly opening: RegExp;
  readonly closing: RegExp;
  readonly closingCurly: RegExp;
}

function compileDelimiters([open, close]: Delimiters): TagExpressions {
  return {
    opening: new RegExp(escapeRegExp(open) + '\\s*'),
    closing: new RegExp('\\s*' + escapeRegExp(close)),
    closingCurly: new RegExp('\\s*' + escapeRegExp('}' + close)),
  };
}

/** Mustache's reading of a `{{=<% %>=}}` value, or undefined where Mustache throws "Invalid tags". */
export function parseDelimiters(value: string): Delimiters | undefined {
  const parts = value.split(spaceRe, 2);
  if (parts.length !== 2) return undefined;
  return [parts[0]!, parts[1]!];
}

export function scanTags(text: string, initial: Delimiters = DEFAULT_DELIMITERS): TagScan {
  const tags: ScannedTag[] = [];
  const invalidDelimiters: ScannedTag[] = [];
  let delimiters = initial;
  let re = compileDelimiters(delimiters);
  const scanner = new Mustache.Scanner(text);

  while (!scanner.eos()) {
    scanner.scanUntil(re.opening);
    const tagStart = scanner.pos;
    if (!scanner.scan(re.opening)) break;

    const sigil = (scanner.scan(tagRe) || 'name') as TagSigil;
    scanner.scan(whiteRe);
    const valueStart = scanner.pos;
    let value: string;
    if (sigil === '=') {
      value = scanner.scanUntil(equalsRe);
      scanner.scan(equalsRe);
      scanner.scanUntil(re.closing);
    } else if (sigil === '{') {
      value = scanner.scanUntil(re.closingCurly);
      scanner.scan(curlyRe);
      scanner.scanUntil(re.closing);
    } else {
      value = scanner.scanUntil(re.closing);
    }

    if (!scanner.scan(re.closing)) {
      return { tags, unclosed: { sigil, tagStart, valueStart, delimiters }, invalidDelimiters };
    }
    const tag: ScannedTag = {
      sigil,
      value,
      tagStart,
      tagEnd: scanner.pos,
      valueStart,
      valueEnd: valueStart + value.length,
      delimiters,
    };
    tags.push(tag);

    if (sigil === '=') {
      const next = parseDelimiters(value);
      if (next) {
        delimiters = next;
        re = compileDelimiters(next);
      } else {
        invalidDelimiters.push(tag);
      }
    }
  }
  return { tags, invalidDelimiters };
}
