/** The runtime's entry point: text -> closure in one call, throwing when the text has errors. */
import type { Type } from '../types/type.js';
import { checkInScope } from './check-expression.js';
import { compileExpression, type CompiledExpr } from './compile-expression.js';
import { parseExpression } from './parse-expression.js';
import type { ExprProblem } from './problem.js';

/** The expression text has errors; `problems` lists them (warnings included). */
export class ExprCompileError extends Error {
  override readonly name = 'ExprCompileError';
  constructor(
    readonly text: string,
    readonly problems: readonly ExprProblem[],
  ) {
    super(
      `invalid expression \`${text}\`:\n` +
        problems
          .filter((p) => p.severity === 'error')
          .map((p) => `  at ${p.start}-${p.end}: ${p.message} [${p.code}]${p.hint ? ` (${p.hint})` : ''}`)
          .join('\n'),
    );
  }
}

/**
 * Parse, check and compile. Without `scope` every name is `dyn` (checked at run time);
 * the IR's expressions were checked by the compiler already, so that is the runtime's case.
 * Warnings do not stop compilation.
 */
export function compileExpressionText(text: string, scope?: Readonly<Record<string, Type>>): CompiledExpr {
  const parsed = parseExpression(text);
  if (!parsed.ast || parsed.problems.some((p) => p.severity === 'error')) throw new ExprCompileError(text, parsed.problems);
  const { checked, problems } = checkInScope(parsed.ast, scope);
  if (problems.some((p) => p.severity === 'error')) throw new ExprCompileError(text, [...parsed.problems, ...problems]);
  return compileExpression(checked);
}
