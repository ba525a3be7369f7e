/**
 * A single-pass reader for the YAML that templates are written in, building the common syntax tree
 * straight from the text. It exists because composing a full `yaml` Document costs most of the time of
 * every check of a large template, and almost every template uses a small part of YAML.
 *
 * The subset: one document (an optional leading `---`), a block map at the root; block maps and
 * sequences, including `- key: value` maps inside sequences and a sequence at its key's indentation;
 * flow `[...]` and `{...}` collections over one or more lines; plain scalars (folded over lines),
 * single- and double-quoted scalars (escapes, folding), literal and folded block scalars with chomping and
 * indentation indicators; comments; the CloudFormation short-form tags on scalars, sequences and maps.
 *
 * It is exact or silent. The tree it returns is the one `parseYaml` would build with the `yaml` package:
 * the same values and scalar types (YAML 1.2 core schema), the same spans, down to where a block
 * collection ends when comments follow its last value. Whenever the text leaves the subset or is not
 * certainly valid (anchors, aliases, merge keys, other tags, directives, a second document, explicit
 * keys, tabs, CR line ends, a byte order mark, odd indentation, a bad escape, anything the `yaml`
 * package would report), it returns undefined and the caller reads the text the slow way. So a fast
 * result never carries a problem: every error and warning comes from the `yaml` package.
 */
import type { MapNode, Node, Pair, ScalarNode, SeqNode } from '../tree';
import { SHORT_TAGS, longForm, tagStart } from './short-tags';

const NL = 10;
const SP = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DOT = 46;
const BANG = 33;
const SQUOTE = 39;
const DQUOTE = 34;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const COMMA = 44;
const PIPE = 124;
const GT = 62;

/** Deeper nesting than this is left to the full reader, which reports it. */
const MAX_DEPTH = 100;

/** Characters the fast path does not take a plain scalar or key to start with. */
const BAD_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
/** Characters a continuation line of a plain scalar may not start with, to stay clear of indicators. */
const BAD_CONTINUATION_START = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

/** Control characters, tabs, CR and a byte order mark: all are left to the full reader. */
const UNSUPPORTED_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f\ufeff]/;

const BAIL = Symbol('outside the fast subset');

interface GapComment {
  indent: number;
  end: number;
}

interface BlockHeader {
  folded: boolean;
  chomp: '' | '-' | '+';
  /** The indentation indicator, 0 when there is none. */
  explicit: number;
  /** Where the header ends, with its comment. */
  end: number;
  /** The line break after the header, or the end of the text. */
  eol: number;
}

interface BlockBody {
  /** The lines up to the last with content, without the content indentation; blank ones are spaces or ''. */
  lines: string[];
  /** The end of the last content line's text. */
  end: number;
  /** The start of the first line after the content and the blank lines that follow it. */
  stop: number;
  /** The line breaks from the last content up to `stop`. */
  breaks: number;
}

/** The tree of `text` when it is in the subset, or undefined when the full reader must decide. */
export function parseYamlFast(text: string): Node | undefined {
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  const reader = new FastReader(text);
  try {
    return reader.document();
  } catch {
    // A bail-out, or anything unforeseen: the full reader is always right.
    return undefined;
  }
}

function bail(): never {
  throw BAIL;
}

class FastReader {
  private readonly len: number;
  private pos = 0;
  /** Where the node read last ends with the comments that belong to it (the `yaml` range's third offset). */
  private tail = 0;
  /** The indentation of the next content line, or -1 at the end of the text. */
  private next = -1;
  /** The comment lines between the last content and the next, not yet given to a node. */
  private gap: GapComment[] = [];
  private depth = 0;
  private flowDepth = 0;

  constructor(private readonly text: string) {
    this.len = text.length;
  }

  document(): Node {
    this.scanGap(true);
    if (this.next === 0 && this.isDocMarker(this.pos, DASH)) {
      this.pos += 3;
      this.endOfLine();
      this.scanGap(false);
    }
    if (this.next !== 0 || this.isSeqIndicator(this.pos)) bail();
    this.gap.length = 0;
    const root = this.blockMap(0);
    if ((this.next as number) !== -1) bail();
    return root;
  }

