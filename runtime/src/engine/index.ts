/** The engine: compile a graph once, start instances from events, advance them. Pure: no I/O, no clock of its own. */
export { compileGraph, type CompiledField, type CompiledGraph, type CompiledJourney, type CompiledLoad, type CompiledNode, type CompiledNodeKind, type CompiledPolicy } from './compile-graph.js';
export { advance, ADVANCE_STEP_LIMIT, HISTORY_LIMIT } from './advance.js';
export {
  mayStart,
  newInstance,
  reentryBlock,
  triggerCandidates,
  triggerCondition,
  triggeredJourneys,
  type Reentry,
  type SkippedTrigger,
  type TriggerCheck,
  type TriggeredJourney,
  type TriggerResult,
} from './start-instance.js';
export { audienceOfEvent, subjectIdOf, type EventAudience } from './event-audience.js';
export { subjectWithDefaults } from './subject-defaults.js';
export { fnv1a32, splitArm } from './split-arm.js';
export type { JourneyMeta } from './run-state.js';
export type * from './types.js';
