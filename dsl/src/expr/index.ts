/**
 * The expression language: a CEL subset with a few extensions (see docs/expressions.md).
 * parse -> check (against declared types) -> compile (to a closure, once) -> evaluate.
 */
export type {
  ArithmeticOp,
  BinaryNode,
  BinaryOp,
  BoolNode,
  CallNode,
  ConditionalNode,
  DurationNode,
  ErrorNode,
  ExprNode,
  ExprNodeKind,
  IdentNode,
  IndexNode,
  ListNode,
  LogicalOp,
  MapEntry,
  MapNode,
  MemberNode,
  NullNode,
  NumberNode,
  RelationOp,
  StringNode,
  UnaryNode,
  UnaryOp,
} from './ast.js';
export { childNodes, nodesAt } from './ast.js';
export type { ExprProblem, ExprProblemCode } from './problem.js';
export { parseExpression, type ParseResult } from './parse-expression.js';
export { checkExpression, type CheckedExpr, type CheckResult } from './check-expression.js';
export { compileExpression, type CompiledExpr } from './compile-expression.js';
export { compileExpressionText, ExprCompileError } from './compile-text.js';
export { ExprRuntimeError, type EvalEnv } from './values.js';
export { FUNCTIONS, type CallStyle, type FunctionInfo } from './functions.js';
export { printExpression } from './print-expression.js';
export { benchExpressionEval, BENCH_EXPRESSION, type ExpressionBenchResult } from './bench-eval.js';
