/**
 * `invalid-event-subject`: the `subject:` of an event declaration must name a field of its
 * payload that holds an id (a string or a number), since routing reads the subject from it.
 */
import { fieldAtPath } from '../event-subject.js';
import type { LinkRule } from '../link-context.js';
import { unknownName } from './unknown-name.js';

export const eventSubjects: LinkRule = ({ model, report }) => {
  for (const e of model.config?.events ?? []) {
    const ref = e.subject;
    if (!ref) continue;
    const field = fieldAtPath(e.type.type, ref.value);
    if (field === 'dyn') continue;
    if (field === undefined) {
      const payload = e.type.type;
      const names = payload.kind === 'object' ? Object.keys(payload.fields) : [];
      report(
        unknownName(
          'invalid-event-subject',
          ref,
          `event \`${e.name.value}\` has no field \`${ref.value}\` to take its subject from`,
          names,
          names.length > 0 ? `its fields: ${names.map((n) => `\`${n}\``).join(', ')}` : 'declare the field under `fields:`',
        ),
      );
      continue;
    }
    if (field.type.kind !== 'string' && field.type.kind !== 'number' && field.type.kind !== 'dyn') {
      report({
        code: 'invalid-event-subject',
        message: `\`${ref.value}\` of event \`${e.name.value}\` is a ${field.type.kind}; a subject id is a string or a number`,
        span: ref.span,
        hint: 'name the field that holds the customer id',
      });
    }
  }
};
