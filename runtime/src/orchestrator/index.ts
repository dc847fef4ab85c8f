/** The orchestrator: createRuntime and what it is made of. */
export { createRuntime, type Runtime, type RuntimeOptions, type PoolSettings } from './create-runtime.js';
export { createVirtualClock, isVirtualClock, type VirtualClock, type RuntimeClock } from './virtual-clock.js';
export { loadProjectGraph, runtimePluginRoots, type LoadedGraph } from './load-project-graph.js';
export { createEventValidator, type EventValidator } from './validate-event.js';
export { jobIds } from './job-ids.js';
export type { RuntimeMetrics } from './runtime-metrics.js';
