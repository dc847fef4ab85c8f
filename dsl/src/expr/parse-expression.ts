/** Text -> AST: lex, parse (with recovery), build the AST; every problem with exact offsets. */
import type { IToken } from 'chevrotain';
import type { ExprNode } from './ast.js';
import { buildAst, tokenEnd, type BuildState } from './build-ast.js';
import { DURATION_HINT } from './duration.js';
import { parseTokens } from './parser.js';
import { compareProblems, exprError, type ExprProblem } from './problem.js';
import { exprLexer, MalformedNumber, UnterminatedString, UnterminatedTripleQuotedString } from './tokens.js';

export interface ParseResult {
  /** Undefined only when nothing could be read (empty text, or only bad characters). */
  readonly ast: ExprNode | undefined;
  readonly problems: ExprProblem[];
}

const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  '=': 'compare with `==`',
  '&': 'write `&&` for "and"',
  '|': 'write `||` for "or"',
  '#': 'comments start with `//`',
};

export function parseExpression(text: string): ParseResult {
  const problems: ExprProblem[] = [];
  const lexed = exprLexer.tokenize(text);
  for (const e of lexed.errors) {
    const chars = text.slice(e.offset, e.offset + e.length);
    const first = chars[0] ?? '';
    const what = chars.length === 1 ? 'character' : 'characters';
    problems.push(exprError('expr-syntax', `unexpected ${what} \`${chars}\``, e.offset, e.offset + e.length, CHARACTER_HINTS[first]));
  }
  for (const t of lexed.tokens) problems.push(...tokenProblems(t));

  if (lexed.tokens.length === 0) {
    if (problems.length === 0) {
      const at = text.length;
      problems.push(exprError('expr-syntax', 'expected an expression, found nothing', 0, at));
    }
    return { ast: undefined, problems };
  }

  const { cst, errors } = parseTokens(text, lexed.tokens);
  const lastEnd = tokenEnd(lexed.tokens[lexed.tokens.length - 1]!);
  for (const e of errors) {
    const t = e.token;
    const atEnd = Number.isNaN(t.startOffset);
    // A parse error right after characters the lexer dropped is a consequence of those: skip it.
    if (lexed.errors.length > 0 && followsLexerError(atEnd ? text.length : t.startOffset, lexed.tokens, lexed.errors)) continue;
    // Errors at the end of input point just after the last token, not at trailing blanks.
    const start = atEnd ? lastEnd : t.startOffset;
    const end = atEnd ? lastEnd : tokenEnd(t);
    problems.push(exprError('expr-syntax', e.message, start, end));
  }

  const state: BuildState = { problems, cursor: 0 };
  const ast = cst ? buildAst(cst, state) : undefined;
  return { ast, problems: dedupe(problems.sort(compareProblems)) };
}

/** Is there a lexer error between the token before `offset` and `offset`? */
function followsLexerError(offset: number, tokens: readonly IToken[], errors: readonly { offset: number }[]): boolean {
  let previousEnd = 0;
  for (const t of tokens) {
    if (t.startOffset >= offset) break;
    previousEnd = tokenEnd(t);
  }
  return errors.some((e) => e.offset >= previousEnd && e.offset < offset);
}

function tokenProblems(t: IToken): ExprProblem[] {
  const start = t.startOffset;
  const end = tokenEnd(t);
  switch (t.tokenType) {
    case UnterminatedString:
    case UnterminatedTripleQuotedString: {
      const quote = t.image.replace(/^[rR]/, '').slice(0, t.tokenType === UnterminatedString ? 1 : 3);
      return [exprError('expr-syntax', 'unterminated string', start, end, `close it with ${quote}`)];
    }
    case MalformedNumber: {
      const m = /^(\d+(?:\.\d+)?)(.*)$/.exec(t.image)!;
      if (m[2] === 'u' || m[2] === 'U') {
        return [exprError('expr-syntax', `unsigned literals like \`${t.image}\` are not supported: there is one number type`, start, end, `write \`${m[1]}\``)];
      }
      return [exprError('invalid-duration', `\`${t.image}\` is not a number or a duration`, start, end, DURATION_HINT)];
    }
    default:
      return [];
  }
}

/** Recovery can report the same spot twice; keep the first problem per (start, code). */
function dedupe(problems: ExprProblem[]): ExprProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.start}:${p.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
