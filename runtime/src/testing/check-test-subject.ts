/**
 * A subject profile in a test file (`subjects:` or a `subject:` step) checked as PUT
 * /subjects/:id checks it: the built-in fields (subjects/check-subject-profile.ts), then,
 * with the project, its declared fields and their types and the channels the profile names
 * (subjects/validate-subject-patch.ts). A test that starts from a profile the API would refuse
 * tests a customer who cannot exist.
 *
 * One check goes further than the API: a key close to a built-in field (`contact`, `optOut`)
 * is refused even where the project declares no fields of its own and the API keeps any field.
 * In a test it is a typo, and the profile then silently lacks what the test meant to give it.
 */
import { pointerToPath, QUOTE_HINT, type GraphIR, type TestSubjectProblem as SubjectProblem } from '@herald/dsl';
import { subjectProfileProblems } from '../subjects/check-subject-profile.js';
import { classifiedSubjectPatchProblems } from '../subjects/validate-subject-patch.js';

type Profile = Readonly<Record<string, unknown>>;

const isPlainObject = (v: unknown): v is Profile => typeof v === 'object' && v !== null && !Array.isArray(v);

export function testSubjectProblems(id: string, profile: Profile, graph: GraphIR | undefined): SubjectProblem[] {
  const who = `subject ${id}`;
  // Keys that are no field of the profile: with fields of its own the project declares them all
  // (what PUT refuses); without, only a near miss of a built-in one is taken for a typo.
  const declared = classifiedSubjectPatchProblems(graph, profile, { nearMissesOfBuiltIns: true });
  const out: SubjectProblem[] = declared.flatMap(({ path, undeclared }) =>
    undeclared
      ? [
          {
            pointer: path,
            key: true,
            code: 'unknown-key' as const,
            message: `${who}: "${undeclared.key}" is not a field of the subject profile`,
            hint: undeclared.suggestion ? `did you mean \`${undeclared.suggestion}\`?` : `its fields: ${undeclared.fields.join(', ')}`,
          },
        ]
      : [],
  );
  if (profile['id'] !== undefined && profile['id'] !== id) {
    out.push({ pointer: '/id', key: false, code: 'invalid-subject', message: `${who} /id: must be the id it is listed under, or be left out` });
  }
  const contacts = isPlainObject(profile['contacts']) ? profile['contacts'] : undefined;
  for (const e of subjectProfileProblems({ ...profile, contacts })) {
    // YAML reads an unquoted phone number as a number.
    const numericAddress = e.path.startsWith('/contacts/') && typeof valueAt(profile, e.path) === 'number';
    out.push({ pointer: e.path, key: false, code: 'invalid-subject', message: `${who} ${e.path}: ${e.message}`, ...(numericAddress ? { hint: QUOTE_HINT } : {}) });
  }
  for (const e of declared) {
    if (e.undeclared) continue;
    out.push({
      pointer: e.path,
      // An address under an unknown channel: the channel's name is the mistake.
      key: /^\/contacts\/[^/]+$/.test(e.path),
      code: e.names === 'channel' ? 'unknown-channel' : e.names === 'category' ? 'unknown-category' : 'invalid-subject',
      message: `${who} ${e.path}: ${e.message}`,
    });
  }
  return out;
}

function valueAt(profile: Profile, pointer: string): unknown {
  let v: unknown = profile;
  for (const key of pointerToPath(pointer)) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
