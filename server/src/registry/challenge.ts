// Parser for WWW-Authenticate (RFC 7235 §4.1 / RFC 6750 §3). Registries send one or several
// challenges, possibly in several headers or comma-joined, and scope values contain commas and colons
// (`repository:a/b:pull,push`), so a naive split on ',' breaks them. This is a small tokenizer.

export interface Challenge {
  /** Lower-case scheme: `bearer`, `basic`, … */
  scheme: string;
  /** Parameters with lower-case names (`realm`, `service`, `scope`, `error`). */
  params: Record<string, string>;
}

export function parseChallenges(headers: string[]): Challenge[] {
  const result: Challenge[] = [];
  for (const header of headers) parseOne(header, result);
  return result;
}

function parseOne(text: string, out: Challenge[]): void {
  let i = 0;
  const n = text.length;
  const skipSpace = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    const name = token();
    if (name.length === 0) {
      i++; // unexpected character: skip it rather than loop forever
      continue;
    }
    skipSpace();
    if (text[i] === '=' && current) {
      i++;
      skipSpace();
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n) i++;
          value += text[i];
          i++;
        }
        i++; // closing quote
      } else {
        value = token();
      }
      current.params[name.toLowerCase()] = value;
    } else if (text[i] === '=' && !current) {
      // A parameter before any scheme: malformed, ignore the pair.
      i++;
      token();
    } else {
      current = { scheme: name.toLowerCase(), params: {} };
      out.push(current);
    }
  }
}
