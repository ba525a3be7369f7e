/**
 * Quoted scalars that CloudFormation accepts and YAML 1.2 does not: a multi-line single- or
 * double-quoted scalar whose continuation lines are indented no more than its key (a JSON policy in
 * `'{ ... }'` closed at the key's column). CloudFormation's parser, like PyYAML (cfn-lint's loader),
 * does not check the indentation of those lines. The `yaml` package stops at the first such line with
 * "Missing closing quote" and hundreds of knock-on errors.
 *
 * Such a scalar is found in the parser's concrete syntax tree (a quoted token that does not close),
 * its real closing quote is looked for in the text, and its line breaks are replaced by spaces in a
 * copy of the text of the same length, so every offset stays where it was. The copy parses; the
 * scalar's value is the original text folded as PyYAML folds it.
 */
import { CST, Parser } from 'yaml';

/** A quoted scalar read leniently: its span (quotes included) and its folded value. */
export interface LenientScalar {
  start: number;
  end: number;
  value: string;
}

/** At most this many scalars are repaired in one file; past that the errors stand. */
const MAX_REPAIRS = 200;

/** Each repair parses the file again: at most this many characters are parsed in all. */
const PARSE_BUDGET = 20_000_000;

/**
 * The text with the line breaks of under-indented quoted scalars blanked, and those scalars' values.
 * Returns undefined when there is nothing to repair.
 */
export function repairQuotedScalars(text: string): { text: string; scalars: Map<number, LenientScalar> } | undefined {
  const scalars = new Map<number, LenientScalar>();
  let current = text;
  const rounds = Math.min(MAX_REPAIRS, Math.floor(PARSE_BUDGET / Math.max(1, text.length)));
  for (let round = 0; round < rounds; round++) {
    const open = firstUnclosedQuote(current);
    if (open === undefined || scalars.has(open)) break;
    const end = closingQuote(current, open);
    if (end === undefined) break;
    scalars.set(open, { start: open, end: end + 1, value: fold(text.slice(open + 1, end), text[open] as "'" | '"') });
    current = current.slice(0, open) + current.slice(open, end + 1).replace(/[\r\n]/g, ' ') + current.slice(end + 1);
  }
  return scalars.size > 0 ? { text: current, scalars } : undefined;
}

/** The offset of the first quoted scalar the parser could not close, if any. */
export function firstUnclosedQuote(text: string): number | undefined {
  let found: number | undefined;
  const check = (token: CST.Token | undefined) => {
    if (!token || found !== undefined) return;
    if (token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar') return;
    if (!isClosed(token.source)) found = token.offset;
  };
  for (const doc of new Parser().parse(text)) {
    if (doc.type !== 'document') continue;
    check(doc.value);
    CST.visit(doc, (item) => {
      check(item.key ?? undefined);
      check(item.value ?? undefined);
      return found === undefined ? undefined : CST.visit.BREAK;
    });
    if (found !== undefined) return found;
  }
  return found;
}

/** Whether a quoted token's source ends with its closing quote. */
function isClosed(source: string): boolean {
  const quote = source[0];
  if (source.length < 2 || source[source.length - 1] !== quote) return false;
  if (quote === "'") {
    // `''` inside is an escaped quote: the source closes when its quotes, opening one aside, pair up to an odd count.
    let n = 0;
    for (let i = source.length - 1; i > 0 && source[i] === "'"; i--) n++;
    return n % 2 === 1;
  }
  let backslashes = 0;
  for (let i = source.length - 2; i > 0 && source[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/**
 * The offset of the quote that closes the scalar opened at `open`, read as PyYAML reads it (any
 * indentation), provided what follows it on its line can follow a scalar. Undefined when the file ends
 * first, a document marker comes first, or the rest of the line makes no sense: a real syntax error.
 */
function closingQuote(text: string, open: number): number | undefined {
  const quote = text[open];
  let i = open + 1;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') {
      lineStart = true;
      i++;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      if ((text.startsWith('---', i) || text.startsWith('...', i)) && (i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r') && /^(---|\.\.\.)(\s|$)/.test(text.slice(i, i + 4))) return undefined;
    }
    if (quote === "'" && c === "'") {
      if (text[i + 1] === "'") {
        i += 2;
        continue;
      }
      return followsScalar(text, i + 1) ? i : undefined;
    }
    if (quote === '"') {
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '"') return followsScalar(text, i + 1) ? i : undefined;
    }
    i++;
  }
  return undefined;
}

/** What may follow a closed quoted scalar on its line: nothing, a comment, a flow indicator, or `:` of a key. */
function followsScalar(text: string, at: number): boolean {
  const eol = text.slice(at).search(/\r|\n|$/);
  const rest = text.slice(at, at + eol).trim();
  return rest === '' || rest.startsWith('#') || /^[,\]}:]/.test(rest);
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"',
  '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

/**
 * The value of a quoted scalar's content, folded as PyYAML folds flow scalars: trailing blanks before a
 * line break and leading blanks after it go, one line break becomes a space, each further (empty) line
 * a newline; `''` is a quote in single quotes; escapes, and `\` before a line break (which joins the
 * lines), in double quotes.
 */
export function fold(raw: string, quote: "'" | '"'): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === ' ' || c === '\t') {
      let j = i;
      while (j < raw.length && (raw[j] === ' ' || raw[j] === '\t')) j++;
      if (j < raw.length && (raw[j] === '\n' || raw[j] === '\r')) i = j;
      else {
        out += raw.slice(i, j);
        i = j;
      }
      continue;
    }
    if (c === '\n' || c === '\r') {
      let breaks = 0;
      while (i < raw.length && (raw[i] === '\n' || raw[i] === '\r' || raw[i] === ' ' || raw[i] === '\t')) {
        if (raw[i] === '\n' || (raw[i] === '\r' && raw[i + 1] !== '\n')) breaks++;
        i++;
      }
      out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
      continue;
    }
    if (quote === "'" && c === "'" && raw[i + 1] === "'") {
      out += "'";
      i += 2;
      continue;
    }
    if (quote === '"' && c === '\\') {
      const next = raw[i + 1];
      if (next === '\n' || next === '\r') {
        // An escaped line break: the lines join with nothing between them, blank lines after it stay newlines.
        i += 1;
        let breaks = 0;
        while (i < raw.length && (raw[i] === '\n' || raw[i] === '\r' || raw[i] === ' ' || raw[i] === '\t')) {
          if (raw[i] === '\n' || (raw[i] === '\r' && raw[i + 1] !== '\n')) breaks++;
          i++;
        }
        out += '\n'.repeat(Math.max(0, breaks - 1));
        continue;
      }
      const hex = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      if (hex > 0) {
        const code = Number.parseInt(raw.slice(i + 2, i + 2 + hex), 16);
        out += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : raw.slice(i, i + 2 + hex);
        i += 2 + hex;
        continue;
      }
      out += next !== undefined && ESCAPES[next] !== undefined ? ESCAPES[next] : `\\${next ?? ''}`;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
