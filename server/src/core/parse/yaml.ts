/**
 * YAML to the common syntax tree, with the `yaml` package. CloudFormation short-form tags become the
 * long form (`!Ref X` is `{ Ref: X }`, `!GetAtt A.B` is `{ Fn::GetAtt: A.B }`), aliases share the node of
 * their anchor, and the total size that aliases expand to is bounded so an alias bomb becomes a problem.
 */
import { parseAllDocuments, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node as YNode, Document, EmptyStream, Scalar, Tags } from 'yaml';
import type { MapNode, Node, Pair, ScalarNode, SeqNode } from '../tree';
import type { Problem } from './problems';
import type { LenientScalar } from './lenient-quotes';
import { firstUnclosedQuote, repairQuotedScalars } from './lenient-quotes';
import { SHORT_TAGS, longForm, tagStart } from './short-tags';
import { parseYamlFast } from './yaml-fast';

export const CUSTOM_TAGS: Tags = Object.keys(SHORT_TAGS).flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]) as unknown as Tags;

/**
 * The options the product parses YAML with: the CloudFormation tags resolve (no unresolved-tag warnings),
 * duplicate keys are kept for `duplicate-keys.ts` to report, YAML 1.2 scalars. Exported so the benchmark's parse-only baseline
 * does exactly the `yaml` package's share of the work.
 */
export const YAML_OPTIONS = {
  customTags: CUSTOM_TAGS,
  uniqueKeys: false,
  strict: false,
  prettyErrors: false,
  version: '1.2',
} as const;

/** How many syntax errors a file reports before the rest are summed up in one. */
export const MAX_SYNTAX_PROBLEMS = 10;

/** How many nodes aliases may expand to, in all, before the rest are cut off. */
export const ALIAS_EXPANSION_LIMIT = 100_000;

export interface YamlParse {
  root: Node | undefined;
  problems: Problem[];
}

/** The syntax tree of `text`: by the fast reader when the text is in its subset, else by the `yaml` package. */
export function parseYaml(text: string): YamlParse {
  const root = parseYamlFast(text);
  return root ? { root, problems: [] } : parseYamlFull(text);
}

/** The syntax tree of `text` by the `yaml` package, with every problem it finds. */
export function parseYamlFull(text: string): YamlParse {
  const problems: Problem[] = [];
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, YAML_OPTIONS);
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    // The yaml package does not throw on bad input; this is a last line of defence.
    const message = err instanceof RangeError ? 'the YAML is nested too deeply to read' : (err as Error).message;
    problems.push({ message: `YAML could not be read: ${message}`, span: { start: 0, end: 0 }, severity: 'error' });
    return { root: undefined, problems };
  }
  if (docs.length === 0) return { root: undefined, problems };
  let doc = docs[0]!;
  // CloudFormation reads quoted scalars whose continuation lines are under-indented; so do we, with the same offsets.
  let lenient: Map<number, LenientScalar> | undefined;
  let parsedText = text;
  if (doc.errors.some((e) => e.code === 'MISSING_CHAR' && /quote/i.test(e.message))) {
    let repaired: ReturnType<typeof repairQuotedScalars>;
    let again: Document.Parsed[] | EmptyStream | undefined;
    try {
      repaired = repairQuotedScalars(text);
      again = repaired ? parseAllDocuments(repaired.text, YAML_OPTIONS) : undefined;
    } catch {
      // Too deep to re-read: the errors of the first reading stand.
      repaired = undefined;
    }
    if (repaired && Array.isArray(again) && again.length > 0 && again[0]!.errors.length < doc.errors.length) {
      docs = again;
      doc = again[0]!;
      lenient = repaired.scalars;
      parsedText = repaired.text;
    }
  }
  let errors = doc.errors;
  if (errors.some((e) => e.code === 'MISSING_CHAR' && /quote/i.test(e.message))) {
    // A quote that never closes swallows the rest of the file: one problem at the quote says it all.
    let open: number | undefined;
    try {
      open = firstUnclosedQuote(parsedText);
    } catch {
      open = undefined;
    }
    if (open !== undefined) {
      errors = errors.filter((e) => e.pos[0] < open);
      const eol = text.slice(open).search(/\r|\n|$/);
      problems.push({ message: `This quoted value is never closed: no ${text[open]} ends it where a value can end.`, span: { start: open, end: open + Math.max(1, eol) }, severity: 'error' });
    }
  }
  // One syntax error usually sets off a cascade of others after it: the first few say all there is to say.
  for (const error of errors.slice(0, MAX_SYNTAX_PROBLEMS)) {
    const [start, end] = error.pos;
    problems.push({ message: firstLine(error.message), span: { start, end: Math.max(end, start) }, severity: 'error' });
  }
  if (errors.length > MAX_SYNTAX_PROBLEMS) {
    const [start] = errors[MAX_SYNTAX_PROBLEMS]!.pos;
    problems.push({ message: `${errors.length - MAX_SYNTAX_PROBLEMS} more YAML syntax errors follow from here (most are knock-on effects of the first).`, span: { start, end: start }, severity: 'error' });
  }
  for (const warning of doc.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED') continue; // Other tools' tags are not our business.
    const [start, end] = warning.pos;
    problems.push({ message: firstLine(warning.message), span: { start, end }, severity: 'warning' });
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    const start = second.range[0];
    problems.push({
      message: 'This file holds more than one YAML document; only the first is analysed.',
      span: { start, end: Math.min(text.length, start + 3) },
      severity: 'warning',
    });
  }
  const converter = new Converter(text, problems, lenient);
  const root = doc.contents ? converter.convert(doc.contents as YNode) : undefined;
  return { root, problems };
}

