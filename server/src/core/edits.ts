/**
 * The one edit builder every fix uses. It writes values in the style of the text around the edit: YAML
 * block style, YAML flow style or JSON; short-form tags (`!Ref`) when the file uses them, long form
 * otherwise; and the file's own indentation. Edits are offset ranges, applied by `applyEdits`.
 */
import type { MapNode, Node, SeqNode } from './tree';
import { get, getPair, isMap } from './tree';
import type { Edit, Format } from './types';

/** A value to write: plain JSON data, where a one-key `Ref` / `Fn::*` object is an intrinsic function. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

const SHORT: Record<string, string> = { Ref: '!Ref', 'Fn::GetAtt': '!GetAtt', 'Fn::Sub': '!Sub', 'Fn::Select': '!Select', 'Fn::GetAZs': '!GetAZs', 'Fn::If': '!If', 'Fn::Join': '!Join', 'Fn::Cidr': '!Cidr', 'Fn::ImportValue': '!ImportValue' };

export class EditBuilder {
  readonly shortTags: boolean;
  private readonly unit: number;
  private readonly eol: string;

  constructor(readonly text: string, readonly format: Format, readonly root: Node) {
    this.shortTags = format === 'yaml' && /(^|[\s:[,-])!(Ref|GetAtt|Sub|If|Select|Join)\b/m.test(text);
    this.unit = detectIndentUnit(text);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** The column of the line a node starts on, and that line's leading white space. */
  private lineIndent(offset: number): string {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart, offset))![0];
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  /** Replaces a node with a value, written inline. */
  replace(node: { start: number; end: number }, value: Value): Edit {
    // A block node's range runs to the start of the next line: keep that line break.
    return { start: node.start, end: this.trimmedEnd(node), text: this.inline(value) };
  }

  /** Sets `key` in a map: replaces its value when present, adds the key otherwise. */
  setKey(map: MapNode, key: string, value: Value): Edit {
    const pair = getPair(map, key);
    if (pair) {
      if (this.format === 'yaml' && !map.flow && isBlockValue(value)) {
        const indent = ' '.repeat(this.column(pair.key.start));
        return { start: pair.key.end, end: pair.value.end, text: ':' + this.block(value, indent + ' '.repeat(this.unit)) };
      }
      if (this.format === 'yaml' && !map.flow && pair.value.kind !== 'scalar' && !pair.value.flow) {
        // A block value on the lines below the key: the new one goes on the key's line.
        return { start: pair.key.end, end: this.trimmedEnd(pair.value), text: `: ${this.inline(value)}` };
      }
      // Keep the separator: replace only the value.
      return this.replace(pair.value, value);
    }
    return this.addKey(map, key, value);
  }

  /** Adds a key to a map (the key must not be there yet). */
  addKey(map: MapNode, key: string, value: Value): Edit {
    const last = map.pairs[map.pairs.length - 1];
    if (this.format === 'json' || map.flow) {
      const k = this.format === 'json' ? JSON.stringify(key) : yamlKey(key);
      const close = this.text.lastIndexOf('}', map.end);
      if (!last) return { start: map.start, end: map.end, text: `{ ${k}: ${this.inline(value)} }` };
      const multiline = this.text.slice(map.start, last.key.start).includes('\n');
      const end = last.value.end;
      if (multiline) {
        const indent = this.lineIndent(last.key.start);
        const body = this.format === 'json' ? this.json(value, indent) : this.inline(value);
        return { start: end, end, text: `,${this.eol}${indent}${k}: ${body}` };
      }
      return { start: end, end: Math.max(end, Math.min(close, end)), text: `, ${k}: ${this.inline(value)}` };
    }
    if (!last) return { start: map.start, end: map.end, text: `{ ${yamlKey(key)}: ${this.inline(value)} }` };
    const indent = ' '.repeat(this.column(map.pairs[0]!.key.start));
    const at = this.lineEndAfter(last.value.end > last.key.end ? last.value.end : last.key.end);
    return { start: at, end: at, text: `${this.eol}${indent}${yamlKey(key)}:${this.block(value, indent + ' '.repeat(this.unit))}` };
  }

  /** Removes a key and its value from a map (the key must be there); an only key leaves an empty map. */
  removeKey(map: MapNode, key: string): Edit {
    const index = map.pairs.findIndex((p) => p.key.value === key);
    const pair = map.pairs[index]!;
    if (map.pairs.length === 1) return this.replace(map, {});
    if (this.format === 'json' || map.flow) {
      // With the comma before it, or, for the first key, the comma and space after it.
      if (index > 0) return { start: this.trimmedEnd(map.pairs[index - 1]!.value), end: this.trimmedEnd(pair.value), text: '' };
      return { start: pair.key.start, end: map.pairs[1]!.key.start, text: '' };
    }
    // Block style: the key's lines, with the line break before them.
    const lineStart = this.text.lastIndexOf('\n', pair.key.start - 1) + 1;
    const end = this.lineEndAfter(pair.value.end > pair.key.end ? pair.value.end : pair.key.end);
    if (lineStart === 0) return { start: 0, end: Math.min(this.text.length, end + this.eol.length), text: '' };
    const start = this.text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
    return { start, end, text: '' };
  }

  private trimmedEnd(node: { start: number; end: number }): number {
    let end = node.end;
    while (end > node.start && /\s/.test(this.text[end - 1]!)) end--;
    return end;
  }

  /** Appends an item to a list; when the key is missing or holds a single value, writes a list. */
  appendToList(map: MapNode, key: string, item: Value): Edit {
    const node = get(map, key);
    if (!node) return this.addKey(map, key, [item]);
    if (node.kind !== 'seq') {
      // `DependsOn: A` becomes `DependsOn: [A, B]`.
      const existing = node.kind === 'scalar' ? (node.value as Value) : undefined;
      if (existing === undefined) return this.setKey(map, key, [item]);
      return { start: node.start, end: node.end, text: this.inline([existing, item]) };
    }
    return this.appendToSeq(node, item);
  }

  appendToSeq(seq: SeqNode, item: Value): Edit {
    const last = seq.items[seq.items.length - 1];
    if (this.format === 'json' || seq.flow) {
      if (!last) {
        const close = this.text.lastIndexOf(']', seq.end);
        return { start: close, end: close, text: this.inline(item) };
      }
      const multiline = this.text.slice(seq.start, last.start).includes('\n');
      if (multiline) {
        const indent = this.lineIndent(last.start);
        return { start: last.end, end: last.end, text: `,${this.eol}${indent}${this.format === 'json' ? this.json(item, indent) : this.inline(item)}` };
      }
      return { start: last.end, end: last.end, text: `, ${this.inline(item)}` };
    }
    if (!last) return { start: seq.start, end: seq.end, text: this.inline([item]) };
    const first = seq.items[0]!;
    const dash = this.text.lastIndexOf('-', first.start);
    const indent = ' '.repeat(this.column(dash >= 0 ? dash : first.start));
    const at = this.lineEndAfter(last.end);
    return { start: at, end: at, text: `${this.eol}${indent}- ${this.blockItem(item, indent + '  ')}` };
  }

  /** Adds resources to the template: `Resources`, or a Serverless file's `resources.Resources`. */
  addResources(resources: Record<string, Value>, serverless: boolean): Edit[] {
    const target = serverless ? get(get(this.root, 'resources'), 'Resources') : get(this.root, 'Resources');
    if (isMap(target)) {
      // An empty map is replaced as a whole: one edit, or the replacements would overlap.
      if (target.pairs.length === 0) return [this.replace(target, resources)];
      return Object.entries(resources).map(([id, value]) => this.addKey(target, id, value));
    }
    if (!isMap(this.root)) return [];
    const wrapper: Value = serverless ? { Resources: resources } : resources;
    const key = serverless ? 'resources' : 'Resources';
    // A key that is there but holds no map (a list of `${file()}`s, a variable) leaves no place to write.
    if (target !== undefined) return [];
    if (serverless) {
      const existing = get(this.root, 'resources');
      if (isMap(existing)) return [this.addKey(existing, 'Resources', resources)];
      if (existing !== undefined) return [];
    }
    return [this.addKey(this.root, key, wrapper)];
  }

  /** A logical id not used in the template, from a base name. */
  /** `taken` is best a Set or Map (looked up, not copied); `reserved` collects ids chosen for one fix. */
  uniqueId(base: string, taken: { has(id: string): boolean } | Iterable<string>, reserved: Set<string> = new Set()): string {
    const lookup = typeof (taken as { has?: unknown }).has === 'function' ? (taken as { has(id: string): boolean }) : new Set(taken as Iterable<string>);
    const used = (id: string) => lookup.has(id) || reserved.has(id);
    const clean = base.replace(/[^A-Za-z0-9]/g, '') || 'Resource';
    let id = clean;
    for (let i = 2; used(id); i++) id = `${clean}${i}`;
    reserved.add(id);
    return id;
  }

  private lineEndAfter(offset: number): number {
    // Back over trailing white space the node may include, then to the end of that line.
    let end = offset;
    while (end > 0 && /\s/.test(this.text[end - 1]!)) end--;
    const nl = this.text.indexOf('\n', end);
    if (nl < 0) return this.text.length;
    return this.text[nl - 1] === '\r' ? nl - 1 : nl;
  }

  /** A value written on one line, in the file's format. */
  inline(value: Value): string {
    if (this.format === 'json') return JSON.stringify(value);
    return this.yamlInline(value);
  }

  private yamlInline(value: Value): string {
    const intrinsic = intrinsicOf(value);
    if (intrinsic && this.shortTags && SHORT[intrinsic.name]) {
      const arg = intrinsic.arg;
      if (intrinsic.name === 'Fn::GetAtt' && Array.isArray(arg) && arg.length === 2 && arg.every((a) => typeof a === 'string')) {
        return `!GetAtt ${arg[0]}.${arg[1]}`;
      }
      return `${SHORT[intrinsic.name]} ${this.yamlInline(arg)}`;
    }
    if (Array.isArray(value)) return `[${value.map((v) => this.yamlInline(v)).join(', ')}]`;
    if (value !== null && typeof value === 'object') {
      return `{ ${Object.entries(value).map(([k, v]) => `${yamlKey(k)}: ${this.yamlInline(v)}`).join(', ')} }`;
    }
    return yamlScalar(value);
  }

  /** The text after `key:` in block style: ` scalar`, or a new line and an indented block. */
  private block(value: Value, indent: string): string {
    if (!isBlockValue(value) || (intrinsicOf(value) && this.shortTags)) return ` ${this.yamlInline(value)}`;
    const eol = this.eol;
    if (Array.isArray(value)) return value.map((v) => `${eol}${indent}- ${this.blockItem(v, indent + '  ')}`).join('');
    return Object.entries(value as Record<string, Value>).map(([k, v]) => `${eol}${indent}${yamlKey(k)}:${this.block(v, indent + ' '.repeat(this.unit))}`).join('');
  }

  /** A list item's text after `- `. */
  private blockItem(value: Value, indent: string): string {
    if (!isBlockValue(value) || (intrinsicOf(value) && this.shortTags)) return this.yamlInline(value);
    if (Array.isArray(value)) return this.yamlInline(value);
    const entries = Object.entries(value as Record<string, Value>);
    return entries.map(([k, v], i) => `${i === 0 ? '' : `${this.eol}${indent}`}${yamlKey(k)}:${this.block(v, indent + ' '.repeat(this.unit))}`).join('');
  }

  /** JSON, indented to continue at `indent`, with the file's indent unit. */
  private json(value: Value, indent: string): string {
    const text = JSON.stringify(value, null, this.unit);
    return text.split('\n').join(`${this.eol}${indent}`);
  }
}

