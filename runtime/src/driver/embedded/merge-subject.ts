/**
 * The subject merge every driver applies on `putSubject`: the fields given replace the
 * stored ones (undefined means "not given"), and `contacts` merges per channel so setting a
 * phone number keeps the email address; a contact given as null removes that address.
 */
import type { SubjectPatch, SubjectProfile } from '../../engine/types.js';

export type { SubjectPatch };

export function mergeSubject(stored: SubjectProfile | undefined, patch: SubjectPatch): SubjectProfile {
  const merged: Record<string, unknown> = stored ? { ...stored } : { id: patch.id, contacts: {}, channels: [], optOuts: [] };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === 'contacts') continue;
    merged[key] = value;
  }
  if (patch.contacts !== undefined) {
    const contacts: Record<string, string> = { ...(stored?.contacts ?? {}) };
    for (const [channel, address] of Object.entries(patch.contacts)) {
      if (address === null) delete contacts[channel];
      else contacts[channel] = address;
    }
    merged['contacts'] = contacts;
  }
  return merged as SubjectProfile;
}