function firstLine(message: string): string {
  if (/call stack/i.test(message)) return 'The YAML is nested too deeply to read.';
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

class Converter {
  private readonly memo = new Map<YNode, { node: Node; size: number }>();
  private readonly anchors = new Map<string, { node: Node; size: number }>();
  private aliasBudget = ALIAS_EXPANSION_LIMIT;
  private aliasProblemReported = false;
  private depth = 0;

  constructor(private readonly text: string, private readonly problems: Problem[], private readonly lenient?: Map<number, LenientScalar>) {}

  convert(ynode: YNode): Node {
    const cached = this.memo.get(ynode);
    if (cached) return cached.node;
    const result = this.convertUncached(ynode);
    return result.node;
  }

  private convertUncached(ynode: YNode): { node: Node; size: number } {
    if (isAlias(ynode)) {
      const [start, end] = ynode.range ?? [0, 0];
      // An anchor is only visible once its node is complete, which also rules out cycles.
      const target = this.anchors.get(ynode.source);
      if (!target) {
        return { node: { kind: 'scalar', value: null, start, end }, size: 1 };
      }
      this.aliasBudget -= target.size;
      if (this.aliasBudget < 0) {
        if (!this.aliasProblemReported) {
          this.aliasProblemReported = true;
          this.problems.push({
            message: `YAML aliases expand to more than ${ALIAS_EXPANSION_LIMIT} nodes; the rest are ignored (is this an alias bomb?).`,
            span: { start, end },
            severity: 'error',
          });
        }
        return { node: { kind: 'scalar', value: null, start, end }, size: 1 };
      }
      return target;
    }
    const [valueStart, rawEnd] = ynode.range ?? [0, 0];
    // A block node's range runs on to the next line; diagnostics and edits want it to end at its last character.
    const valueEnd = this.trimEnd(valueStart, rawEnd);
    const tagName = ynode.tag && ynode.tag.startsWith('!') && !ynode.tag.startsWith('!!') ? ynode.tag.slice(1) : undefined;
    const start = tagName ? tagStart(this.text, ynode.tag!, valueStart) : valueStart;
    let node: Node;
    let size = 1;
    this.depth++;
    if (this.depth > 2000) {
      this.depth--;
      this.problems.push({ message: 'The YAML is nested too deeply to analyse.', span: { start, end: valueEnd }, severity: 'error' });
      return { node: { kind: 'scalar', value: null, start, end: valueEnd }, size: 1 };
    }
    if (isMap(ynode)) {
      const pairs: Pair[] = [];
      const map: MapNode = { kind: 'map', pairs, flow: !!ynode.flow, start: valueStart, end: valueEnd };
      // Register before the children so that an alias to an ancestor resolves (to a node being built).
      this.memo.set(ynode, { node: map, size: 1 });
      for (const item of ynode.items) {
        if (!isPair(item)) continue;
        const key = this.keyOf(item.key as YNode | null, item);
        const rawValue = item.value as YNode | null;
        let value: Node;
        if (rawValue) {
          const r = this.memo.get(rawValue) ?? this.convertEntry(rawValue);
          value = r.node;
          size += r.size;
        } else {
          value = { kind: 'scalar', value: null, start: key.end, end: key.end };
        }
        if (key.value === '<<' && !key.quoted) {
          size += this.merge(pairs, value);
          continue;
        }
        pairs.push({ key, value });
        size += 1;
      }
      node = map;
    } else if (isSeq(ynode)) {
      const items: Node[] = [];
      const seq: SeqNode = { kind: 'seq', items, flow: !!ynode.flow, start: valueStart, end: valueEnd };
      this.memo.set(ynode, { node: seq, size: 1 });
      for (const item of ynode.items) {
        const r = this.convertEntry(item as YNode);
        items.push(r.node);
        size += r.size;
      }
      node = seq;
    } else {
      node = this.scalar(ynode as Scalar, valueStart, valueEnd);
    }
    this.depth--;
    if (tagName) node = longForm(tagName, node, start);
    const entry = { node, size };
    this.memo.set(ynode, entry);
    const anchor = (ynode as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, entry);
    return entry;
  }

  private convertEntry(ynode: YNode | null): { node: Node; size: number } {
    if (!ynode) return { node: { kind: 'scalar', value: null, start: 0, end: 0 }, size: 1 };
    const cached = this.memo.get(ynode);
    if (cached && !isAlias(ynode)) return cached;
    return this.convertUncached(ynode);
  }

  private merge(pairs: Pair[], value: Node): number {
    const sources = value.kind === 'seq' ? value.items : [value];
    let size = 0;
    for (const source of sources) {
      if (source.kind !== 'map') continue;
      for (const pair of source.pairs) {
        if (pairs.some((p) => p.key.value === pair.key.value)) continue;
        pairs.push(pair);
        size++;
      }
    }
    return size;
  }

  private keyOf(ykey: YNode | null, item: { key: unknown }): ScalarNode {
    if (ykey && isScalar(ykey)) {
      const [start, end] = ykey.range ?? [0, 0];
      return this.scalar(ykey, start, end);
    }
    const [start, end] = (ykey?.range ?? [0, 0]) as [number, number];
    const raw = ykey ? this.text.slice(start, end) : String(item.key ?? '');
    return { kind: 'scalar', value: raw, start, end };
  }

  private scalar(ynode: Scalar, start: number, end: number): ScalarNode {
    const repaired = this.lenient?.get(start);
    if (repaired && repaired.end === end) return { kind: 'scalar', value: repaired.value, start, end, quoted: true };
    const value = ynode.value;
    const quoted = ynode.type === 'QUOTE_DOUBLE' || ynode.type === 'QUOTE_SINGLE' || ynode.type === 'BLOCK_LITERAL' || ynode.type === 'BLOCK_FOLDED';
    let v: string | number | boolean | null;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) v = value;
    else if (typeof value === 'bigint') v = Number(value);
    else v = value === undefined ? null : String(value);
    const node: ScalarNode = { kind: 'scalar', value: v, start, end };
    if (quoted) node.quoted = true;
    return node;
  }

  private trimEnd(start: number, end: number): number {
    let e = end;
    while (e > start) {
      const c = this.text.charCodeAt(e - 1);
      if (c === 32 || c === 10 || c === 13 || c === 9) e--;
      else break;
    }
    return e;
  }
}