function intrinsicOf(value: Value): { name: string; arg: Value } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0]!;
  return name === 'Ref' || name.startsWith('Fn::') ? { name, arg: value[name]! } : undefined;
}

function isBlockValue(value: Value): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

function yamlKey(key: string): string {
  return /^[A-Za-z0-9_.:-]+$/.test(key) && !/:$/.test(key) ? key : JSON.stringify(key);
}

const PLAIN = /^[A-Za-z0-9_/.][A-Za-z0-9_ ./:@-]*$/;
const AMBIGUOUS = /^(true|false|yes|no|on|off|null|~|y|n|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+)$/i;

function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  if (value !== '' && PLAIN.test(value) && !AMBIGUOUS.test(value) && !value.includes(': ') && !value.includes(' #') && !/\s$/.test(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

function detectIndentUnit(text: string): number {
  const m = /\n( +)\S/.exec(text);
  const n = m ? m[1]!.length : 2;
  return n >= 1 && n <= 8 ? n : 2;
}

/**
 * Applies non-overlapping edits to a text. Inserts at the same offset appear in the order given, as
 * LSP's `TextEdit[]` specifies (several added resources land at the end of `Resources` in order).
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) continue; // overlapping: keep the later one only
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/**
 * The text in snippet syntax: each placeholder's first occurrence becomes a numbered tab stop with no
 * default (`${1}`), so that nothing fake is left where the user moves on; `$`, `}` and `\` elsewhere
 * are escaped so they stay literal.
 */
export function toSnippet(text: string, placeholders: readonly string[]): string {
  const escape = (s: string) => s.replace(/[\\$}]/g, '\\$&');
  let out = '';
  let rest = text;
  placeholders.forEach((p, i) => {
    const at = rest.indexOf(p);
    if (at < 0) return;
    out += `${escape(rest.slice(0, at))}\${${i + 1}}`;
    rest = rest.slice(at + p.length);
  });
  return out + escape(rest);
}
