/**
 * What a subject profile's built-in fields must be, whatever the project declares: every
 * address a non-empty string (or null, which removes it), the time zone an IANA zone, the
 * locale a BCP 47 tag, and every value one the store can keep. PUT /subjects/:id answers these
 * with 400 (api/subjects-routes.ts); `herald test` checks the profiles a test file sets up with
 * the same rules, so a test cannot start from a profile the API would refuse.
 */
import { isValidTimeZone } from '../delivery/quiet-hours.js';
import { storableProblems } from '../orchestrator/validate-event.js';
import { escapePointer } from '../plugins-host/json-validator.js';
import type { FieldError } from '../runtime-api.js';

export interface SubjectProfileFields {
  readonly contacts?: Readonly<Record<string, unknown>>;
  readonly locale?: unknown;
  readonly timezone?: unknown;
}

export function isLocale(tag: unknown): boolean {
  if (typeof tag !== 'string') return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** Paths are JSON Pointers into the profile (`/contacts/email`, `/timezone`). */
export function subjectProfileProblems(body: SubjectProfileFields): FieldError[] {
  // What any stored value must be; the project's fields are checked against their types after.
  const errors: FieldError[] = [...storableProblems(body).problems];
  for (const [channel, address] of Object.entries(body.contacts ?? {})) {
    if (address !== null && (typeof address !== 'string' || address === '')) {
      errors.push({ path: `/contacts/${escapePointer(channel)}`, message: 'must be an address (a non-empty string), or null to remove it' });
    }
  }
  if (body.timezone !== undefined && !(typeof body.timezone === 'string' && isValidTimeZone(body.timezone))) {
    errors.push({ path: '/timezone', message: `must be an IANA time zone such as Europe/Berlin, got ${JSON.stringify(body.timezone)}` });
  }
  if (body.locale !== undefined && !isLocale(body.locale)) {
    errors.push({ path: '/locale', message: `must be a BCP 47 language tag such as en or de-AT, got ${JSON.stringify(body.locale)}` });
  }
  return errors;
}
