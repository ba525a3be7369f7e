/**
 * Where the cursor is, structurally, while the user types: the keys from the root down to the slot at
 * the cursor, and the range of the partial word that a completion replaces. Half-typed text rarely
 * parses into the tree the way it will end up, so this reads the text itself: YAML by indentation (and
 * a small scanner for flow collections on the cursor's line), JSON by a forward scan of its tokens.
 */
import type { Format } from '../core/types';

/** A sequence level in `path`. */
export const ITEM = '[]';

export interface CursorContext {
  /**
   * Keys from the root to the slot at the cursor, with `ITEM` for a sequence level. For `position`
   * `key`, the path of the map whose key is being typed; for `value`, it ends with that key; for
   * `item`, it ends with `ITEM`.
   */
  path: string[];
  position: 'key' | 'value' | 'item';
  /** What a completion replaces: the partial word around the cursor. */
  replace: { start: number; end: number };
  /** The text from `replace.start` to the cursor. */
  typed: string;
  /** Inside a YAML flow collection or JSON: values must be written inline. */
  flow: boolean;
  /** JSON: the cursor is inside a string literal, which `replace` covers with its quotes. */
  inString: boolean;
}

export function cursorContext(text: string, offset: number, format: Format): CursorContext | undefined {
  return format === 'json' ? jsonContext(text, offset) : yamlContext(text, offset);
}

interface LineShape {
  /** Column of the first character that is not a space. */
  col: number;
  dashes: number;
  /** Column of the content after the dashes. */
  contentCol: number;
  key?: string;
  /** The text after `key:`. */
  after?: string;
  /** Offset (in the line) where `after` starts. */
  afterStart?: number;
  rest: string;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)\s*:(?=\s|$)/;

