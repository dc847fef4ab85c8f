/**
 * The expression language's tokens, declared once. Order matters: chevrotain takes the first
 * pattern that matches, so longer operators come before their prefixes (`??` before `?`) and
 * duration literals before numbers. Labels are what error messages show.
 */
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED, line_breaks: true });
/** CEL allows `//` line comments; handy in multi-line YAML block scalars. */
export const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\n\r]*/, group: Lexer.SKIPPED });

// --- categories (never produced by the lexer, matched by the parser) ---
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, label: 'a string' });
/** Anything that may follow `.`: identifiers and the keywords (`a.in` reads field `in`). */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });
export const RelOp = createToken({ name: 'RelOp', pattern: Lexer.NA, label: 'a comparison' });
export const AddOp = createToken({ name: 'AddOp', pattern: Lexer.NA, label: '`+` or `-`' });
export const MulOp = createToken({ name: 'MulOp', pattern: Lexer.NA, label: '`*`, `/` or `%`' });

// --- strings: `"..."`, `'...'`, raw `r"..."`, triple-quoted `"""..."""` (CEL) ---
export const TripleQuotedString = createToken({
  name: 'TripleQuotedString',
  pattern: /[rR]?(?:"""[\s\S]*?"""|'''[\s\S]*?''')/,
  categories: [StringLiteral],
  line_breaks: true,
  start_chars_hint: ['r', 'R', '"', "'"],
});
/** Reported as `expr-syntax` "unterminated string" but still parsed as a string, so the parser goes on. */
export const UnterminatedTripleQuotedString = createToken({
  name: 'UnterminatedTripleQuotedString',
  pattern: /[rR]?(?:"""|''')[\s\S]*/,
  categories: [StringLiteral],
  line_breaks: true,
  start_chars_hint: ['r', 'R', '"', "'"],
});
export const RawString = createToken({
  name: 'RawString',
  pattern: /[rR](?:"[^"\n\r]*"|'[^'\n\r]*')/,
  categories: [StringLiteral],
  start_chars_hint: ['r', 'R'],
});
export const QuotedString = createToken({
  name: 'QuotedString',
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"|'(?:[^'\\\n\r]|\\[^\n\r])*'/,
  categories: [StringLiteral],
  start_chars_hint: ['"', "'"],
});
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /[rR]?(?:"(?:[^"\\\n\r]|\\[^\n\r])*|'(?:[^'\\\n\r]|\\[^\n\r])*)\\?/,
  categories: [StringLiteral],
  start_chars_hint: ['r', 'R', '"', "'"],
});

// --- numbers and durations ---
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** `30s`, `1h30m`, `500ms`, `1.5h` (an extension to CEL). */
export const DurationLiteral = createToken({
  name: 'DurationLiteral',
  pattern: /(?:\d+(?:\.\d+)?(?:ms|[smhdw]))+(?![A-Za-z0-9_])/,
  label: 'a duration',
  start_chars_hint: DIGITS,
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![A-Za-z0-9_])/,
  label: 'a number',
  start_chars_hint: DIGITS,
});
/** A number glued to letters that are not a duration unit (`30x`, `5min`, `1u`): reported, parsed as a number. */
export const MalformedNumber = createToken({
  name: 'MalformedNumber',
  pattern: /\d+(?:\.\d+)?[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a number',
  start_chars_hint: DIGITS,
});

// --- names ---
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name],
  label: 'a name',
});
export const True = createToken({ name: 'True', pattern: 'true', longer_alt: Identifier, categories: [Name], label: '`true`' });
export const False = createToken({ name: 'False', pattern: 'false', longer_alt: Identifier, categories: [Name], label: '`false`' });
export const Null = createToken({ name: 'Null', pattern: 'null', longer_alt: Identifier, categories: [Name], label: '`null`' });
export const In = createToken({ name: 'In', pattern: 'in', longer_alt: Identifier, categories: [Name, RelOp], label: '`in`' });

// --- operators and punctuation ---
function punct(name: string, text: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern: text, label: `\`${text}\``, categories });
}
export const QuestionQuestion = punct('QuestionQuestion', '??');
export const Question = punct('Question', '?');
export const OrOr = punct('OrOr', '||');
export const AndAnd = punct('AndAnd', '&&');
export const EqEq = punct('EqEq', '==', [RelOp]);
export const NotEq = punct('NotEq', '!=', [RelOp]);
export const LessEq = punct('LessEq', '<=', [RelOp]);
export const GreaterEq = punct('GreaterEq', '>=', [RelOp]);
export const Less = punct('Less', '<', [RelOp]);
export const Greater = punct('Greater', '>', [RelOp]);
export const Bang = punct('Bang', '!');
export const Plus = punct('Plus', '+', [AddOp]);
export const Minus = punct('Minus', '-', [AddOp]);
export const Star = punct('Star', '*', [MulOp]);
export const Slash = punct('Slash', '/', [MulOp]);
export const Percent = punct('Percent', '%', [MulOp]);
export const Dot = punct('Dot', '.');
export const Comma = punct('Comma', ',');
export const Colon = punct('Colon', ':');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');

/** In lexing priority order; the categories (pattern `Lexer.NA`) are here for the parser's vocabulary. */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  Name,
  RelOp,
  AddOp,
  MulOp,
  TripleQuotedString,
  UnterminatedTripleQuotedString,
  RawString,
  QuotedString,
  UnterminatedString,
  DurationLiteral,
  NumberLiteral,
  MalformedNumber,
  True,
  False,
  Null,
  In,
  Identifier,
  QuestionQuestion,
  Question,
  OrOr,
  AndAnd,
  EqEq,
  NotEq,
  LessEq,
  GreaterEq,
  Less,
  Greater,
  Bang,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Dot,
  Comma,
  Colon,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
];

export const exprLexer = new Lexer([...ALL_TOKENS], {
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
});
