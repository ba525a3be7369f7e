/**
 * A JSON reader that keeps the span of every node, for the common syntax tree. It never throws: a
 * syntax error becomes a problem and the tree read so far is kept, so that a half-typed template
 * still gets analysed as far as it goes.
 */
import type { MapNode, Node, Pair, ScalarNode, SeqNode } from '../tree';
import type { Problem } from './problems';

export const MAX_DEPTH = 2000;

class JsonSyntaxError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

export function parseJson(text: string): { root: Node | undefined; problems: Problem[] } {
  const reader = new Reader(text);
  const problems: Problem[] = [];
  let root: Node | undefined;
  try {
    reader.skipSpace();
    if (reader.pos >= text.length) return { root: undefined, problems };
    root = reader.value(0);
    reader.skipSpace();
    if (reader.pos < text.length) throw new JsonSyntaxError('Unexpected text after the end of the JSON value', reader.pos);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    problems.push({ message: err.message, span: { start: err.at, end: Math.min(text.length, err.at + 1) }, severity: 'error' });
    root = reader.partial;
  }
  return { root, problems };
}

class Reader {
  pos = 0;
  /** The outermost container, kept so that a syntax error still leaves what was read. */
  partial: Node | undefined;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) p++;
      else if (c === 47 && t.charCodeAt(p + 1) === 47) {
        // Comments are not JSON, but editors allow them in JSON with comments: skip rather than fail.
        const nl = t.indexOf('\n', p);
        p = nl < 0 ? t.length : nl + 1;
      } else break;
    }
    this.pos = p;
  }

  /** `attach` receives a container as soon as it is opened, so a later syntax error keeps it in the tree. */
  value(depth: number, attach?: (node: Node) => void): Node {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`JSON nested more than ${MAX_DEPTH} levels deep`, this.pos);
    const c = this.text.charCodeAt(this.pos);
    if (c === 123) return this.object(depth, attach);
    if (c === 91) return this.array(depth, attach);
    if (c === 34) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        const start = this.pos;
        this.pos += word.length;
        return { kind: 'scalar', value, start, end: this.pos };
      }
    }
    if (this.pos >= this.text.length) throw new JsonSyntaxError('Unexpected end of JSON', this.pos);
    throw new JsonSyntaxError(`Unexpected character '${this.text[this.pos]}' in JSON`, this.pos);
  }

  private object(depth: number, attach?: (node: Node) => void): MapNode {
    const pairs: Pair[] = [];
    const node: MapNode = { kind: 'map', pairs, flow: true, start: this.pos, end: this.text.length };
    if (!this.partial) this.partial = node;
    attach?.(node);
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      node.end = this.pos;
      return node;
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 34) throw new JsonSyntaxError('Expected a property name in double quotes', this.pos);
      const key = this.string();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 58) throw new JsonSyntaxError("Expected ':' after a property name", this.pos);
      this.pos++;
      this.skipSpace();
      const pair: Pair = { key, value: { kind: 'scalar', value: null, start: this.pos, end: this.pos } };
      pairs.push(pair);
      pair.value = this.value(depth + 1, (child) => (pair.value = child));
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        node.end = this.pos;
        return node;
      }
      throw new JsonSyntaxError("Expected ',' or '}' in an object", this.pos);
    }
  }

  private array(depth: number, attach?: (node: Node) => void): SeqNode {
    const items: Node[] = [];
    const node: SeqNode = { kind: 'seq', items, flow: true, start: this.pos, end: this.text.length };
    if (!this.partial) this.partial = node;
    attach?.(node);
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      node.end = this.pos;
      return node;
    }
    for (;;) {
      this.skipSpace();
      const index = items.length;
      const item = this.value(depth + 1, (child) => (items[index] = child));
      items[index] = item;
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        node.end = this.pos;
        return node;
      }
      throw new JsonSyntaxError("Expected ',' or ']' in an array", this.pos);
    }
  }

  private string(): ScalarNode {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    // Fast path: a string without escapes is one slice.
    for (let q = p; q < t.length; q++) {
      const c = t.charCodeAt(q);
      if (c === 34) {
        this.pos = q + 1;
        return { kind: 'scalar', value: t.slice(p, q), start, end: this.pos, quoted: true };
      }
      if (c === 92 || c === 10) break;
    }
    let out = '';
    for (;;) {
      if (p >= t.length) throw new JsonSyntaxError('Unterminated string', start);
      const c = t.charCodeAt(p);
      if (c === 34) break;
      if (c === 10) throw new JsonSyntaxError('Unterminated string', start);
      if (c === 92) {
        const e = t[p + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          p += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(p + 2, p + 6))) {
          out += String.fromCharCode(parseInt(t.slice(p + 2, p + 6), 16));
          p += 6;
        } else {
          throw new JsonSyntaxError('Invalid escape in string', p);
        }
        continue;
      }
      out += t[p];
      p++;
    }
    this.pos = p + 1;
    return { kind: 'scalar', value: out, start, end: this.pos, quoted: true };
  }

  private number(): ScalarNode {
    const start = this.pos;
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = start;
    const match = m.exec(this.text);
    if (!match || match[0] === '-') throw new JsonSyntaxError('Invalid number', start);
    this.pos = start + match[0].length;
    return { kind: 'scalar', value: Number(match[0]), start, end: this.pos };
  }
}