function shape(line: string): LineShape {
  const indent = /^ */.exec(line)![0].length;
  let i = indent;
  let dashes = 0;
  while (line[i] === '-' && (line[i + 1] === ' ' || line[i + 1] === undefined || line[i + 1] === '\t')) {
    dashes++;
    i++;
    while (line[i] === ' ' || line[i] === '\t') i++;
  }
  const rest = line.slice(i);
  const out: LineShape = { col: indent, dashes, contentCol: i, rest };
  const m = KEY.exec(rest);
  if (m) {
    out.key = unquote(m[1]!.trim());
    const afterStart = i + m[0].length;
    out.after = line.slice(afterStart);
    out.afterStart = afterStart;
  }
  return out;
}

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.startsWith("'") && key.endsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/** Whether the text after `key:` leaves the value to the following lines. */
function opensBlock(after: string): boolean {
  const t = after.replace(/\s+#.*$/, '').trim();
  if (t === '' || t.startsWith('#')) return true;
  // An anchor or a tag alone (`Properties: &props`, `VpcConfig: !If`) also opens a block.
  return /^(&\S+|!\S*)(\s+(&\S+|!\S*))*$/.test(t);
}

function yamlContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  const cursorCol = offset - lineStart;
  const prefix = line.slice(0, cursorCol);
  if (/(^|\s)#/.test(stripQuoted(prefix))) return undefined; // in a comment
  const current = shape(prefix);
  const suffix: string[] = [];
  let position: CursorContext['position'];
  let flow = false;
  let replaceStart: number;
  let threshold: number;
  let thresholdIsDash = false;

  if (current.key !== undefined && current.after !== undefined) {
    for (let d = 0; d < current.dashes; d++) suffix.push(ITEM);
    suffix.push(current.key);
    const flowCtx = flowContext(current.after);
    if (flowCtx) {
      suffix.push(...flowCtx.path);
      position = flowCtx.position;
      flow = true;
      replaceStart = current.afterStart! + flowCtx.tokenStart;
    } else {
      position = 'value';
      replaceStart = current.afterStart! + (/^\s*/.exec(current.after)![0].length);
    }
    threshold = current.dashes > 0 ? current.col : current.contentCol;
    thresholdIsDash = current.dashes > 0;
  } else if (current.dashes > 0) {
    for (let d = 0; d < current.dashes; d++) suffix.push(ITEM);
    const flowCtx = flowContext(current.rest);
    if (flowCtx) {
      suffix.push(...flowCtx.path);
      position = flowCtx.position;
      flow = true;
      replaceStart = current.contentCol + flowCtx.tokenStart;
    } else {
      position = 'item';
      replaceStart = current.contentCol;
    }
    threshold = current.col;
    thresholdIsDash = true;
  } else {
    if (current.rest.includes(':') || /["'[{]/.test(current.rest)) return undefined;
    position = 'key';
    replaceStart = current.contentCol;
    threshold = current.contentCol;
  }

  // Ancestors: walk up to lines that are less indented.
  const ancestors: string[] = [];
  let pos = lineStart;
  while (threshold > 0 && pos > 0) {
    const prevEnd = pos - 1;
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    pos = prevStart;
    const raw = text.slice(prevStart, prevEnd).replace(/\r$/, '');
    if (raw.trim() === '' || raw.trimStart().startsWith('#') || raw.startsWith('---') || raw.startsWith('...')) continue;
    const s = shape(raw);
    if (s.col > threshold || (s.col === threshold && !(thresholdIsDash && s.dashes === 0 && s.key !== undefined))) continue;
    if (s.key !== undefined && s.after !== undefined) {
      const keyCol = s.contentCol;
      const parent = keyCol < threshold || (keyCol === threshold && thresholdIsDash);
      if (parent && opensBlock(s.after)) {
        ancestors.unshift(s.key);
        for (let d = 0; d < s.dashes; d++) ancestors.unshift(ITEM);
        threshold = s.col;
        thresholdIsDash = s.dashes > 0;
        continue;
      }
      if (s.dashes > 0 && s.col < threshold) {
        // `- key: value` above a sibling key of the same item.
        for (let d = 0; d < s.dashes; d++) ancestors.unshift(ITEM);
        threshold = s.col;
        thresholdIsDash = true;
      }
      continue;
    }
    if (s.dashes > 0 && s.rest.trim() === '' && s.col < threshold) {
      for (let d = 0; d < s.dashes; d++) ancestors.unshift(ITEM);
      threshold = s.col;
      thresholdIsDash = true;
    }
  }
  const replaceEnd = wordEnd(line, cursorCol, flow);
  const start = lineStart + Math.min(replaceStart, cursorCol);
  return {
    path: [...ancestors, ...suffix],
    position,
    replace: { start, end: lineStart + replaceEnd },
    typed: text.slice(start, offset),
    flow,
    inString: false,
  };
}

/** Blanks out quoted text so that `#` inside quotes is not taken for a comment. */
function stripQuoted(s: string): string {
  return s.replace(/"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?/g, (m) => ' '.repeat(m.length));
}

/** Where the partial word at the cursor ends: up to a separator (in flow) or the end of the line. */
function wordEnd(line: string, cursorCol: number, flow: boolean): number {
  let end = cursorCol;
  if (flow) {
    while (end < line.length && !/[,\]}]/.test(line[end]!)) end++;
  } else {
    const comment = line.indexOf(' #', cursorCol);
    end = comment >= 0 ? comment : line.length;
  }
  while (end > cursorCol && /\s/.test(line[end - 1]!)) end--;
  return end;
}

/**
 * The flow collection (if any) open at the end of `text` (the value part of a YAML line): the path
 * inside it and where the current token starts.
 */
function flowContext(text: string): { path: string[]; position: CursorContext['position']; tokenStart: number } | undefined {
  interface Frame { kind: '[' | '{'; key?: string; afterColon: boolean; tokenStart: number; keyStart: number; pathKey?: string }
  const stack: Frame[] = [];
  let i = 0;
  // A tag before the collection (`!Select [`) belongs to the value, not to the collection.
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const close = c === '"' ? findClose(text, i) : text.indexOf("'", i + 1);
      if (close < 0) {
        i = text.length;
        break;
      }
      if (stack.length) {
        const top = stack[stack.length - 1]!;
        if (top.kind === '{' && !top.afterColon) top.key = unquote(text.slice(i, close + 1));
      }
      i = close + 1;
      continue;
    }
    if (c === '[' || c === '{') {
      const parent = stack[stack.length - 1];
      const pathKey = parent ? (parent.kind === '[' ? ITEM : parent.key ?? '') : undefined;
      stack.push({ kind: c, afterColon: false, tokenStart: i + 1, keyStart: i + 1, pathKey });
      i++;
      continue;
    }
    if (c === ']' || c === '}') {
      stack.pop();
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top) {
      if (c === ',') {
        top.afterColon = false;
        top.key = undefined;
        top.tokenStart = i + 1;
        top.keyStart = i + 1;
      } else if (c === ':' && top.kind === '{' && !top.afterColon && /[\s,\]}]/.test(text[i + 1] ?? ' ')) {
        if (top.key === undefined) top.key = text.slice(top.keyStart, i).trim();
        top.afterColon = true;
        top.tokenStart = i + 1;
      }
    }
    i++;
  }
  if (stack.length === 0) return undefined;
  const path: string[] = [];
  for (let f = 1; f < stack.length; f++) path.push(stack[f]!.pathKey ?? '');
  const top = stack[stack.length - 1]!;
  let tokenStart = top.tokenStart;
  while (tokenStart < text.length && /\s/.test(text[tokenStart]!)) tokenStart++;
  if (top.kind === '[') {
    path.push(ITEM);
    return { path, position: 'item', tokenStart };
  }
  if (top.afterColon) {
    path.push(top.key ?? '');
    return { path, position: 'value', tokenStart };
  }
  return { path, position: 'key', tokenStart };
}

