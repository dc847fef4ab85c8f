import { T, type Field, type Type } from './type.js';

/** The subject profile every project has; `subject.fields` in herald.yaml adds to it. */
export const BUILTIN_SUBJECT_FIELDS: Record<string, Field> = {
  id: T.field(T.string, 'The subject id (customer id).'),
  locale: T.field(T.string, 'Preferred locale, e.g. `en` or `de-CH`; default from herald.yaml.'),
  timezone: T.field(T.string, 'IANA time zone; default from herald.yaml.'),
  contacts: T.field(T.map(T.string), 'Address per channel name: `contacts.email`, `contacts.sms` ...'),
  channels: T.field(T.list(T.string), 'Preferred channel order, most preferred first.'),
  optOuts: T.field(T.list(T.string), 'Opt-outs: a channel (`sms`), a category (`marketing`), or both (`marketing:sms`).'),
};

/** The profile's type: built-in fields, the project's `subject.fields`, and what `subject.source` returns (which may override). */
export function subjectType(extra: Type | undefined, enrichment?: Type): Type {
  const fields = {
    ...(extra?.kind === 'object' ? extra.fields : {}),
    ...BUILTIN_SUBJECT_FIELDS,
    ...(enrichment?.kind === 'object' ? enrichment.fields : {}),
  };
  return { kind: 'object', fields };
}
