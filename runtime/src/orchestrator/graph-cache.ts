/**
 * Graph versions. New instances start on the current graph; a running instance stays on the
 * version it started on, so its graph is loaded from the store and compiled the first time an
 * instance of that version needs it, then kept (compiling is the expensive part).
 */
import type { GraphIR } from '@herald/dsl';
import type { Driver } from '../driver/driver.js';
import { compileGraph, type CompiledGraph } from '../engine/compile-graph.js';

export interface GraphCache {
  readonly current: CompiledGraph;
  /** The compiled graph of a version; rejects when the store does not have it (a corrupt store). */
  get(version: string): Promise<CompiledGraph>;
  /** Synchronous lookup of an already loaded version. */
  peek(version: string): CompiledGraph | undefined;
}

export function createGraphCache(driver: Driver, current: GraphIR): GraphCache {
  const compiled = compileGraph(current);
  const byVersion = new Map<string, CompiledGraph>([[current.version, compiled]]);
  const loading = new Map<string, Promise<CompiledGraph>>();
  return {
    current: compiled,
    peek: (version) => byVersion.get(version),
    get(version) {
      const hit = byVersion.get(version);
      if (hit) return Promise.resolve(hit);
      let pending = loading.get(version);
      if (!pending) {
        pending = (async () => {
          const ir = await driver.loadGraph(version);
          if (!ir) throw new Error(`graph version ${version} is not in the store (instances run on it)`);
          const graph = compileGraph(ir);
          byVersion.set(version, graph);
          return graph;
        })().finally(() => loading.delete(version));
        loading.set(version, pending);
      }
      return pending;
    },
  };
}