function findClose(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function jsonContext(text: string, offset: number): CursorContext | undefined {
  interface Frame { kind: 'obj' | 'arr'; pathKey?: string; key?: string; afterColon: boolean }
  const stack: Frame[] = [];
  let i = 0;
  let stringStart = -1;
  while (i < offset) {
    const c = text[i]!;
    if (c === '"') {
      const close = findClose(text, i);
      if (close < 0 || close >= offset) {
        stringStart = i;
        break;
      }
      const top = stack[stack.length - 1];
      if (top?.kind === 'obj' && !top.afterColon) top.key = unquote(text.slice(i, close + 1));
      i = close + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= offset) return undefined;
      i = nl + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const pathKey = parent ? (parent.kind === 'arr' ? ITEM : parent.key ?? '') : undefined;
      stack.push({ kind: c === '{' ? 'obj' : 'arr', pathKey, afterColon: false });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ':') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'obj') top.afterColon = true;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'obj') {
        top.afterColon = false;
        top.key = undefined;
      }
    }
    i++;
  }
  const top = stack[stack.length - 1];
  if (!top) return undefined;
  const path: string[] = [];
  for (let f = 1; f < stack.length; f++) path.push(stack[f]!.pathKey ?? '');
  let position: CursorContext['position'];
  if (top.kind === 'arr') {
    path.push(ITEM);
    position = 'item';
  } else if (top.afterColon) {
    path.push(top.key ?? '');
    position = 'value';
  } else position = 'key';
  let start: number;
  let end: number;
  const inString = stringStart >= 0;
  if (inString) {
    start = stringStart;
    const close = findClose(text, stringStart);
    const nl = text.indexOf('\n', offset);
    end = close >= 0 && (nl < 0 || close < nl) ? close + 1 : offset;
  } else {
    start = offset;
    while (start > 0 && /[A-Za-z0-9_.:-]/.test(text[start - 1]!)) start--;
    end = offset;
    while (end < text.length && /[A-Za-z0-9_.:-]/.test(text[end]!)) end++;
  }
  return { path, position, replace: { start, end }, typed: text.slice(start, offset), flow: true, inString };
}
