/**
 * Just enough MIME to show a caught mail in `herald dev`: headers (folded, RFC 2047 encoded
 * words), multipart bodies (nested), base64 and quoted-printable, charsets. It reads what
 * nodemailer writes, which is all the dev catcher receives; it is not a general mail parser
 * (no attachments, no malformed-mail recovery), and never runs outside `herald dev` and tests.
 */

export interface ParsedMail {
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  readonly messageId: string;
  readonly text: string | undefined;
  readonly html: string | undefined;
}

interface Part {
  readonly headers: Record<string, string>;
  readonly body: string;
}

function splitPart(raw: string): Part {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { headers, body };
}

/** `text/html; charset="utf-8"` → {type: 'text/html', params: {charset: 'utf-8'}}. */
function contentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function quotedPrintableBytes(text: string): Uint8Array {
  const soft = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c.charCodeAt(0) & 0xff); // the raw mail is read as latin1: one char per byte
  }
  return Uint8Array.from(out);
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const charset = contentType(part.headers['content-type']).params['charset'];
  const bytes =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? quotedPrintableBytes(part.body)
        : Buffer.from(part.body, 'binary');
  return decodeCharset(bytes, charset);
}

/** RFC 2047: `=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=` → `Grüße`; adjacent encoded words join without the space between them. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, charset: string, enc: string, text: string) => {
      const bytes = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : quotedPrintableBytes(text.replace(/_/g, ' '));
      return decodeCharset(bytes, charset);
    });
}

function collect(part: Part, out: { text?: string; html?: string }, depth: number): void {
  const { type, params } = contentType(part.headers['content-type']);
  const boundary = params['boundary'];
  if (type.startsWith('multipart/') && boundary && depth < 10) {
    const sections = part.body.split(`--${boundary}`);
    // sections[0] is the preamble; the last one starts with "--" (the closing delimiter).
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      // The line break before a delimiter belongs to the delimiter, not to the part.
      collect(splitPart(section.replace(/^\r?\n/, '').replace(/\r?\n$/, '')), out, depth + 1);
    }
    return;
  }
  if ((part.headers['content-disposition'] ?? '').toLowerCase().startsWith('attachment')) return;
  // SMTP line ends are CRLF; show text with plain newlines.
  if (type === 'text/plain' && out.text === undefined) out.text = decodeBody(part).replace(/\r\n/g, '\n');
  else if (type === 'text/html' && out.html === undefined) out.html = decodeBody(part).replace(/\r\n/g, '\n');
}

export function parseMail(raw: string): ParsedMail {
  const top = splitPart(raw);
  const bodies: { text?: string; html?: string } = {};
  collect(top, bodies, 0);
  // Raw UTF-8 in a header (SMTPUTF8) arrives as latin1 chars; encoded words are ASCII either way.
  const header = (name: string) => decodeEncodedWords(Buffer.from(top.headers[name] ?? '', 'latin1').toString('utf8'));
  return {
    headers: top.headers,
    subject: header('subject'),
    from: header('from'),
    to: header('to'),
    messageId: top.headers['message-id'] ?? '',
    text: bodies.text,
    html: bodies.html,
  };
}