  // Block collections -----------------------------------------------------------------------------

  /** A block map whose first key is at `pos`, at indentation `indent`. */
  private blockMap(indent: number): MapNode {
    this.enter();
    const start = this.pos;
    const pairs: Pair[] = [];
    let end: number;
    for (;;) {
      const key = this.key();
      const value = this.value(indent, true, this.pos - 1);
      pairs.push({ key, value });
      // An empty last value sits after the spaces that follow its indicator; the collection ends before them.
      end = this.trimWhite(start, this.tail);
      if (this.next !== indent) break;
      if (this.isSeqIndicator(this.pos)) bail();
      this.gap.length = 0;
    }
    if (this.next > indent) bail();
    this.depth--;
    this.close(indent, end);
    return { kind: 'map', pairs, flow: false, start, end };
  }

  /** A block sequence whose first `-` is at `pos`, at indentation `indent`. */
  private blockSeq(indent: number): SeqNode {
    this.enter();
    const start = this.pos;
    const items: Node[] = [];
    let end: number;
    for (;;) {
      const dash = this.pos;
      this.pos++;
      items.push(this.value(indent, false, dash));
      end = this.trimWhite(start, this.tail);
      if (this.next !== indent || !this.isSeqIndicator(this.pos)) break;
      this.gap.length = 0;
    }
    if (this.next > indent) bail();
    this.depth--;
    this.close(indent, end);
    return { kind: 'seq', items, flow: false, start, end };
  }

  /**
   * A closing collection keeps the comment lines after its last value when one of them is at least as
   * indented as the collection itself (and it is not at the left margin); its parent then ends after them.
   */
  private close(indent: number, end: number): void {
    this.tail = end;
    if (indent === 0) return;
    const gap = this.gap;
    for (let i = 0; i < gap.length; i++) {
      if (gap[i]!.indent >= indent) {
        this.tail = gap[gap.length - 1]!.end;
        gap.length = 0;
        return;
      }
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) bail();
  }

