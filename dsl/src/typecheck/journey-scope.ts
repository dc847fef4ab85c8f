/**
 * The names a journey's expressions and templates can use, with their types:
 * `trigger`, `subject`, `journey`, every data binding, every `set` variable and every
 * event bound with `as:`. The trigger condition and wait/batch matches also see `event`.
 */
import type { ConfigFile, DataBinding, JourneyFile } from '../model/ast.js';
import type { Symbols } from '../link/symbols.js';
import { subjectType } from '../types/subject-type.js';
import { T, type Type } from '../types/type.js';

export const JOURNEY_META_TYPE: Type = T.object({
  id: T.field(T.string, 'The journey id.'),
  instanceId: T.field(T.string, 'This instance.'),
  version: T.field(T.string, 'The graph version the instance runs on.'),
  startedAt: T.field(T.timestamp, 'When the instance started.'),
});

export function eventType(symbols: Symbols, name: string): Type {
  return symbols.events.get(name)?.type.type ?? T.dyn;
}

export function queryReturnType(symbols: Symbols, b: DataBinding): Type {
  const q = symbols.sources.get(b.source.value)?.queries.find((q) => q.name.value === b.query.value);
  return q?.returns.type ?? T.dyn;
}

export function queryArgsType(symbols: Symbols, b: DataBinding): Type | undefined {
  const q = symbols.sources.get(b.source.value)?.queries.find((q) => q.name.value === b.query.value);
  return q?.args.type;
}

/** Scope without `set` variables, whose types depend on checking their expressions. */
export function baseScope(j: JourneyFile, symbols: Symbols, config: ConfigFile | undefined): Record<string, Type> {
  const scope: Record<string, Type> = {
    trigger: eventType(symbols, j.trigger.event.value),
    subject: projectSubjectType(symbols, config),
    journey: JOURNEY_META_TYPE,
  };
  for (const b of j.data) scope[b.name.value] = queryReturnType(symbols, b);
  for (const s of j.steps) {
    if (s.kind === 'fetch') for (const b of s.bindings) scope[b.name.value] ??= queryReturnType(symbols, b);
    if (s.kind === 'wait' && s.wait.mode === 'event' && s.wait.as) scope[s.wait.as.value] ??= eventType(symbols, s.wait.event.value);
    if (s.kind === 'batch') scope[s.as.value] ??= T.list(eventType(symbols, s.event.value));
  }
  // A step that was not built (its problem is reported) still binds what it names.
  for (const s of j.unbuiltSteps) for (const n of s.binds) scope[n.value] ??= T.dyn;
  return scope;
}

/** `subject.*` as this project declares it, enrichment query included. */
export function projectSubjectType(symbols: Symbols, config: ConfigFile | undefined): Type {
  const src = config?.subjectSource;
  const q = src && symbols.sources.get(src.source.value)?.queries.find((x) => x.name.value === src.query.value);
  return subjectType(config?.subjectFields?.type, q?.returns.type);
}
