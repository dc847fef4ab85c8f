/**
 * Per-character file offsets of a YAML string scalar, so an error at character i of an
 * expression or template points at the exact character in the file. Each style is
 * decoded here and the result compared with what `yaml` decoded; when they differ (folded
 * scalars, exotic escapes) there is no map, and callers fall back to the whole scalar.
 */
type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED' | string | undefined;

/**
 * The cheap common case first: a single-line plain scalar, or a quoted one with no escapes,
 * is the file's characters as they are (`base`); only other styles need a per-character map.
 */
export function scalarTextMap(
  source: string,
  start: number,
  end: number,
  style: ScalarStyle,
  value: string,
): { base: number } | { offsets: number[] } | undefined {
  if (style === 'PLAIN' && source.slice(start, end) === value) return { base: start };
  if ((style === 'QUOTE_SINGLE' || style === 'QUOTE_DOUBLE') && source.slice(start + 1, end - 1) === value) return { base: start + 1 };
  const offsets = scalarOffsets(source, start, end, style, value);
  return offsets ? { offsets } : undefined;
}

export function scalarOffsets(
  source: string,
  start: number,
  end: number,
  style: ScalarStyle,
  value: string,
): number[] | undefined {
  const decoded = decode(source, start, end, style);
  if (!decoded || decoded.text !== value) return undefined;
  decoded.offsets.push(decoded.offsets.length > 0 ? decoded.offsets[decoded.offsets.length - 1]! + 1 : start);
  return decoded.offsets;
}

interface Decoded {
  text: string;
  offsets: number[];
}

function decode(src: string, start: number, end: number, style: ScalarStyle): Decoded | undefined {
  switch (style) {
    case 'PLAIN': {
      const raw = src.slice(start, end);
      if (raw.includes('\n')) return undefined;
      return { text: raw, offsets: Array.from({ length: raw.length }, (_, i) => start + i) };
    }
    case 'QUOTE_SINGLE':
      return decodeQuoted(src, start + 1, end - 1, false);
    case 'QUOTE_DOUBLE':
      return decodeQuoted(src, start + 1, end - 1, true);
    case 'BLOCK_LITERAL':
      return decodeLiteral(src, start, end);
    default:
      return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  '/': '/',
  '0': '\0',
  ' ': ' ',
  e: '\x1b',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
};

function decodeQuoted(src: string, from: number, to: number, double: boolean): Decoded | undefined {
  let text = '';
  const offsets: number[] = [];
  for (let i = from; i < to; i++) {
    const ch = src[i]!;
    if (ch === '\n' || ch === '\r') return undefined; // line folding: no exact map
    if (!double && ch === "'" && src[i + 1] === "'") {
      text += "'";
      offsets.push(i);
      i++;
      continue;
    }
    if (double && ch === '\\') {
      const e = src[i + 1];
      if (e === undefined) return undefined;
      if (e in SIMPLE_ESCAPES) {
        text += SIMPLE_ESCAPES[e];
        offsets.push(i);
        i++;
        continue;
      }
      const width = e === 'x' ? 2 : e === 'u' ? 4 : undefined;
      if (width === undefined) return undefined;
      const code = Number.parseInt(src.slice(i + 2, i + 2 + width), 16);
      if (Number.isNaN(code)) return undefined;
      text += String.fromCharCode(code);
      offsets.push(i);
      i += 1 + width;
      continue;
    }
    text += ch;
    offsets.push(i);
  }
  return { text, offsets };
}

function decodeLiteral(src: string, start: number, end: number): Decoded | undefined {
  const headerEnd = src.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return { text: '', offsets: [] };
  const header = src.slice(start, headerEnd).replace(/#.*$/, '').trim();
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const explicit = /[1-9]/.exec(header)?.[0];
  const lines: { from: number; to: number }[] = [];
  let pos = headerEnd + 1;
  while (pos < end) {
    let nl = src.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    lines.push({ from: pos, to: nl });
    pos = nl + 1;
  }
  let indent: number;
  if (explicit) {
    const parentIndent = start - src.lastIndexOf('\n', start - 1) - 1;
    indent = parentIndent + Number(explicit);
  } else {
    const first = lines.find((l) => src.slice(l.from, l.to).trim() !== '');
    if (!first) return { text: '', offsets: [] };
    indent = /^ */.exec(src.slice(first.from, first.to))![0].length;
  }
  let text = '';
  const offsets: number[] = [];
  for (const l of lines) {
    const body = l.from + indent <= l.to ? l.from + indent : l.to;
    for (let i = body; i < l.to; i++) {
      if (src[i] === '\r' && i === l.to - 1) continue;
      text += src[i];
      offsets.push(i);
    }
    text += '\n';
    offsets.push(l.to);
  }
  // Chomping: strip drops trailing newlines, clip keeps one, keep keeps all.
  let keep = text.length;
  while (keep > 0 && text[keep - 1] === '\n') keep--;
  if (chomp === 'strip') return { text: text.slice(0, keep), offsets: offsets.slice(0, keep) };
  if (chomp === 'clip') {
    const n = keep < text.length ? keep + 1 : keep;
    return { text: text.slice(0, n), offsets: offsets.slice(0, n) };
  }
  return { text, offsets };
}