  /** A block map key and its `:`; `pos` ends after the `:`. */
  private key(): ScalarNode {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === SQUOTE || c === DQUOTE) {
      const node = this.quoted(start, -1);
      const colon = this.skipSpaces(this.pos);
      if (text.charCodeAt(colon) !== COLON || !this.isBlank(colon + 1)) bail();
      this.pos = colon + 1;
      return node;
    }
    if (BAD_PLAIN_START.has(c) || c === DASH || c === COLON || c === 63 /* ? */) bail();
    let end = start;
    let i = start;
    for (;; i++) {
      if (i >= this.len) bail();
      const ch = text.charCodeAt(i);
      if (ch === NL) bail();
      if (ch === COLON && this.isBlank(i + 1)) break;
      if (ch === SP) {
        if (text.charCodeAt(i + 1) === HASH) bail();
      } else {
        end = i + 1;
      }
    }
    const raw = text.slice(start, end);
    if (raw === '<<') bail();
    this.pos = i + 1;
    return { kind: 'scalar', value: coreValue(raw), start, end };
  }

  /**
   * The value after a map's `:` or a sequence's `-` (at `indicator`), in a collection at `indent`. Leaves
   * `pos` at the next content line, with `next`, `gap` and `tail` set.
   */
  private value(indent: number, inMap: boolean, indicator: number): Node {
    let p = this.skipSpaces(this.pos);
    const tag = this.tagAt(p);
    if (tag !== undefined) p = this.skipSpaces(p + tag.length + 1);
    const c = this.text.charCodeAt(p);
    const node = p >= this.len || c === NL || (c === HASH && this.text.charCodeAt(p - 1) === SP)
      ? this.valueBelow(indent, inMap, tag, p)
      : this.valueHere(indent, !inMap && tag === undefined ? indicator : -1, p);
    return this.tagged(tag, node);
  }

  /** The short tag written at `p` (without its `!`), or undefined when there is none; other tags bail. */
  private tagAt(p: number): string | undefined {
    const text = this.text;
    if (text.charCodeAt(p) !== BANG) return undefined;
    let q = p + 1;
    while (isTagLetter(text.charCodeAt(q))) q++;
    const tag = text.slice(p + 1, q);
    if (!Object.hasOwn(SHORT_TAGS, tag) || !this.isBlank(q)) bail();
    return tag;
  }

  private tagged(tag: string | undefined, node: Node): Node {
    if (tag === undefined) return node;
    // A tagged plain scalar is a string: the core schema does not apply. One that resolved to anything
    // else was on one line, so its text is its value.
    if (node.kind === 'scalar' && typeof node.value !== 'string') node.value = this.text.slice(node.start, node.end);
    return longForm(tag, node, tagStart(this.text, `!${tag}`, node.start));
  }

  /**
   * A value that starts at `p`, on a line with content: a block scalar, a flow node, or a map or sequence
   * written after a sequence's `-` (at `indicator`; -1 where none may start).
   */
  private valueHere(indent: number, indicator: number, p: number): Node {
    const c = this.text.charCodeAt(p);
    if (c === PIPE || c === GT) return this.blockScalar(indent, p);
    if (indicator >= 0 && this.isSeqIndicator(p)) {
      this.pos = p;
      return this.blockSeq(indent + p - indicator);
    }
    if (indicator >= 0 && this.lineHasKey(p)) {
      this.pos = p;
      return this.blockMap(indent + p - indicator);
    }
    let node: Node;
    if (c === LBRACKET || c === LBRACE) {
      this.pos = p;
      this.flowDepth = 0;
      node = this.flowNode(indent);
    } else if (c === SQUOTE || c === DQUOTE) {
      node = this.quoted(p, indent);
    } else {
      node = this.plain(indent, p);
    }
    this.endValueLine(node.end, indent);
    return node;
  }

  /** Nothing more on the indicator's line: a nested collection below, or an empty value. */
  private valueBelow(indent: number, inMap: boolean, tag: string | undefined, at: number): Node {
    let lastComment = -1;
    if (at < this.len && this.text.charCodeAt(at) === HASH) {
      const eol = this.lineEnd(at);
      lastComment = this.trimSpaces(at, eol);
      this.pos = eol + 1;
    } else {
      this.pos = at + 1;
    }
    this.scanGap(false);
    const next = this.next;
    if (next > indent) {
      this.gap.length = 0;
      if (this.isSeqIndicator(this.pos)) return this.blockSeq(next);
      if (this.lineHasKey(this.pos)) return this.blockMap(next);
      return this.valueOwnLine(indent, tag);
    }
    if (next === indent && inMap && this.isSeqIndicator(this.pos)) {
      this.gap.length = 0;
      return this.blockSeq(indent);
    }
    // Every comment up to the next content belongs to the empty value.
    if (this.gap.length > 0) lastComment = this.gap[this.gap.length - 1]!.end;
    this.gap.length = 0;
    this.tail = lastComment >= 0 ? lastComment : at;
    return { kind: 'scalar', value: tag === undefined ? null : '', start: at, end: at };
  }

  /** A scalar or flow collection on its own line below its key or `-`, maybe with a tag of its own. */
  private valueOwnLine(indent: number, outerTag: string | undefined): Node {
    let p = this.pos;
    const tag = this.tagAt(p);
    if (tag !== undefined) {
      if (outerTag !== undefined) bail();
      p = this.skipSpaces(p + tag.length + 1);
    }
    const c = this.text.charCodeAt(p);
    if (tag !== undefined && (p >= this.len || c === NL || (c === HASH && this.text.charCodeAt(p - 1) === SP))) {
      // A tag alone on its line: the collection below it belongs to it.
      return this.tagged(tag, this.valueBelow(indent, false, tag, p));
    }
    if (p >= this.len || c === NL || c === HASH) bail();
    return this.tagged(tag, this.valueHere(indent, -1, p));
  }

  /**
   * After a scalar or flow collection that ends a line: its comment, then the comment lines after it
   * that are indented past its collection, which the `yaml` package counts as part of it.
   */
  private endValueLine(end: number, indent: number): void {
    const comment = this.endOfLine();
    this.tail = comment > end ? comment : end;
    this.scanGap(false);
    const gap = this.gap;
    let taken = 0;
    while (taken < gap.length && gap[taken]!.indent > indent) {
      this.tail = gap[taken]!.end;
      taken++;
    }
    if (taken > 0) gap.splice(0, taken);
  }

  /** Whether the line from `p` is a `key: ...` line (a plain or single-line quoted key). */
  private lineHasKey(p: number): boolean {
    const text = this.text;
    let i = p;
    const c = text.charCodeAt(p);
    if (c === LBRACKET || c === LBRACE || c === BANG) return false;
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.closingQuote(p);
      if (close < 0 || text.lastIndexOf('\n', close) > p) return false;
      i = this.skipSpaces(close + 1);
      return text.charCodeAt(i) === COLON && this.isBlank(i + 1);
    }
    for (; i < this.len; i++) {
      const ch = text.charCodeAt(i);
      if (ch === NL) return false;
      if (ch === COLON && this.isBlank(i + 1)) return true;
      if (ch === SP && text.charCodeAt(i + 1) === HASH) return false;
    }
    return false;
  }

  // Scalars ---------------------------------------------------------------------------------------

  /** A plain scalar in block context, folded over the more-indented lines that continue it. */
  private plain(indent: number, start: number): ScalarNode {
    const text = this.text;
    const first = text.charCodeAt(start);
    if (BAD_PLAIN_START.has(first) || ((first === DASH || first === COLON || first === 63) && this.isBlank(start + 1))) bail();
    let end = this.plainLine(start);
    let value = text.slice(start, end);
    const lineEnd = this.skipSpaces(end);
    if (lineEnd < this.len && text.charCodeAt(lineEnd) === NL) {
      let blanks = 0;
      let j = lineEnd + 1;
      for (;;) {
        const k = this.skipSpaces(j);
        if (k >= this.len) break;
        const ch = text.charCodeAt(k);
        if (ch === NL) {
          blanks++;
          j = k + 1;
          continue;
        }
        if (k - j <= indent || ch === HASH) break;
        if (BAD_CONTINUATION_START.has(ch)) bail();
        const lineContentEnd = this.plainLine(k);
        const after = this.skipSpaces(lineContentEnd);
        if (after < this.len && text.charCodeAt(after) !== NL) bail();
        value += blanks === 0 ? ' ' : '\n'.repeat(blanks);
        value += text.slice(k, lineContentEnd);
        end = lineContentEnd;
        blanks = 0;
        if (after >= this.len) break;
        j = after + 1;
      }
    }
    this.pos = end;
    return { kind: 'scalar', value: coreValue(value), start, end };
  }

  /** The end of the plain text on one line from `start`: up to a comment or the line end; `: ` bails. */
  private plainLine(start: number): number {
    const text = this.text;
    let end = start;
    for (let i = start; i < this.len; i++) {
      const ch = text.charCodeAt(i);
      if (ch === NL) break;
      if (ch === SP) {
        if (text.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (ch === COLON && this.isBlank(i + 1)) bail();
      end = i + 1;
    }
    return end;
  }

  /** The offset of the quote closing the quoted scalar opened at `start`, or -1. */
  private closingQuote(start: number): number {
    const text = this.text;
    const quote = text[start]!;
    let i = start + 1;
    for (;;) {
      const j = text.indexOf(quote, i);
      if (j < 0) return -1;
      if (quote === "'") {
        if (text.charCodeAt(j + 1) === SQUOTE) {
          i = j + 2;
          continue;
        }
        return j;
      }
      let slashes = 0;
      while (text.charCodeAt(j - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) return j;
      i = j + 1;
    }
  }

  /**
   * A quoted scalar at `start`. Its continuation lines must be indented past `indent`; with an indent of
   * -1 it must fit on one line (a key).
   */
  private quoted(start: number, indent: number): ScalarNode {
    const text = this.text;
    const close = this.closingQuote(start);
    if (close < 0) bail();
    const inner = text.slice(start + 1, close);
    const multiLine = inner.includes('\n');
    if (multiLine) {
      if (indent < 0) bail();
      for (let nl = text.indexOf('\n', start); nl >= 0 && nl < close; nl = text.indexOf('\n', nl + 1)) {
        const k = this.skipSpaces(nl + 1);
        if (text.charCodeAt(k) !== NL && k - nl - 1 <= indent) bail();
      }
    }
    let value: string;
    if (text.charCodeAt(start) === SQUOTE) {
      value = multiLine ? unfold(inner) : inner;
      if (value.includes("''")) value = value.replace(/''/g, "'");
    } else {
      value = multiLine || inner.includes('\\') ? doubleQuoted(inner) : inner;
    }
    this.pos = close + 1;
    return { kind: 'scalar', value, start, end: close + 1, quoted: true };
  }

  /** A literal or folded block scalar whose header is at `start`, in a collection at `indent`. */
  private blockScalar(indent: number, start: number): ScalarNode {
    const header = this.blockHeader(start);
    const body = this.blockBody(header.eol + 1, indent, header);
    let value = '';
    let end = header.end;
    if (body.lines.length === 0) {
      if (header.chomp === '+') bail();
    } else {
      value = header.folded ? foldedValue(body.lines) : literalValue(body.lines);
      if (header.chomp === '') value += '\n';
      else if (header.chomp === '+') value += '\n'.repeat(Math.max(1, body.breaks));
      end = body.end;
    }
    this.pos = body.stop;
    this.tail = end;
    this.scanGap(false);
    return { kind: 'scalar', value, start, end, quoted: true };
  }

  /** A block scalar's header line: `|` or `>`, chomping and indentation indicators, maybe a comment. */
  private blockHeader(start: number): BlockHeader {
    const text = this.text;
    let chomp: BlockHeader['chomp'] = '';
    let explicit = 0;
    let i = start + 1;
    for (;; i++) {
      const ch = text[i];
      if ((ch === '+' || ch === '-') && chomp === '') chomp = ch;
      else if (ch !== undefined && ch >= '1' && ch <= '9' && explicit === 0) explicit = Number(ch);
      else break;
    }
    if (!this.isBlank(i)) bail();
    let end = i;
    let eol = this.skipSpaces(i);
    if (eol < this.len && text.charCodeAt(eol) === HASH) {
      if (eol === i) bail();
      const commentEnd = this.lineEnd(eol);
      end = this.trimSpaces(eol, commentEnd);
      eol = commentEnd;
    } else if (eol < this.len && text.charCodeAt(eol) !== NL) {
      bail();
    }
    return { folded: text.charCodeAt(start) === GT, chomp, explicit, end, eol };
  }

  /**
   * The content of a block scalar from the line start `from`, in a collection at `indent`: its lines up to
   * the last one with content (each without the content indentation), then the first line after it.
   */
  private blockBody(from: number, indent: number, header: BlockHeader): BlockBody {
    const text = this.text;
    // The content indentation: explicit, or that of the first non-blank line.
    let contentIndent = header.explicit > 0 ? indent + header.explicit : -1;
    const lines: string[] = [];
    let kept = 0;
    let end = -1;
    let lineStart = from;
    while (lineStart < this.len) {
      const k = this.skipSpaces(lineStart);
      if (k >= this.len || text.charCodeAt(k) === NL) {
        lines.push(text.slice(lineStart, k));
        lineStart = k + 1;
        continue;
      }
      const spaces = k - lineStart;
      if (contentIndent < 0) {
        if (spaces <= indent) break;
        contentIndent = spaces;
      }
      if (spaces < contentIndent) {
        // An explicit indentation the first content line does not reach is not ours to judge.
        if (spaces > indent && kept === 0) bail();
        break;
      }
      // More-indented lines of a folded scalar keep their line breaks: a rule left to the full reader.
      if (header.folded && spaces > contentIndent) bail();
      const eol = this.lineEnd(k);
      lines.push(text.slice(lineStart + contentIndent, eol));
      kept = lines.length;
      end = this.trimSpaces(k, eol);
      lineStart = eol + 1;
    }
    const stop = Math.min(lineStart, this.len);
    if (kept === 0) return { lines: [], end, stop, breaks: 0 };
    // A blank line keeps the spaces past the content indentation (a content line is never all spaces).
    const blank = (line: string) => line.trim() === '';
    const shown = lines.map((line) => (blank(line) ? line.slice(contentIndent) : line));
    // Blank lines with such spaces before the content or after it have rules of their own, and a folded
    // scalar folds them differently: all left to the full reader.
    const first = shown.findIndex((line) => !blank(line));
    if (shown.some((line, i) => line !== '' && blank(line) && (header.folded || i < first || i >= kept))) bail();
    shown.length = kept;
    let breaks = 0;
    for (let k = end; k < stop; k++) if (text.charCodeAt(k) === NL) breaks++;
    return { lines: shown, end, stop, breaks };
  }

  // Flow collections ------------------------------------------------------------------------------

  /** A flow node at `pos`: a flow collection, a quoted or plain scalar, maybe tagged. */
  private flowNode(indent: number): Node {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === BANG) {
      const tag = this.tagAt(start)!;
      const q = start + tag.length + 1;
      if (text.charCodeAt(q) !== SP) bail();
      this.pos = this.skipSpaces(q);
      return this.tagged(tag, this.flowNode(indent));
    }
    if (c === LBRACKET) return this.flowSeq(indent);
    if (c === LBRACE) return this.flowMap(indent);
    if (c === SQUOTE || c === DQUOTE) return this.quoted(start, indent);
    return this.flowPlain();
  }

  private flowSeq(indent: number): SeqNode {
    this.enter();
    this.flowDepth++;
    const start = this.pos;
    const items: Node[] = [];
    this.pos++;
    this.flowSpace(indent);
    if (this.text.charCodeAt(this.pos) !== RBRACKET) {
      for (;;) {
        items.push(this.flowSeqItem(indent));
        this.flowSpace(indent);
        const ch = this.text.charCodeAt(this.pos);
        if (ch === RBRACKET) break;
        if (ch !== COMMA) bail();
        this.pos++;
        this.flowSpace(indent);
        if (this.text.charCodeAt(this.pos) === RBRACKET) break;
      }
    }
    this.pos++;
    this.flowDepth--;
    this.depth--;
    return { kind: 'seq', items, flow: true, start, end: this.pos };
  }

  /** An item of a flow sequence, which may be a single `key: value` pair: a map of one pair. */
  private flowSeqItem(indent: number): Node {
    const item = this.flowNode(indent);
    const colon = this.skipSpaces(this.pos);
    if (this.text.charCodeAt(colon) !== COLON) return item;
    if (item.kind !== 'scalar' || item.tag !== undefined || (item.value === '<<' && !item.quoted)) bail();
    if (this.text.lastIndexOf('\n', item.end) > item.start) bail();
    if (!this.isBlank(colon + 1) || colon + 1 >= this.len) bail();
    this.pos = colon + 1;
    this.flowSpace(indent);
    const vc = this.text.charCodeAt(this.pos);
    if (vc === COMMA || vc === RBRACKET) bail();
    const value = this.flowNode(indent);
    // The pair's map ends where the value does, without the long form a tag adds around it.
    const end = value.tag !== undefined && value.kind === 'map' ? value.pairs[0]!.value.end : value.end;
    return { kind: 'map', pairs: [{ key: item, value }], flow: true, start: item.start, end };
  }

  private flowMap(indent: number): MapNode {
    this.enter();
    this.flowDepth++;
    const text = this.text;
    const start = this.pos;
    const pairs: Pair[] = [];
    this.pos++;
    this.flowSpace(indent);
    if (text.charCodeAt(this.pos) !== RBRACE) {
      for (;;) {
        const key = this.flowKey();
        this.pos++;
        this.flowSpace(indent);
        const vc = text.charCodeAt(this.pos);
        if (vc === COMMA || vc === RBRACE) bail();
        pairs.push({ key, value: this.flowNode(indent) });
        this.flowSpace(indent);
        const ch = text.charCodeAt(this.pos);
        if (ch === RBRACE) break;
        if (ch !== COMMA) bail();
        this.pos++;
        this.flowSpace(indent);
        if (text.charCodeAt(this.pos) === RBRACE) break;
      }
    }
    this.pos++;
    this.flowDepth--;
    this.depth--;
    return { kind: 'map', pairs, flow: true, start, end: this.pos };
  }

  /** A flow map key on one line and the `:` after it (left at `pos`), followed by a space or line end. */
  private flowKey(): ScalarNode {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    const key = c === SQUOTE || c === DQUOTE ? this.quoted(this.pos, -1) : this.flowPlain();
    if (key.value === '<<' && !key.quoted) bail();
    const colon = this.skipSpaces(this.pos);
    if (text.charCodeAt(colon) !== COLON || !this.isBlank(colon + 1) || colon + 1 >= this.len) bail();
    this.pos = colon;
    return key;
  }

  /** A plain scalar inside a flow collection, on one line. */
  private flowPlain(): ScalarNode {
    const text = this.text;
    const start = this.pos;
    const first = text.charCodeAt(start);
    if (BAD_PLAIN_START.has(first) || ((first === DASH || first === COLON || first === 63) && isFlowBlank(text.charCodeAt(start + 1)))) bail();
    let end = start;
    for (let i = start; ; i++) {
      if (i >= this.len) bail();
      const ch = text.charCodeAt(i);
      if (ch === NL || ch === COMMA || ch === RBRACKET || ch === RBRACE || ch === LBRACKET || ch === LBRACE) break;
      if (ch === COLON && isFlowBlank(text.charCodeAt(i + 1))) break;
      if (ch === SP) {
        if (text.charCodeAt(i + 1) === HASH) bail();
        continue;
      }
      end = i + 1;
    }
    this.pos = end;
    return { kind: 'scalar', value: coreValue(text.slice(start, end)), start, end };
  }

  /**
   * Spaces and line breaks inside a flow collection. Each new line must be indented past the block
   * collection around it, but for the outermost closing bracket, which may sit at its indentation.
   */
  private flowSpace(indent: number): void {
    const text = this.text;
    let p = this.pos;
    for (;;) {
      p = this.skipSpaces(p);
      if (p >= this.len) bail();
      const ch = text.charCodeAt(p);
      if (ch === HASH) bail();
      if (ch !== NL) break;
      const lineStart = p + 1;
      p = this.skipSpaces(lineStart);
      if (p >= this.len) bail();
      const c = text.charCodeAt(p);
      if (c === NL || p - lineStart > indent) continue;
      const atEndMarker = p - lineStart === indent && this.flowDepth === 1 && (c === RBRACKET || c === RBRACE);
      if (!atEndMarker) bail();
    }
    this.pos = p;
  }

  // Lines and comments ----------------------------------------------------------------------------

  /**
   * Blank and comment lines from the line start at `pos` to the next content line: `pos` is left at its
   * first character, `next` at its indentation (-1 at the end), and the comments in `gap`.
   */
  private scanGap(atStart: boolean): void {
    const text = this.text;
    this.gap.length = 0;
    let p = this.pos;
    for (;;) {
      const q = this.skipSpaces(p);
      if (q >= this.len) {
        this.next = -1;
        this.pos = this.len;
        return;
      }
      const c = text.charCodeAt(q);
      if (c === NL) {
        p = q + 1;
        continue;
      }
      if (c === HASH) {
        const eol = this.lineEnd(q);
        this.gap.push({ indent: q - p, end: this.trimSpaces(q, eol) });
        p = eol + 1;
        continue;
      }
      if (q === p && (this.isDocMarker(q, DOT) || (!atStart && this.isDocMarker(q, DASH)))) bail();
      this.next = q - p;
      this.pos = q;
      return;
    }
  }

  /** The rest of a line after a value: spaces and maybe a comment. Returns the comment's end, or -1. */
  private endOfLine(): number {
    const text = this.text;
    const p = this.skipSpaces(this.pos);
    if (p >= this.len) {
      this.pos = this.len;
      return -1;
    }
    const c = text.charCodeAt(p);
    if (c === NL) {
      this.pos = p + 1;
      return -1;
    }
    if (c !== HASH || p === this.pos) bail();
    const eol = this.lineEnd(p);
    this.pos = eol + 1;
    return this.trimSpaces(p, eol);
  }

  private isDocMarker(p: number, ch: number): boolean {
    const text = this.text;
    return text.charCodeAt(p) === ch && text.charCodeAt(p + 1) === ch && text.charCodeAt(p + 2) === ch && this.isBlank(p + 3);
  }

  private isSeqIndicator(p: number): boolean {
    return this.text.charCodeAt(p) === DASH && this.isBlank(p + 1);
  }

  /** A space, a line break or the end of the text at `p`. */
  private isBlank(p: number): boolean {
    if (p >= this.len) return true;
    const c = this.text.charCodeAt(p);
    return c === SP || c === NL;
  }

  private skipSpaces(p: number): number {
    const text = this.text;
    while (text.charCodeAt(p) === SP) p++;
    return p;
  }

  private lineEnd(p: number): number {
    const eol = this.text.indexOf('\n', p);
    return eol < 0 ? this.len : eol;
  }

  /** `end` moved back over spaces and line breaks, not before `start`. */
  private trimWhite(start: number, end: number): number {
    while (end > start && (this.text.charCodeAt(end - 1) === SP || this.text.charCodeAt(end - 1) === NL)) end--;
    return end;
  }

  /** `end` moved back over trailing spaces, not before `start`. */
  private trimSpaces(start: number, end: number): number {
    while (end > start && this.text.charCodeAt(end - 1) === SP) end--;
    return end;
  }
}

function isTagLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isFlowBlank(c: number): boolean {
  return Number.isNaN(c) || c === SP || c === NL || c === COMMA || c === RBRACKET || c === RBRACE || c === LBRACKET || c === LBRACE;
}

/** A plain scalar's value by the YAML 1.2 core schema, as the `yaml` package resolves it. */
export function coreValue(raw: string): string | number | boolean | null {
  const c = raw.charCodeAt(0);
  const numeric = (c >= 48 && c <= 57) || c === 43 || c === DASH || c === DOT;
  if (!numeric && c !== 126 && c !== 110 && c !== 78 && c !== 116 && c !== 84 && c !== 102 && c !== 70) return raw;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(raw)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (!numeric) return raw;
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) {
    return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw)) return parseFloat(raw);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
  return raw;
}

