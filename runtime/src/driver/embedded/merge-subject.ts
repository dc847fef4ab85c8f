/**
 * The subject merge every driver applies on `putSubject`: the fields given replace the
 * stored ones (undefined means "not given"), and `contacts` merges per channel so setting a
 * phone number keeps the email address.
 */
import type { SubjectProfile } from '../../engine/types.js';

export type SubjectPatch = Partial<SubjectProfile> & { readonly id: string };

export function mergeSubject(stored: SubjectProfile | undefined, patch: SubjectPatch): SubjectProfile {
  const merged: Record<string, unknown> = stored ? { ...stored } : { id: patch.id, contacts: {}, channels: [], optOuts: [] };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === 'contacts') continue;
    merged[key] = value;
  }
  if (patch.contacts !== undefined) merged['contacts'] = { ...(stored?.contacts ?? {}), ...patch.contacts };
  return merged as SubjectProfile;
}
