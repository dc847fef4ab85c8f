import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { Problem } from '../../diagnostics/report.js';
import type { Located } from '../../model/ast.js';

/**
 * The problem for a reference that names nothing: at the name itself, with a did-you-mean
 * over the names that would have been valid here (and a fix that writes the suggestion),
 * or `otherwise` as the hint when nothing is close.
 */
export function unknownName(
  code: string,
  ref: Located<string>,
  message: string,
  candidates: Iterable<string>,
  otherwise: string | undefined,
): Problem {
  const suggestion = didYouMean(ref.value, candidates);
  if (suggestion === undefined) return { code, message, span: ref.span, hint: otherwise };
  return {
    code,
    message,
    span: ref.span,
    hint: `did you mean \`${suggestion}\`?`,
    fix: { title: `Change to \`${suggestion}\``, span: ref.span, newText: suggestion },
  };
}
