import { parseTemplate } from './parse-template.js';
import { sortProblems, type TemplateProblem, type TemplateTag } from './template-problem.js';

/**
 * The tags of a template in source order (closing tags and `{{=<% %>=}}` left out) and its
 * syntax problems. Never throws: a template Mustache rejects still yields the tags before
 * and around the error.
 */
export function scanTemplate(text: string): { tags: TemplateTag[]; problems: TemplateProblem[] } {
  const parsed = parseTemplate(text);
  return { tags: [...parsed.tags], problems: sortProblems(parsed.problems) };
}
