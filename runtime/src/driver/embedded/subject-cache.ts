/**
 * Parsed subject profiles, kept between reads. Every message reads its subject at least twice
 * (routing and the send), and with one process per file (file-owner.ts) every write goes
 * through this driver, which updates the cache as it writes. Read-only opens do not cache: a
 * running Herald may change the file under them.
 *
 * Entries are frozen (they are shared by every reader) and the least recently used go first
 * beyond `max`.
 */
import type { SubjectProfile } from '../../engine/types.js';

export interface SubjectCache {
  get(id: string, load: () => SubjectProfile | undefined): SubjectProfile | undefined;
  set(profile: SubjectProfile): SubjectProfile;
}

export function createSubjectCache(max: number): SubjectCache {
  const entries = new Map<string, SubjectProfile>();
  const remember = (profile: SubjectProfile): SubjectProfile => {
    const frozen = deepFreeze(profile);
    entries.delete(profile.id);
    entries.set(profile.id, frozen);
    if (entries.size > max) entries.delete(entries.keys().next().value as string);
    return frozen;
  };
  return {
    get(id, load) {
      const hit = entries.get(id);
      if (hit !== undefined) {
        // Map order is the eviction order: a hit moves to the young end.
        entries.delete(id);
        entries.set(id, hit);
        return hit;
      }
      const loaded = load();
      return loaded === undefined ? undefined : remember(loaded);
    },
    set: remember,
  };
}

/** A cache of nothing, for read-only opens. */
export const noSubjectCache: SubjectCache = { get: (_id, load) => load(), set: (profile) => profile };

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
