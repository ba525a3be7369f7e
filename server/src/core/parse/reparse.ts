/**
 * Reading again only the resource an edit changed. When the edit lies within one entry of a block
 * `Resources` map (from its key's line to the next entry's), that entry's lines are parsed on their own
 * and put in place of the old entry, in the old tree: the nodes after it are moved, in place, by the
 * length the edit added, and every other node stays as it was, the same object. The entry's lines read
 * the same on their own as within the file when they hold exactly one key at the entries' indentation and
 * nothing the rest of the file gives meaning to (anchors, aliases): anything else, and anything wrong, is
 * left to a parse of the whole text. The old tree is the new one afterwards: its holder must not need
 * the old offsets any more.
 */
import type { MapNode, Node, Pair } from '../tree';
import { get, isMap, str } from '../tree';
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

/** An anchor or an alias: an entry that holds one may share a node with the rest of the file. */
const SHARING = /(?:^|[\s[{,:])[&*][^\s]/;

/** The start of the line the offset is on. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** What `reparseResource` read again. */
export interface Reparsed {
  parsed: ParsedTemplate;
  /** The entry read again, the new one and the one it replaced. */
  entry: Pair;
  replaced: Pair;
}

/** The new text's parse, made from the old one and the change; undefined when it must be parsed whole. */
export function reparseResource(before: string, parsed: ParsedTemplate, after: string, change: TextChange, fileName?: string): Reparsed | undefined {
  const root = parsed.root;
  if (!isMap(root) || parsed.problems.length > 0 || !parsed.dialect) return undefined;
  if (detectFormat(after, fileName) !== parsed.format || looksBinary(after)) return undefined;
  // A node shared through an alias could not be moved once for each place it is in.
  if (parsed.shared !== false) return undefined;
  const at = root.pairs.findIndex((p) => p.key.value === 'Resources');
  const resources = root.pairs[at]?.value;
  if (!isMap(resources) || (resources.flow && parsed.format === 'yaml') || resources.pairs.length === 0) return undefined;
  const pairs = resources.pairs;
  // The entry whose lines hold the change: from its key's line to the next entry's (or the next section's).
  const k = entryAt(pairs, (offset) => lineStart(before, offset), change.start);
  if (k < 0) return undefined;
  const start = lineStart(before, pairs[k]!.key.start);
  const next = k + 1 < pairs.length ? pairs[k + 1]!.key : root.pairs[at + 1]?.key;
  const end = next ? lineStart(before, next.start) : before.length;
  if (start === 0 || change.start < start || change.oldEnd > end - 1) return undefined;
  const last = k === pairs.length - 1;
  const entry = readEntry(after, start, end + change.delta, parsed.format, last);
  if (!entry) return undefined;
  const old = pairs[k]!;
  // At the entries' indentation, under a key no other entry has.
  if (entry.key.start - start !== old.key.start - start) return undefined;
  if (entry.key.value !== old.key.value && pairs.some((p, i) => i !== k && p.key.value === entry.key.value)) return undefined;
  const resourcesEnd = mapEnd(resources, k, pairEnd(entry), change.delta);
  const rootEnd = resourcesEnd === undefined ? undefined : mapEnd(root, at, resourcesEnd, change.delta);
  if (resourcesEnd === undefined || rootEnd === undefined) return undefined;

  // Nothing fails from here on: the old tree becomes the new one.
  for (let i = k + 1; i < pairs.length; i++) movePair(pairs[i]!, change.delta);
  for (let i = at + 1; i < root.pairs.length; i++) movePair(root.pairs[i]!, change.delta);
  // A new list: what was computed from the old one (the template's ids) is not taken for the new.
  resources.pairs = [...pairs.slice(0, k), entry, ...pairs.slice(k + 1)];
  resources.end = resourcesEnd;
  root.end = rootEnd;
  // The dialect turns on the resources' types only when one is SAM's, or not AWS's.
  const dialect = plainType(old) && plainType(entry) ? parsed.dialect : detectDialect(root);
  return { parsed: { format: parsed.format, root, problems: [], dialect, shared: false }, entry, replaced: old };
}

/** Whether a resource's type is AWS's or custom, and not SAM's. */
function plainType(pair: Pair): boolean {
  const type = str(get(pair.value, 'Type'));
  return !!type && (type.startsWith('AWS::') || type.startsWith('Custom::')) && !type.startsWith('AWS::Serverless::');
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
  let offset = start;
  if (format === 'yaml') {
    if (SHARING.test(lines) || lines.includes('\t')) return undefined;
    parsed = parseYaml(lines);
  } else {
    // The entry and its comma; the last entry has none, and its lines run into the map's closing brace.
    if (last) return undefined;
    let e = lines.length;
    while (e > 0 && /\s/.test(lines[e - 1]!)) e--;
    if (lines[e - 1] !== ',') return undefined;
    parsed = parseJson(`{${lines.slice(0, e - 1)}}`);
    offset = start - 1;
  }
  const root = parsed.root;
  if (parsed.problems.length > 0 || !isMap(root) || root.pairs.length !== 1) return undefined;
  // The whole parse would report a key defined twice inside the entry: leave that to it.
  if (duplicateKeyProblems(root, false).length > 0) return undefined;
  const pair = root.pairs[0]!;
  movePair(pair, offset);
  return pair;
}

/**
 * A map's end once its pair `index` ends at `changedEnd`: a flow map's (JSON) closing brace moves; a
 * block map that ends at its last pair ends where that pair now ends; one that ends past it (a comment)
 * moves, unless its last pair is the one changed.
 */
function mapEnd(map: MapNode, index: number, changedEnd: number, delta: number): number | undefined {
  if (map.flow) return map.end + delta;
  const lastIndex = map.pairs.length - 1;
  if (map.end === pairEnd(map.pairs[lastIndex]!)) return index === lastIndex ? changedEnd : map.end + delta;
  return index === lastIndex ? undefined : map.end + delta;
}

function pairEnd(pair: Pair): number {
  return Math.max(pair.key.end, pair.value.end);
}

function movePair(pair: Pair, delta: number): void {
  moveNode(pair.key, delta);
  moveNode(pair.value, delta);
}

/** Moves the node and all below it `delta` further on in the text, in place. */
function moveNode(node: Node, delta: number): void {
  node.start += delta;
  node.end += delta;
  if (node.kind === 'seq') for (const item of node.items) moveNode(item, delta);
  else if (node.kind === 'map') for (const pair of node.pairs) movePair(pair, delta);
}
