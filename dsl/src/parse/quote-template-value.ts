/**
 * The edit that quotes a block value starting with `{{`, found from the text alone.
 *
 * `subject: {{ trigger.name }}` is a flow mapping, which the parser sees whole; but
 * `subject: {{ trigger.name }} welcome` is a mapping followed by more text, which YAML rejects
 * with a plain syntax error that says nothing of a template. Hence the line's text: the parser
 * reports such a line as `unquoted-template` with this edit as its fix (parse-yaml-file.ts).
 */

/** Zero-based line and UTF-16 column, as editors count them. */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

export interface QuoteEdit {
  readonly range: { readonly start: LinePosition; readonly end: LinePosition };
  readonly newText: string;
}

/** `key: {{...`, `- {{...` or `- key: {{...`: the indentation and dashes, the key, the value. */
const VALUE_LINE = /^((?:[ \t]*-(?=[ \t]))*[ \t]*)(?:([^\s#{][^#]*?)[ \t]*:[ \t]+)?(\{\{.*?)[ \t]*$/d;

export function quoteTemplateValue(text: string, line: number): QuoteEdit | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const first = lines[line];
  if (first === undefined) return undefined;
  const m = VALUE_LINE.exec(first);
  if (!m) return undefined;
  const [, prefix = '', key, rest = ''] = m;
  // A bare `{{` at the start of a line is no value of a key or list item.
  if (key === undefined && !prefix.includes('-')) return undefined;
  const startCol = m.indices![3]![0];
  const firstValue = withoutComment(rest);
  const parts = [firstValue.trimEnd()];
  let endLine = line;
  let endCol = startCol + parts[0]!.length;
  // A plain scalar goes on over lines indented deeper than its key (or its dash), unless a comment ended it.
  if (firstValue.length === rest.length) {
    const parent = key === undefined ? prefix.lastIndexOf('-') : prefix.length;
    let blanks = 0;
    for (let i = line + 1; i < lines.length; i++) {
      const l = lines[i]!;
      if (!l.trim()) {
        blanks++;
        continue;
      }
      const indent = l.length - l.trimStart().length;
      if (indent <= parent || l.trimStart().startsWith('#')) break;
      const content = withoutComment(l.trimStart());
      parts.push(...Array<string>(blanks).fill(''), content.trim());
      blanks = 0;
      endLine = i;
      endCol = indent + content.trimEnd().length;
      if (content.length < l.trimStart().length) break;
    }
  }
  const value = fold(parts);
  return {
    range: { start: { line, character: startCol }, end: { line: endLine, character: endCol } },
    newText: quote(value),
  };
}

/** The text before a ` #` comment that is not inside a `{{...}}` tag. */
function withoutComment(s: string): string {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('{{', i)) {
      depth++;
      i++;
    } else if (s.startsWith('}}', i) && depth > 0) {
      depth--;
      i++;
    } else if (s[i] === '#' && depth === 0 && (s[i - 1] === ' ' || s[i - 1] === '\t')) {
      return s.slice(0, i);
    }
  }
  return s;
}

/** Line folding of a plain scalar: lines joined by a space, each empty line a newline. */
function fold(parts: readonly string[]): string {
  let out = parts[0] ?? '';
  let newlines = 0;
  for (const p of parts.slice(1)) {
    if (p === '') {
      newlines++;
      continue;
    }
    out += newlines ? '\n'.repeat(newlines) : ' ';
    out += p;
    newlines = 0;
  }
  return out;
}

/** Double quotes, or single quotes where they spare escapes (HTML attributes, backslashes). */
function quote(value: string): string {
  if (/["\\]/.test(value) && !value.includes('\n')) return `'${value.replaceAll("'", "''")}'`;
  return JSON.stringify(value);
}
