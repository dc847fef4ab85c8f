/**
 * The grammar, CEL's (https://github.com/google/cel-spec/blob/master/doc/langdef.md#syntax)
 * with `??` between `?:` and `||`. Rules only describe syntax; `build-ast.ts` gives the
 * concrete syntax tree its meaning. Error recovery is on, so one parse reports several errors.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { CstParser, EOF } from './chevrotain.js';
import {
  ALL_TOKENS,
  AddOp,
  AndAnd,
  Bang,
  Colon,
  Comma,
  Dot,
  DurationLiteral,
  False,
  Identifier,
  LBrace,
  LBracket,
  LParen,
  MalformedNumber,
  Minus,
  MulOp,
  Name,
  Null,
  NumberLiteral,
  OrOr,
  Question,
  QuestionQuestion,
  RBrace,
  RBracket,
  RelOp,
  RParen,
  StringLiteral,
  True,
} from './tokens.js';

/** What the message provider needs to know about the parse in progress (set by `parseTokens`). */
interface ParseContext {
  text: string;
  tokens: readonly IToken[];
}

const context: ParseContext = { text: '', tokens: [] };

const CLOSER_TO_OPENER = new Map<TokenType, TokenType>([
  [RParen, LParen],
  [RBracket, LBracket],
  [RBrace, LBrace],
]);

function describeToken(token: IToken): string {
  return token.tokenType === EOF ? 'the end of the expression' : `\`${token.image}\``;
}

function labelOf(type: TokenType): string {
  return type.LABEL ?? type.name;
}

/** 1-based line and column of an offset in the expression, "column 5" or "line 2, column 3". */
function where(offset: number): string {
  const before = context.text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return line === 1 ? `column ${column}` : `line ${line}, column ${column}`;
}

/** The innermost opener of `openerType` still unclosed before `offset`. */
function unclosedOpener(openerType: TokenType, offset: number): IToken | undefined {
  const stack: IToken[] = [];
  for (const t of context.tokens) {
    if (!(t.startOffset < offset)) break;
    if (t.tokenType === LParen || t.tokenType === LBracket || t.tokenType === LBrace) stack.push(t);
    else {
      const opener = CLOSER_TO_OPENER.get(t.tokenType);
      if (opener) {
        const i = stack.map((s) => s.tokenType).lastIndexOf(opener);
        if (i >= 0) stack.length = i;
      }
    }
  }
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.tokenType === openerType) return stack[i];
  return undefined;
}

function offsetOf(token: IToken): number {
  return Number.isNaN(token.startOffset) ? context.text.length : token.startOffset;
}

const EXPRESSION_RULES = new Set([
  'expression',
  'coalesce',
  'conditionalOr',
  'conditionalAnd',
  'relation',
  'addition',
  'multiplication',
  'unary',
  'member',
  'primary',
]);

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    const opener = CLOSER_TO_OPENER.get(expected);
    if (opener) {
      const open = unclosedOpener(opener, offsetOf(actual));
      if (open) {
        return `expected ${labelOf(expected)} to close \`${open.image}\` at ${where(open.startOffset)}, found ${describeToken(actual)}`;
      }
    }
    return `expected ${labelOf(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    const opener = CLOSER_TO_OPENER.get(firstRedundant.tokenType);
    if (opener) return `${describeToken(firstRedundant)} has no matching \`${labelOf(opener).replace(/`/g, '')}\``;
    return `unexpected ${describeToken(firstRedundant)}: expected an operator or the end of the expression`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const found = describeToken(actual[0]!);
    if (EXPRESSION_RULES.has(ruleName)) return `expected an expression, found ${found}`;
    if (ruleName === 'mapEntry') return `expected a map entry \`key: value\`, found ${found}`;
    const expected = [...new Set(expectedPathsPerAlt.flatMap((alt) => alt.map((path) => labelOf(path[0]!))))];
    return `expected ${expected.join(' or ')}, found ${found}`;
  },
  buildEarlyExitMessage({ actual }) {
    return `expected an expression, found ${describeToken(actual[0]!)}`;
  },
};

export class ExprParser extends CstParser {
  constructor() {
    super([...ALL_TOKENS], { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  /** `coalesce ("?" coalesce ":" expression)?`: CEL's conditional, right-associative. */
  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.coalesce, { LABEL: 'test' });
    this.OPTION(() => {
      this.CONSUME(Question);
      this.SUBRULE2(this.coalesce, { LABEL: 'consequent' });
      this.CONSUME(Colon);
      this.SUBRULE(this.expression, { LABEL: 'alternate' });
    });
  });

