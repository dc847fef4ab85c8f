/**
 * The link stage's rules, in the order a reader would fix things: the project's plugins
 * and ids first, then names that point nowhere, then the shape of each journey's step
 * graph, then what the pieces say about each other (variants, variables).
 */
import type { Problem } from '../../diagnostics/report.js';
import type { LinkRule } from '../link-context.js';
import { buildSymbols, type ProjectModel, type Symbols } from '../symbols.js';
import type { JourneyFile } from '../../model/ast.js';
import { archiveRetention } from './rule-archive-retention.js';
import { branchesWithoutElse } from './rule-branch-without-else.js';
import { duplicateFileIds, duplicateStepIds } from './rule-duplicate-ids.js';
import { eventSubjects } from './rule-event-subject.js';
import { fallbackLocales } from './rule-fallback-locale.js';
import { keysWithoutEffect } from './rule-key-without-effect.js';
import { loopsWithoutWait } from './rule-loop-without-wait.js';
import { pluginConfig } from './rule-plugin-config.js';
import { policyReferences } from './rule-policy-references.js';
import { policyValues } from './rule-policy-values.js';
import { reservedNames } from './rule-reserved-names.js';
import { splitWeights } from './rule-split-weights.js';
import { subjectSource } from './rule-subject-source.js';
import { stepTargets } from './rule-step-targets.js';
import { templateVariants } from './rule-template-variants.js';
import { unknownChannels } from './rule-unknown-channels.js';
import { unknownEvents } from './rule-unknown-events.js';
import { unknownSources } from './rule-unknown-sources.js';
import { unknownTemplates } from './rule-unknown-templates.js';
import { unreachableSteps } from './rule-unreachable-step.js';
import { unusedPolicies } from './rule-unused-policy.js';
import { unusedTemplates } from './rule-unused-template.js';
import { variantFields } from './rule-variant-fields.js';
import { timedWaitBranches } from './rule-timed-wait-branch.js';
import { waitsWithoutTimeout } from './rule-wait-without-timeout.js';
import { zeroDurations } from './rule-zero-duration.js';



/** Something problems can be reported to: a function, or an object with `report` (a Reporter). */
export type ProblemSink = ((p: Problem) => void) | { report(p: Problem): void };

/** Rules that look at one journey at a time (against the project's symbols): re-run only for a journey that changed. */
export const JOURNEY_RULES: readonly LinkRule[] = [
  duplicateStepIds,
  unknownEvents,
  unknownSources,
  unknownTemplates,
  policyReferences,
  stepTargets,
  unreachableSteps,
  loopsWithoutWait,
  branchesWithoutElse,
  waitsWithoutTimeout,
  keysWithoutEffect,
  zeroDurations,
  timedWaitBranches,
  splitWeights,
  reservedNames,
  templateVariants,
];

/** Every rule, for a one-shot check of a whole project (the Project runs the two groups apart, with caching). */
export const LINK_RULES: readonly LinkRule[] = [
  duplicateFileIds,
  pluginConfig,
  unknownChannels,
  variantFields,
  fallbackLocales,
  subjectSource,
  eventSubjects,
  policyValues,
  archiveRetention,
  unusedPolicies,
  unusedTemplates,
  ...JOURNEY_RULES,
];

/** Rules over herald.yaml, templates, policies and ids across files. */
export const PROJECT_RULES: readonly LinkRule[] = [
  pluginConfig,
  unknownChannels,
  policyReferences,
  policyValues,
  archiveRetention,
  variantFields,
  fallbackLocales,
  subjectSource,
  eventSubjects,
];

const toReport = (sink: ProblemSink) => (typeof sink === 'function' ? sink : (p: Problem) => sink.report(p));

/** The journey rules for one journey; only problems inside the journey's own file are kept. */
export function runJourneyLinkRules(model: ProjectModel, symbols: Symbols, journey: JourneyFile, sink: ProblemSink): void {
  const report = toReport(sink);
  const ctx = { model: { ...model, journeys: [journey], templates: [], policies: [] }, symbols, report: (p: Problem) => p.span.file === journey.file && report(p) };
  for (const rule of JOURNEY_RULES) rule(ctx);
}

/** The project-wide rules; journey rules do not run here. */
export function runProjectLinkRules(model: ProjectModel, symbols: Symbols, sink: ProblemSink): void {
  const report = toReport(sink);
  duplicateFileIds({ model, symbols, report });
  const ctx = { model: { ...model, journeys: [] }, symbols, report };
  for (const rule of PROJECT_RULES) rule(ctx);
  // Look at every journey's sends, but only at their names: cheap enough to run on every check.
  unusedPolicies({ model, symbols, report });
  unusedTemplates({ model, symbols, report });
}

/** Build the symbol tables once and run every link rule over the project. */
export function runLinkRules(model: ProjectModel, sink: ProblemSink): void {
  const report = toReport(sink);
  const ctx = { model, symbols: buildSymbols(model), report };
  for (const rule of LINK_RULES) rule(ctx);
}

export { RESERVED_NAMES } from './rule-reserved-names.js';
export { stronglyConnected } from './rule-loop-without-wait.js';
