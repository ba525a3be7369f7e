/**
 * Adds a parameter value to a samconfig.toml, touching nothing else: in the environment's
 * `[<env>.deploy.parameters]` table, appended to `parameter_overrides` (a `"A=1 B=2"` string or a
 * `["A=1", "B=2"]` array, as SAM CLI writes either), else a `parameter_overrides` line under the table's
 * header, else a new table at the end. Comments, other environments and other keys stay as they are.
 */

export interface TextInsertion {
  /** Offset in the file's text where `text` goes. */
  offset: number;
  text: string;
}

/** The text of a new samconfig.toml holding one value. */
export function newSamconfig(environment: string, name: string, value: string): string {
  return `version = 0.1\n\n[${tableName(environment)}.deploy.parameters]\nparameter_overrides = "${name}=${escapeBasic(value)}"\n`;
}

/**
 * Where and what to insert to give `name` a value in this samconfig.toml; undefined when the environment's
 * overrides already name it or the file is written in a way this edit does not understand.
 */
export function addParameterOverride(text: string, environment: string, name: string, value: string): TextInsertion | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLines(text);
  const wanted = `${environment}.deploy.parameters`;
  let header: Line | undefined;
  let tableEnd = text.length;
  for (let i = 0; i < lines.length; i++) {
    const name2 = tableHeader(lines[i]!.text);
    if (name2 === undefined) continue;
    if (header) {
      tableEnd = lines[i]!.start;
      break;
    }
    if (name2 === wanted) header = lines[i];
  }
  const entry = `${name}=${value}`;
  if (!header) {
    const prefix = text.length === 0 || text.endsWith('\n') ? '' : eol;
    return { offset: text.length, text: `${prefix}${eol}[${tableName(environment)}.deploy.parameters]${eol}parameter_overrides = "${escapeBasic(entry)}"${eol}` };
  }
  const bodyStart = header.end;
  const body = text.slice(bodyStart, tableEnd);
  const key = /^[ \t]*parameter_overrides[ \t]*=[ \t]*/m.exec(body);
  if (!key) return { offset: header.end, text: `${eol}parameter_overrides = "${escapeBasic(entry)}"` };
  const at = bodyStart + key.index + key[0].length;
  const first = text[at];
  if (text.startsWith('"""', at) || text.startsWith("'''", at)) return undefined;
  if (first === '"' || first === "'") {
    const close = closingQuote(text, at);
    if (close === undefined) return undefined;
    const current = text.slice(at + 1, close);
    if (namesIn(current).includes(name)) return undefined;
    const content = first === '"' ? escapeBasic(entry) : entry;
    if (first === "'" && entry.includes("'")) return undefined;
    return { offset: close, text: current.trim() === '' ? content : ` ${content}` };
  }
  if (first === '[') {
    const close = closingBracket(text, at);
    if (close === undefined) return undefined;
    const strings = stringsIn(text, at + 1, close);
    if (strings.some((item) => namesIn(text.slice(item.start + 1, item.end - 1)).includes(name))) return undefined;
    const last = strings[strings.length - 1];
    if (!last) return { offset: at + 1, text: `"${escapeBasic(entry)}"` };
    return { offset: last.end, text: `, "${escapeBasic(entry)}"` };
  }
  return undefined;
}

/** The parameter names of a `parameter_overrides` string: `A=1 B="x y"` or `ParameterKey=A,ParameterValue=1`. */
export function namesIn(overrides: string): string[] {
  const out: string[] = [];
  for (const m of overrides.matchAll(/(?:^|\s)(?:ParameterKey=([^,\s]+)|([A-Za-z0-9]+)=)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

interface Line {
  text: string;
  start: number;
  /** Offset of the line's end, before its line break. */
  end: number;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const lineEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    out.push({ text: text.slice(start, lineEnd), start, end: lineEnd });
    if (nl < 0) return out;
    start = nl + 1;
  }
}

/** `[a.b.c]` with quoted or bare keys, as dotted names; undefined for other lines (and `[[arrays]]`). */
function tableHeader(line: string): string | undefined {
  const m = /^\s*\[(?!\[)\s*((?:[A-Za-z0-9_-]+|"(?:\\.|[^"\\])*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:\\.|[^"\\])*"|'[^']*'))*)\s*\]\s*(?:#.*)?$/.exec(line);
  if (!m) return undefined;
  return [...m[1]!.matchAll(/[A-Za-z0-9_-]+|"((?:\\.|[^"\\])*)"|'([^']*)'/g)].map((k) => k[1] ?? k[2] ?? k[0]).join('.');
}

function tableName(environment: string): string {
  return /^[A-Za-z0-9_-]+$/.test(environment) ? environment : `"${escapeBasic(environment)}"`;
}

function escapeBasic(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function closingQuote(text: string, at: number): number | undefined {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') return undefined;
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) return i;
  }
  return undefined;
}

/** The strings of an array between two offsets (comments skipped), with their quotes. */
function stringsIn(text: string, from: number, to: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = closingQuote(text, i);
      if (close === undefined) return out;
      out.push({ start: i, end: close + 1 });
      i = close;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? to : nl;
    }
  }
  return out;
}

function closingBracket(text: string, at: number): number | undefined {
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = closingQuote(text, i);
      if (close === undefined) return undefined;
      i = close;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (c === ']') return i;
  }
  return undefined;
}
