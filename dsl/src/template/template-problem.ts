/**
 * What the template checker reports. Offsets are into the template text (end exclusive);
 * the stage that owns the YAML maps them to file positions with `spanInText`.
 */
export interface TemplateProblem {
  readonly code: TemplateProblemCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly hint?: string;
  /** Other places in the same text that explain the problem (the section a close does not match). */
  readonly related?: readonly { readonly start: number; readonly end: number; readonly message: string }[];
  /** The edit that fixes it, in the same text: the name a did-you-mean names (the editor's quick fix). */
  readonly fix?: { readonly start: number; readonly end: number; readonly newText: string };
}

export type TemplateProblemCode =
  | 'template-syntax'
  | 'unknown-variable'
  | 'unknown-field'
  | 'unknown-partial'
  | 'template-recursive-partial'
  | 'template-renders-object'
  | 'template-unescaped-html';

/** One `{{...}}` tag that names something (closing tags and `{{=<% %>=}}` are not listed). */
export interface TemplateTag {
  readonly kind: 'name' | 'unescaped' | 'section' | 'inverted' | 'partial' | 'comment';
  /** The tag's name as Mustache reads it: trimmed, spaces inside kept. */
  readonly path: string;
  /** Offsets of `path` in the text. */
  readonly start: number;
  readonly end: number;
  /** Offsets of the whole tag, delimiters included (for a section: its opening tag). */
  readonly tagStart: number;
  readonly tagEnd: number;
}

export function problem(
  code: TemplateProblemCode,
  severity: TemplateProblem['severity'],
  message: string,
  start: number,
  end: number,
  hint?: string,
): TemplateProblem {
  return hint === undefined ? { code, severity, message, start, end } : { code, severity, message, start, end, hint };
}

/**
 * Source order; problems at the same place (all those from one partial include) keep the
 * order they were found in, which is the partial's source order. Exact repeats are dropped.
 */
export function sortProblems(problems: readonly TemplateProblem[]): TemplateProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.start}:${p.end}:${p.code}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.start - b.start || a.end - b.end);
}