/** A literal block scalar's lines: blank lines before the content are bare line breaks. */
function literalValue(lines: string[]): string {
  return lines.join('\n');
}

/** A folded block scalar's lines: a single break is a space, each blank line a newline. */
function foldedValue(lines: string[]): string {
  let value = '';
  let sep = '';
  let started = false;
  for (const line of lines) {
    if (!started && line === '') {
      value += '\n';
      continue;
    }
    started = true;
    if (line === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
    }
  }
  return value;
}

/** Line folding of a quoted scalar's text: one break is a space, n + 1 breaks are n newlines. */
function unfold(source: string): string {
  const lines = source.split('\n');
  let res = lines[0]!.replace(/ +$/, '');
  let sep = ' ';
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i]!.trim();
    if (line === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + line;
      sep = ' ';
    }
  }
  return res + sep + lines[lines.length - 1]!.replace(/^ +/, '');
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

/** The value of a double-quoted scalar's text: escapes, folded line breaks, trimmed line ends. */
function doubleQuoted(source: string): string {
  let res = '';
  const n = source.length;
  for (let i = 0; i < n; i++) {
    const ch = source[i]!;
    if (ch === '\n') {
      let fold = '';
      while (source[i + 1] === ' ' || source[i + 1] === '\n') {
        if (source[i + 1] === '\n') fold += '\n';
        i++;
      }
      res += fold || ' ';
    } else if (ch === '\\') {
      const next = source[++i];
      if (next === undefined) bail();
      const escaped = Object.hasOwn(ESCAPES, next) ? ESCAPES[next] : undefined;
      if (escaped !== undefined) {
        res += escaped;
      } else if (next === '\n') {
        while (source[i + 1] === ' ') i++;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = source.substr(i + 1, length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) bail();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) bail();
        res += String.fromCodePoint(code);
        i += length;
      } else {
        bail();
      }
    } else if (ch === ' ') {
      const from = i;
      while (source[i + 1] === ' ') i++;
      if (source[i + 1] !== '\n') res += source.slice(from, i + 1);
    } else {
      res += ch;
    }
  }
  return res;
}