  /** `a ?? b ?? c` (extension); the AST nests it to the right so each left side is tolerant. */
  readonly coalesce = this.RULE('coalesce', () => {
    this.SUBRULE(this.conditionalOr, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(QuestionQuestion, { LABEL: 'operator' });
      this.SUBRULE2(this.conditionalOr, { LABEL: 'operand' });
    });
  });

  readonly conditionalOr = this.RULE('conditionalOr', () => {
    this.SUBRULE(this.conditionalAnd, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(OrOr, { LABEL: 'operator' });
      this.SUBRULE2(this.conditionalAnd, { LABEL: 'operand' });
    });
  });

  readonly conditionalAnd = this.RULE('conditionalAnd', () => {
    this.SUBRULE(this.relation, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(AndAnd, { LABEL: 'operator' });
      this.SUBRULE2(this.relation, { LABEL: 'operand' });
    });
  });

  readonly relation = this.RULE('relation', () => {
    this.SUBRULE(this.addition, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(RelOp, { LABEL: 'operator' });
      this.SUBRULE2(this.addition, { LABEL: 'operand' });
    });
  });

  readonly addition = this.RULE('addition', () => {
    this.SUBRULE(this.multiplication, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(AddOp, { LABEL: 'operator' });
      this.SUBRULE2(this.multiplication, { LABEL: 'operand' });
    });
  });

  readonly multiplication = this.RULE('multiplication', () => {
    this.SUBRULE(this.unary, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(MulOp, { LABEL: 'operator' });
      this.SUBRULE2(this.unary, { LABEL: 'operand' });
    });
  });

  /** CEL: `!`/`-` bind looser than member access, so `-a.b` is `-(a.b)`. */
  readonly unary = this.RULE('unary', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Bang, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(Minus, { LABEL: 'operator' }) },
      ]);
    });
    this.SUBRULE(this.member, { LABEL: 'operand' });
  });

  readonly member = this.RULE('member', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.postfix));
  });

  /** `.name`, `.name(args)` (a receiver-style call) or `[index]`. */
  readonly postfix = this.RULE('postfix', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Dot);
          this.CONSUME(Name, { LABEL: 'name' });
          this.OPTION(() => this.SUBRULE(this.callArgs));
        },
      },
      {
        ALT: () => {
          this.CONSUME(LBracket);
          this.SUBRULE(this.expression, { LABEL: 'index' });
          this.CONSUME(RBracket);
        },
      },
    ]);
  });

  readonly callArgs = this.RULE('callArgs', () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'arg' });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression, { LABEL: 'arg' });
      });
    });
    this.CONSUME(RParen);
  });

  readonly primary = this.RULE('primary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Identifier);
          this.OPTION(() => this.SUBRULE(this.callArgs));
        },
      },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expression, { LABEL: 'inner' });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.listLiteral) },
      { ALT: () => this.SUBRULE(this.mapLiteral) },
      { ALT: () => this.CONSUME(StringLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(NumberLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(MalformedNumber, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(DurationLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(True, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(False, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(Null, { LABEL: 'literal' }) },
    ]);
  });

  /** `[a, b]`, trailing comma allowed (CEL). */
  readonly listLiteral = this.RULE('listLiteral', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'element' });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== RBracket,
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.expression, { LABEL: 'element' });
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket);
  });

  /** `{"k": v, k2: v}`, trailing comma allowed (CEL). */
  readonly mapLiteral = this.RULE('mapLiteral', () => {
    this.CONSUME(LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.mapEntry, { LABEL: 'entry' });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== RBrace,
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.mapEntry, { LABEL: 'entry' });
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBrace);
  });

  /** A bare identifier key is the string of its name (an extension); any other key is an expression. */
  readonly mapEntry = this.RULE('mapEntry', () => {
    // `k:` also reads as the expression `k` followed by `:`; the first alternative wins.
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
      {
        ALT: () => {
          this.CONSUME(Identifier, { LABEL: 'bareKey' });
          this.CONSUME(Colon);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression, { LABEL: 'key' });
          this.CONSUME2(Colon);
        },
      },
      ],
    });
    this.SUBRULE2(this.expression, { LABEL: 'value' });
  });
}

/** One parser for the process: building it (grammar analysis) is the expensive part. */
export const exprParser = new ExprParser();

export function parseTokens(text: string, tokens: IToken[]) {
  context.text = text;
  context.tokens = tokens;
  try {
    exprParser.input = tokens;
    const cst = exprParser.expression();
    return { cst, errors: exprParser.errors };
  } finally {
    context.text = '';
    context.tokens = [];
  }
}
