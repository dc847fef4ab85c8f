/**
 * `matches` patterns: CEL specifies RE2. We run JavaScript's RegExp (with the `u` flag) but
 * refuse what RE2 lacks (backreferences, lookaround), translate RE2's leading `(?i)`-style
 * flags and `(?P<name>...)` groups, so a pattern means the same here as in other CEL engines.
 */

export type RegexResult = { readonly ok: true; readonly regex: RegExp } | { readonly ok: false; readonly message: string };

export function compileRegex(pattern: string): RegexResult {
  let source = pattern;
  let flags = 'u';
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (lead) {
    for (const f of lead[1]!) {
      if (f !== 'i' && f !== 'm' && f !== 's') return { ok: false, message: `the flag \`${f}\` is not supported (use i, m or s)` };
      if (!flags.includes(f)) flags += f;
    }
    source = source.slice(lead[0].length);
  }
  const unsupported = findUnsupported(source);
  if (unsupported) return { ok: false, message: unsupported };
  source = source.replace(/\(\?P</g, '(?<');
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (e) {
    const message = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    return { ok: false, message };
  }
}

function findUnsupported(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(n)) return `backreferences like \`\\${n}\` are not supported (RE2)`;
      if (!inClass && n === 'k' && source[i + 2] === '<') return 'named backreferences are not supported (RE2)';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (source[i + 1] === ']') i++; // `[]...]`: a literal `]` first in the class
    } else if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2, i + 4);
      if (rest[0] === '=' || rest[0] === '!' || rest === '<=' || rest === '<!') {
        return 'lookaround assertions like `(?=...)` are not supported (RE2)';
      }
    }
  }
  return undefined;
}

const cache = new Map<string, RegexResult>();

/** For patterns only known at run time; bounded so a stream of distinct patterns cannot grow memory. */
export function cachedRegex(pattern: string): RegexResult {
  let r = cache.get(pattern);
  if (!r) {
    r = compileRegex(pattern);
    if (cache.size >= 256) cache.clear();
    cache.set(pattern, r);
  }
  return r;
}
