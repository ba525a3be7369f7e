/**
 * Reading again only the resource an edit changed. When the edit lies within one entry of a block
 * `Resources` map (from its key's line to the next entry's), that entry's lines are parsed on their own,
 * at their own offsets, and put in place of the old entry; what follows it keeps its nodes, moved by the
 * length the edit added. The entry's lines read the same on their own as within the file when they hold
 * exactly one key at the entries' indentation and nothing the rest of the file gives meaning to (anchors,
 * aliases): anything else, and anything wrong, is left to a parse of the whole text.
 */
import type { MapNode, Node, Pair, ScalarNode } from '../tree';
import { isMap } from '../tree';
import { duplicateKeyProblems } from './duplicate-keys';
import type { ParsedTemplate } from './index';
import { detectDialect, detectFormat, looksBinary } from './index';
import { parseJson } from './json';
import { parseYaml } from './yaml';

/** Where two texts differ: `[start, oldEnd)` of the old became `[start, oldEnd + delta)` of the new. */
export interface TextChange {
  start: number;
  oldEnd: number;
  delta: number;
}

/** An anchor or an alias: a node the rest of the file may share. */
const SHARING = /(?:^|[\s[{,:])[&*][^\s]/;

/** The new text's parse, from the old one's and the change; undefined when it must be parsed whole. */
export function reparseResource(before: string, parsed: ParsedTemplate, after: string, change: TextChange, fileName?: string): ParsedTemplate | undefined {
  const root = parsed.root;
  if (!isMap(root) || parsed.problems.length > 0 || !parsed.dialect) return undefined;
  // A node shared through an alias would be copied apart.
  if (parsed.format === 'yaml' && SHARING.test(before)) return undefined;
  if (detectFormat(after, fileName) !== parsed.format || looksBinary(after)) return undefined;
  const at = root.pairs.findIndex((p) => p.key.value === 'Resources');
  const resources = root.pairs[at]?.value;
  if (!isMap(resources) || (resources.flow && parsed.format === 'yaml') || resources.pairs.length === 0) return undefined;
  const pairs = resources.pairs;
  // The entry whose lines hold the change: from its key's line to the next entry's (or the next section's).
  const lineStart = (offset: number) => before.lastIndexOf('\n', offset - 1) + 1;
  const windowEnd = (i: number) => {
    if (i + 1 < pairs.length) return lineStart(pairs[i + 1]!.key.start);
    const next = root.pairs[at + 1];
    return next ? lineStart(next.key.start) : before.length;
  };
  const k = entryAt(pairs, lineStart, change.start);
  if (k < 0) return undefined;
  const start = lineStart(pairs[k]!.key.start);
  const end = windowEnd(k);
  if (start === 0 || change.start < start || change.oldEnd > end - 1 || (end === before.length && change.oldEnd > end)) return undefined;
  const last = k === pairs.length - 1;
  const newEnd = end + change.delta;
  const entry = readEntry(after, start, newEnd, parsed.format, last);
  if (!entry) return undefined;
  const old = pairs[k]!;
  // At the entries' indentation, under a key no other entry has.
  if (entry.key.start - start !== old.key.start - start) return undefined;
  if (entry.key.value !== old.key.value && pairs.some((p, i) => i !== k && p.key.value === entry.key.value)) return undefined;

  const moved = (node: Node) => shiftNode(node, change.delta);
  const entries: Pair[] = [...pairs.slice(0, k), entry, ...pairs.slice(k + 1).map((p) => shiftPair(p, change.delta))];
  const resourcesEnd = mapEnd(resources, entries, change.delta, old);
  if (resourcesEnd === undefined) return undefined;
  const newResources: MapNode = { ...resources, pairs: entries, end: resourcesEnd };
  const sections = root.pairs.map((p, i) => (i < at ? p : i === at ? { key: p.key, value: newResources } : { key: moved(p.key) as ScalarNode, value: moved(p.value) }));
  const rootEnd = mapEnd(root, sections, change.delta, root.pairs[at]!);
  if (rootEnd === undefined) return undefined;
  const newRoot: MapNode = { ...root, pairs: sections, end: rootEnd };
  return { format: parsed.format, root: newRoot, problems: [], dialect: detectDialect(newRoot) };
}

/** The index of the entry whose lines begin at or before the offset, by binary search. */
function entryAt(pairs: Pair[], lineStart: (offset: number) => number, offset: number): number {
  let lo = 0;
  let hi = pairs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lineStart(pairs[mid]!.key.start) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * One entry's lines parsed on their own, at their offsets in the text (what comes before them blanked),
 * or undefined unless they hold exactly one key and read without a problem.
 */
function readEntry(text: string, start: number, end: number, format: ParsedTemplate['format'], last: boolean): Pair | undefined {
  const lines = text.slice(start, end);
  let parsed: { root: Node | undefined; problems: unknown[] };
  if (format === 'yaml') {
    if (SHARING.test(lines) || lines.includes('\t')) return undefined;
    parsed = parseYaml(`${' '.repeat(start - 1)}\n${lines}`);
  } else {
    // The entry and its comma; the last entry has none, and its lines run into the map's closing brace.
    if (last) return undefined;
    let e = lines.length;
    while (e > 0 && /\s/.test(lines[e - 1]!)) e--;
    if (lines[e - 1] !== ',') return undefined;
    parsed = parseJson(`${' '.repeat(start - 1)}{${lines.slice(0, e - 1)}}`);
  }
  const root = parsed.root;
  if (parsed.problems.length > 0 || !isMap(root) || root.pairs.length !== 1) return undefined;
  // The whole parse would report a key defined twice inside the entry: leave that to it.
  if (duplicateKeyProblems(root, false).length > 0) return undefined;
  return root.pairs[0];
}

/**
 * A map's new end: a block map's last pair's end when it ended there, else moved, unless the entry that
 * changed was its last.
 */
function mapEnd(map: MapNode, pairs: Pair[], delta: number, changed: Pair): number | undefined {
  // A flow map (JSON) ends at its closing brace.
  if (map.flow) return map.end + delta;
  const oldLast = map.pairs[map.pairs.length - 1]!;
  if (map.end === pairEnd(oldLast)) return pairEnd(pairs[pairs.length - 1]!);
  if (oldLast === changed) return undefined;
  return map.end + delta;
}

function pairEnd(pair: Pair): number {
  return Math.max(pair.key.end, pair.value.end);
}

function shiftPair(pair: Pair, delta: number): Pair {
  return { key: shiftNode(pair.key, delta) as ScalarNode, value: shiftNode(pair.value, delta) };
}

/** A copy of the node and all below it, `delta` further on in the text. */
function shiftNode(node: Node, delta: number): Node {
  if (node.kind === 'scalar') return { ...node, start: node.start + delta, end: node.end + delta };
  if (node.kind === 'seq') return { ...node, items: node.items.map((n) => shiftNode(n, delta)), start: node.start + delta, end: node.end + delta };
  return { ...node, pairs: node.pairs.map((p) => shiftPair(p, delta)), start: node.start + delta, end: node.end + delta };
}
