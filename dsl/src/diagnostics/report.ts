import type { Span } from '../source/source-file.js';
import { SourceFile } from '../source/source-file.js';
import type { Diagnostic, Severity } from './diagnostic.js';
import { codeInfo } from './codes.js';

/** What a stage says about a problem; turned into a Diagnostic (with line/column ranges) by a Reporter. */
export interface Problem {
  readonly code: string;
  /** Defaults to the code's severity in the registry (diagnostics/codes.ts). */
  readonly severity?: Severity;
  readonly message: string;
  readonly span: Span;
  readonly hint?: string | undefined;
  readonly related?: readonly { readonly span: Span; readonly message: string }[];
  readonly fix?: { readonly title: string; readonly span: Span; readonly newText: string };
}

/** Collects problems from every stage and resolves their spans against the project's files. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly fileOf: (path: string) => SourceFile | undefined) {}

  report(p: Problem): void {
    this.diagnostics.push(toDiagnostic(p, this.fileOf));
  }
}

const EMPTY = new SourceFile('', '');

export function toDiagnostic(p: Problem, fileOf: (path: string) => SourceFile | undefined): Diagnostic {
  const range = (s: Span) => (fileOf(s.file) ?? EMPTY).range(s.start, s.end);
  const d: {
    -readonly [K in keyof Diagnostic]: Diagnostic[K];
  } = {
    code: p.code,
    severity: p.severity ?? codeInfo(p.code).severity,
    message: p.message,
    file: p.span.file,
    range: range(p.span),
  };
  if (p.hint) d.hint = p.hint;
  if (p.related?.length) d.related = p.related.map((r) => ({ file: r.span.file, range: range(r.span), message: r.message }));
  if (p.fix) d.fix = { title: p.fix.title, range: range(p.fix.span), newText: p.fix.newText };
  return d;
}
