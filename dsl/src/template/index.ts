/**
 * Compile-time checking of Mustache templates against the typed context of the step that
 * sends them, editor completion inside `{{ }}`, and the renderer the runtime uses.
 * See docs/templates-checking.md.
 */
export type { TemplateProblem, TemplateProblemCode, TemplateTag } from './template-problem.js';
export { scanTemplate } from './scan-template.js';
export { scanTags, type ScannedTag } from './scan-tags.js';
export { checkTemplate, type TemplateCheckOptions } from './check-template.js';
export { templateVariablesAt, type TemplateCompletion } from './complete-template.js';
export { scopeNameUses, type ScopeNameUse } from './scope-name-uses.js';
export { renderTemplate, type TemplateRenderOptions } from './render.js';
