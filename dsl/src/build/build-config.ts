import type { Problem } from '../diagnostics/report.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { ConfigFile, EventDecl, PluginUse, QueryDecl, SourceDecl, UnreadKey } from '../model/ast.js';
import { get, getEntry, type YMap } from '../parse/yaml-tree.js';
import { CONFIG_KEYS, DEFAULTS_KEYS } from '../schema/config-schema.js';
import { eventSchemaProblems } from './check-event-schema.js';
import { asMap, duration, entriesOf, jsonWithSource, payloadType, str, typeDecl, unreadKeys } from './build-helpers.js';
import type { Located } from '../model/ast.js';
import { BUILTIN_SUBJECT_FIELDS } from '../types/subject-type.js';
import { typeToString } from '../types/type.js';

export function buildConfig(file: string, root: YMap, problems: Problem[]): ConfigFile | undefined {
  const project = str(get(root, 'project'));
  if (!project) return undefined;
  const defaults = asMap(get(root, 'defaults'));
  const pluginUse = (name: string, keySpan: PluginUse['span'], node: YMap): PluginUse | undefined => {
    const use = str(get(node, 'use'));
    if (!use) return undefined;
    return { name: { value: name, span: keySpan }, use, config: jsonWithSource(get(node, 'config')), span: node.span };
  };
  const channels: PluginUse[] = [];
  for (const e of entriesOf(get(root, 'channels'))) {
    const m = asMap(e.value);
    const c = m && pluginUse(e.key, e.keySpan, m);
    if (c) channels.push(c);
  }
  const sources: SourceDecl[] = [];
  for (const e of entriesOf(get(root, 'sources'))) {
    const m = asMap(e.value);
    const base = m && pluginUse(e.key, e.keySpan, m);
    if (!m || !base) continue;
    const queries: QueryDecl[] = [];
    for (const q of entriesOf(get(m, 'queries'))) {
      const qm = asMap(q.value);
      if (!qm) continue;
      const returns = typeDecl(get(qm, 'returns'), problems);
      if (!returns) continue;
      queries.push({
        name: { value: q.key, span: q.keySpan },
        args: typeDecl(get(qm, 'args'), problems) ?? { type: { kind: 'object', fields: {} }, span: qm.span },
        returns,
        with: jsonWithSource(get(qm, 'with')),
        span: qm.span,
      });
    }
    sources.push({ ...base, queries });
  }
  const events: EventDecl[] = [];
  for (const e of entriesOf(get(root, 'events'))) {
    const m = asMap(e.value);
    const schemaEntry = m && getEntry(m, 'schema');
    // A schema that is no mapping is the shape stage's `wrong-type`; one that is, the runtime must be able to compile.
    const schema = schemaEntry?.value.kind === 'map' ? jsonWithSource(schemaEntry.value) : undefined;
    if (schema && schemaEntry) problems.push(...eventSchemaProblems(e.key, schemaEntry.value, schemaEntry.keySpan));
    events.push({
      name: { value: e.key, span: e.keySpan },
      description: str(m && get(m, 'description'))?.value,
      subject: str(m && get(m, 'subject')),
      type: m ? payloadType(m, problems) : { type: { kind: 'object', fields: {} }, span: e.value.span },
      schema,
      span: e.value.span,
    });
  }
  const subject = asMap(get(root, 'subject'));
  // A built-in profile field cannot be redeclared: the built-in type would silently win.
  for (const e of entriesOf(subject && get(subject, 'fields'))) {
    const name = e.key.endsWith('?') ? e.key.slice(0, -1) : e.key;
    if (!Object.hasOwn(BUILTIN_SUBJECT_FIELDS, name)) continue;
    problems.push({
      code: 'reserved-name',
      message: `\`subject.${name}\` is a built-in subject field and cannot be declared again`,
      span: e.keySpan,
      hint: `it is always there, typed ${typeToString(BUILTIN_SUBJECT_FIELDS[name]!.type)}; remove it, or give your field another name (e.g. \`${name === 'id' ? 'customerId' : `preferred${name[0]!.toUpperCase()}${name.slice(1)}`}\`)`,
    });
  }
  const archive = asMap(get(root, 'archive'));
  const redact = archive && get(archive, 'redact');
  return {
    kind: 'config',
    file,
    span: root.span,
    project,
    defaults: {
      locale: str(defaults && get(defaults, 'locale')),
      timezone: str(defaults && get(defaults, 'timezone')),
      policy: str(defaults && get(defaults, 'policy')),
      unread: unreadDefaults(root),
    },
    channels,
    sources,
    events,
    subjectFields: subject ? typeDecl(get(subject, 'fields'), problems) : undefined,
    subjectSource: subjectSource(subject),
    archive: archive
      ? {
          retention: duration(get(archive, 'retention')),
          redact: redact?.kind === 'seq' ? redact.items.map(str).filter((x): x is Located<string> => !!x) : [],
        }
      : undefined,
  };
}

/**
 * Keys of `defaults` that were not read: unknown ones, and `policy:` when its value is no text.
 * The keys under a misspelt `defaults` (`defualts:`) were not read either.
 */
function unreadDefaults(root: YMap): UnreadKey[] {
  const unread: UnreadKey[] = [];
  for (const e of root.entries) {
    const m = asMap(e.value);
    if (!m) continue;
    if (e.key === 'defaults') unread.push(...unreadKeys(m, DEFAULTS_KEYS, ['policy']));
    else if (!CONFIG_KEYS.includes(e.key) && didYouMean(e.key, CONFIG_KEYS) === 'defaults') unread.push(...unreadKeys(m, []));
  }
  return unread;
}

function subjectSource(subject: YMap | undefined): ConfigFile['subjectSource'] {
  const m = subject && asMap(get(subject, 'source'));
  const source = m && str(get(m, 'source'));
  const query = m && str(get(m, 'query'));
  return source && query ? { source, query } : undefined;
}
