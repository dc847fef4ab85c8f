import { posix } from 'node:path';
import type { Problem } from '../diagnostics/report.js';
import type { Located, TemplateFile, TemplateText, TemplateVariant } from '../model/ast.js';
import { get, type YMap, type YNode } from '../parse/yaml-tree.js';
import { MESSAGE_KINDS } from '../schema/template-schema.js';
import { asMap, entriesOf, str } from './build-helpers.js';

/** Reads a project-relative file for `file:` references; undefined when it does not exist. */
export type ReadProjectFile = (path: string) => string | undefined;

/** Whether a project-relative path that could not be read is a folder (for the message). */
export type IsProjectFolder = (path: string) => boolean;

export interface BuiltTemplate {
  readonly template: TemplateFile | undefined;
  /** Files read through `file:`, so diagnostics can show their lines too. */
  readonly included: readonly { readonly path: string; readonly text: string }[];
}

export function buildTemplate(file: string, root: YMap, read: ReadProjectFile, problems: Problem[], isFolder: IsProjectFolder = () => false): BuiltTemplate {
  const id = str(get(root, 'template'));
  const included: { path: string; text: string }[] = [];
  if (!id) return { template: undefined, included };

  const text = (n: YNode | undefined): TemplateText | undefined => {
    if (n?.kind === 'scalar' && typeof n.value === 'string') {
      const t = n.text ?? { text: n.value, span: n.span };
      return { ...t, fromFile: undefined };
    }
    const ref = str(asMap(n) && get(asMap(n)!, 'file'));
    if (!ref) return undefined;
    const path = posix.normalize(posix.join(posix.dirname(file), ref.value));
    if (path.startsWith('..') || posix.isAbsolute(ref.value)) {
      problems.push({ code: 'template-file-not-found', message: `\`${ref.value}\` is outside the project`, span: ref.span, hint: 'template files must live inside the project folder' });
      return undefined;
    }
    const content = read(path);
    if (content === undefined) {
      problems.push(
        isFolder(path)
          ? {
              code: 'template-file-not-found',
              message: `\`${ref.value}\` is a folder, not a file (\`${path}\`)`,
              span: ref.span,
              hint: `name a file in it, e.g. \`file: ${posix.join(ref.value, '<file>')}\``,
            }
          : {
              code: 'template-file-not-found',
              message: `template file \`${ref.value}\` not found (looked for \`${path}\`)`,
              span: ref.span,
              hint: notFoundHint(file, ref.value, path, read),
            },
      );
      return undefined;
    }
    included.push({ path, text: content });
    return {
      text: content,
      span: { file: path, start: 0, end: content.length },
      base: 0,
      fromFile: path,
    };
  };

  const variants: TemplateVariant[] = [];
  for (const kind of Object.keys(MESSAGE_KINDS)) {
    const entry = root.entries.find((e) => e.key === kind);
    if (!entry) continue;
    for (const loc of entriesOf(entry.value)) {
      const fields: { name: Located<string>; text: TemplateText }[] = [];
      // A field whose text could not be read is reported where it is written; it is not missing.
      const unreadFields: Located<string>[] = [];
      for (const f of entriesOf(loc.value)) {
        const t = text(f.value);
        if (t) fields.push({ name: { value: f.key, span: f.keySpan }, text: t });
        else unreadFields.push({ value: f.key, span: f.keySpan });
      }
      variants.push({ channel: { value: kind, span: entry.keySpan }, locale: { value: loc.key, span: loc.keySpan }, fields, unreadFields, span: loc.value.span });
    }
  }
  const partials: { name: Located<string>; text: TemplateText }[] = [];
  const unreadPartials: Located<string>[] = [];
  for (const p of entriesOf(get(root, 'partials'))) {
    const t = text(p.value);
    if (t) partials.push({ name: { value: p.key, span: p.keySpan }, text: t });
    else unreadPartials.push({ value: p.key, span: p.keySpan });
  }
  return {
    template: {
      kind: 'template',
      file,
      span: root.span,
      id,
      description: str(get(root, 'description'))?.value,
      fallbackLocale: str(get(root, 'fallbackLocale')),
      partials,
      unreadPartials,
      variants,
    },
    included,
  };
}

/**
 * Where a `file:` was looked for, and from where: paths are relative to the template file, which
 * someone who wrote the path from the project root (`templates/` holding the templates) does not
 * expect. When the path does name a file from the root, say how to write it.
 */
function notFoundHint(templateFile: string, written: string, lookedAt: string, read: ReadProjectFile): string {
  const dir = posix.dirname(templateFile);
  if (dir === '.') return '`file:` paths are relative to the folder of the template file, here the project root; check the name, or create the file';
  const fromRoot = posix.normalize(written);
  const place = `\`file:\` paths are relative to the folder of the template file, \`${dir}/\``;
  if (!fromRoot.startsWith('..') && read(fromRoot) !== undefined) {
    return `${place}: write \`file: ${posix.relative(dir, fromRoot)}\` to name \`${fromRoot}\` (from the project root)`;
  }
  return `${place}: this one names \`${lookedAt}\` from the project root; check the name, or create the file`;
}
