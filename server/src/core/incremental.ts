/**
 * Incremental analysis, for an editor that analyses the same document after every edit.
 *
 * A template's resources fall into units: resources that name one another (a `Ref`, a `GetAtt`, a
 * `${Sub}` variable, `DependsOn`, an id SAM generates from another's), that share a parameter, a
 * condition, a mapping, an import, a dynamic reference, an ARN or a hard-coded AWS id. Every fact the model
 * holds about a resource comes from its own unit and the template's other sections, and every rule judges
 * a resource on those facts, so a unit analysed on its own (the template with only that unit's resources)
 * gives the findings the whole template gives for it.
 *
 * After an edit, only the resource the edit is in is read again when it can be (`parse/reparse.ts`; else
 * the whole text), and only the units with a changed resource are analysed again; the others keep their
 * findings, moved by the length the edit added before them. A resource added, removed or renamed analyses
 * every unit again (an output may name it). Fixes are built on request from the whole template's
 * analysis, since a new resource's name must be free in all of it, and so is the model (hover, the network
 * view). Anything that cannot be split is analysed whole: a syntax error, comment suppressions, Serverless
 * files (their functions share `provider`). An edit of another section, or other settings or workspace,
 * analyses every unit. `test/core/incremental.test.ts` compares the result, tree included, with the whole
 * analysis after each of many random edits of the corpus's templates and generated ones.
 */
import type { AnalysisResult, AnalyzeOptions } from './options';
import { DEFAULT_MAX_FILE_SIZE, analyze as analyzeWholeText, analyzeParsed, oversized } from './analyze';
import { buildModel } from './model/build';
import type { CoverageRecord } from './model/coverage';
import type { Model } from './model/types';
import type { ParsedTemplate } from './parse';
import { parseTemplate } from './parse';
import type { Reparsed, TextChange } from './parse/reparse';
import { lineStart, reparseResource } from './parse/reparse';
import type { MapNode, Node, Pair, Span } from './tree';
import { intrinsicName, isMap } from './tree';
import { compareFindings } from './engine/run';
import type { Finding, ProblemReport } from './types';
import { lazyFixes, withFindingFields } from './types';

/** The text the findings of the last analysis are about. */
interface Latest {
  source?: { text: string; parsed: ParsedTemplate; options: AnalyzeOptions; whole?: Finding[] };
}

/** How the last analysis was made, for tests and the benchmark. */
export interface IncrementalStats {
  mode: 'whole' | 'units';
  /** Why the text was analysed whole. */
  reason?: string;
  units: number;
  /** Units analysed again (the others were kept). */
  analysed: number;
  /** Whether only the edited resource was parsed again. */
  reparsed?: boolean;
}

interface ResourceEntry {
  id: string;
  pair: Pair;
  /** The resource's text, from the start of its key's line to the end of its value (after a whole parse). */
  text?: string;
  /** What it mentions (see `mentions`). */
  names: string[];
}

/** The resources, the units they fall into, and the ids that changed since the last analysis. */
interface Layout {
  entries: Map<string, ResourceEntry>;
  units: ResourceEntry[][];
  changed: Set<string>;
}

interface UnitResult {
  /** The least start and the greatest end of its spans in this text. */
  first: number;
  last: number;
  findings: Finding[];
  problems: ProblemReport[];
  coverage: CoverageRecord[];
  dependencies: string[];
  region: string | undefined;
}

interface State extends Layout {
  text: string;
  parsed: ParsedTemplate;
  /** Whether the tree was lent (`lend`): it is not moved in place then. */
  lent?: boolean;
  optionsKey: string;
  sections: string;
  /** Unit key (its ids in order) -> its result, in the offsets of `text`. */
  results: Map<string, UnitResult>;
}

/** One document's analyses, each computed from the last where it can be. */
export class IncrementalAnalyzer {
  private state: State | undefined;
  /** The last text analysed unit by unit: the fixes of its findings are built from its whole analysis. */
  private readonly latest: Latest = {};
  /** How the last call worked. */
  stats: IncrementalStats = { mode: 'whole', units: 0, analysed: 0 };

  /**
   * A holder that keeps a tree this analyzer returned (the workspace index) says so: if it is the tree the
   * next edit would move in place, the next edit reads the whole text into a new tree instead. Any other
   * tree this analyzer no longer touches.
   */
  lend(root: Node | undefined): void {
    if (this.state && root && this.state.parsed.root === root) this.state.lent = true;
  }

  /** Forgets the last analysis (its text, findings and trees). */
  reset(): void {
    this.state = undefined;
    this.latest.source = undefined;
  }

  /**
   * `key`: what the host knows its inputs by (settings, parameter values, the live facts' version), when
   * it knows: then objects it makes anew for each analysis (live facts) do not count as new inputs.
   */
  analyze(text: string, options: AnalyzeOptions = {}, key?: string): AnalysisResult {
    try {
      return this.analyzeFromLast(text, options, key);
    } catch (err) {
      // A fault of this module must not cost the user an analysis: the whole one, from scratch.
      this.reset();
      this.stats = { mode: 'whole', reason: `incremental analysis failed: ${err instanceof Error ? err.message : String(err)}`, units: 0, analysed: 0 };
      return analyzeWholeText(text, options);
    }
  }

  private analyzeFromLast(text: string, options: AnalyzeOptions, key: string | undefined): AnalysisResult {
    const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    if (text.length > maxSize) return this.whole('too large', oversized(text.length, maxSize));
    const prior = this.state;
    const shift = prior ? shiftOf(prior.text, text) : undefined;
    let parsed: ParsedTemplate;
    let reparsed: Reparsed | undefined;
    try {
      // Only the resource the edit is in is read again, where that gives what reading the whole text gives.
      if (prior && shift && !prior.lent) reparsed = reparseResource(prior.text, prior.parsed, text, shift, options.fileName);
      parsed = reparsed?.parsed ?? parseTemplate(text, options.fileName);
    } catch {
      return this.whole('parse failed', analyzeWholeText(text, options));
    }
    const why = unsplittable(text, parsed);
    if (why) return this.whole(why, analyzeParsed(text, parsed, options));
    const root = parsed.root as MapNode;
    const resourcesNode = root.pairs.find((p) => p.key.value === 'Resources')!.value as MapNode;
    const optionsKey = keyOf(options, key);
    const sections = sectionsText(text, root, resourcesNode);
    const previous = prior && shift && prior.optionsKey === optionsKey && prior.sections === sections ? prior : undefined;

    const layout = (reparsed && previous ? layoutAfterReparse(previous, reparsed) : undefined) ?? layoutOf(text, resourcesNode, previous, definedNames(root));
    if (!layout) return this.whole('a resource is defined twice', analyzeParsed(text, parsed, options));

    this.latest.source = { text, parsed, options };
    const results: UnitResult[] = [];
    const next: State = { text, parsed, optionsKey, sections, ...layout, results: new Map() };
    let analysed = 0;
    for (const unit of layout.units) {
      const key = unit.map((e) => e.id).join('\u0000');
      const kept = previous?.results.get(key);
      let result = kept && !unit.some((e) => layout.changed.has(e.id)) && moved(kept, shift!) ? kept : undefined;
      if (!result) {
        result = analyseUnit(text, parsed, resourcesNode, unit, options, this.latest);
        analysed++;
      }
      results.push(result);
      next.results.set(key, result);
    }
    this.state = next;
    this.stats = { mode: 'units', units: layout.units.length, analysed, reparsed: !!reparsed };
    return merged(parsed, results, options);
  }

  private whole(reason: string, result: AnalysisResult): AnalysisResult {
    this.reset();
    this.stats = { mode: 'whole', reason, units: 0, analysed: 0 };
    return result;
  }
}


/** Why the parsed text cannot be analysed unit by unit, or undefined when it can. */
function unsplittable(text: string, parsed: ParsedTemplate): string | undefined {
  if (parsed.dialect !== 'cloudformation' && parsed.dialect !== 'sam') return parsed.dialect ? 'a Serverless file' : 'not a template';
  if (!isMap(parsed.root)) return 'not a template';
  if (parsed.problems.some((p) => p.severity === 'error')) return 'a syntax error';
  // A suppression comment silences by line: an edit may move a finding under or out of one.
  if (text.includes('lambda-vpc-lint-disable')) return 'comment suppressions';
  const resources = parsed.root.pairs.filter((p) => p.key.value === 'Resources');
  if (resources.length !== 1 || !isMap(resources[0]!.value)) return 'no Resources map';
  return undefined;
}

/**
 * What the analysis depends on besides the text. Functions (a `${file()}` reader) are left out: only
 * Serverless reads files, and it is analysed whole.
 */
function keyOf(options: AnalyzeOptions, hostKey: string | undefined): string {
  const identity = (x: object | undefined) => {
    if (!x) return 0;
    let id = identities.get(x);
    if (id === undefined) identities.set(x, (id = ++nextIdentity));
    return id;
  };
  // The other templates of the workspace by their trees (a template read again has a new one); this one
  // is the text analysed, whatever the workspace holds of it, but for its stack name.
  const workspace = options.workspace?.templates.map((t) => (t.path === options.path ? `self:${t.stackName ?? ''}` : `${identity(t.root ?? t)}:${t.stackName ?? ''}`));
  if (hostKey !== undefined) return JSON.stringify([hostKey, options.fileName, options.path, identity(options.rules), identity(options.managedPolicies), workspace]);
  return JSON.stringify([
    options.fileName, options.region, options.params, options.stage, options.severities, options.maxFileSize, options.path,
    identity(options.rules), identity(options.live), identity(options.managedPolicies), workspace,
  ]);
}

const identities = new WeakMap<object, number>();
let nextIdentity = 0;

/** The text of every top-level section but `Resources`'s entries: an edit there analyses every unit again. */
function sectionsText(text: string, root: MapNode, resources: MapNode): string {
  const parts: string[] = [];
  for (const pair of root.pairs) {
    if (pair.value === resources) parts.push(text.slice(lineStart(text, pair.key.start), resources.pairs[0]?.key.start ?? resources.end));
    else parts.push(text.slice(lineStart(text, pair.key.start), pair.value.end));
  }
  return parts.join('\u0000');
}


/**
 * The layout of a freshly parsed text: each resource's text is compared with the last analysis's to tell
 * what changed (and to tokenise only that); undefined when an id is defined twice.
 */
function layoutOf(text: string, resources: MapNode, previous: State | undefined, sectionNames: Set<string>): Layout | undefined {
  const entries = new Map<string, ResourceEntry>();
  const changed = new Set<string>();
  for (const pair of resources.pairs) {
    const id = String(pair.key.value);
    if (entries.has(id)) return undefined;
    const before = previous?.entries.get(id);
    // The same node: left alone by an edit that read another resource again (at most moved).
    if (before && before.pair === pair) {
      entries.set(id, before);
      continue;
    }
    const own = textOf(text, pair);
    const same = before !== undefined && (before.text ?? textOf(previous!.text, before.pair)) === own;
    if (!same) changed.add(id);
    entries.set(id, { id, pair, text: own, names: same ? before.names : mentions(pair) });
  }
  // A resource added, removed or renamed changes what every unit knows of the template's ids (an
  // output's reference to it): all of them are analysed again.
  if (previous && (previous.entries.size !== entries.size || [...previous.entries.keys()].some((id) => !entries.has(id)))) {
    for (const id of entries.keys()) changed.add(id);
  }
  return { entries, units: unitsOf([...entries.values()], sectionNames), changed };
}

function textOf(text: string, pair: Pair): string {
  return text.slice(lineStart(text, pair.key.start), Math.max(pair.key.end, pair.value.end));
}

/**
 * The layout after one resource was read again (every other resource is the same node): the units stay
 * as they were when it names what it named, under the same id.
 */
function layoutAfterReparse(previous: State, reparsed: Reparsed): Layout | undefined {
  const id = String(reparsed.entry.key.value);
  const before = previous.entries.get(String(reparsed.replaced.key.value));
  if (!before || before.id !== id) return undefined;
  const names = mentions(reparsed.entry);
  if (names.length !== before.names.length || names.some((n, i) => n !== before.names[i])) return undefined;
  const entry: ResourceEntry = { id, pair: reparsed.entry, names };
  const entries = new Map(previous.entries);
  entries.set(id, entry);
  const units = previous.units.map((unit) => (unit.includes(before) ? unit.map((e) => (e === before ? entry : e)) : unit));
  return { entries, units, changed: new Set([id]) };
}

const WORD = /[A-Za-z0-9]+/g;
const AWS_ID = /^[a-z][a-z0-9]*-[0-9a-f]{8,17}$/;
/** An AWS managed policy's ARN names the same policy in every template: no tie between its users. */
const MANAGED_POLICY = /^arn:(?:\$\{AWS::Partition\}|[a-z-]*):iam::aws:policy\//;

/**
 * What a resource mentions: every alphanumeric word of its string values (logical ids, parameter,
 * condition and mapping names are alphanumeric), and, whole, the values that name something outside the
 * template: hard-coded AWS ids, ARNs (but AWS managed policies'), dynamic references and the strings of
 * an `Fn::ImportValue`.
 */
function mentions(pair: Pair): string[] {
  const out = new Set<string>();
  const walk = (node: Node, inImport: boolean) => {
    if (node.kind === 'scalar') {
      if (typeof node.value !== 'string') return;
      const value = node.value;
      for (const m of value.matchAll(WORD)) out.add(m[0]);
      if (inImport) out.add(`import:${value}`);
      if (AWS_ID.test(value) || (value.startsWith('arn:') && !MANAGED_POLICY.test(value)) || value.includes('{{resolve:')) out.add(`value:${value}`);
      return;
    }
    if (node.kind === 'seq') {
      for (const item of node.items) walk(item, inImport);
      return;
    }
    const importing = inImport || intrinsicName(node) === 'Fn::ImportValue';
    for (const p of node.pairs) walk(p.value, importing);
  };
  walk(pair.value, false);
  return [...out];
}

/** The names a resource can mention that are defined outside `Resources`: parameters, conditions, mappings. */
function definedNames(root: MapNode): Set<string> {
  const names = new Set<string>();
  for (const section of ['Parameters', 'Conditions', 'Mappings']) {
    const node = root.pairs.find((p) => p.key.value === section)?.value;
    if (isMap(node)) for (const pair of node.pairs) names.add(`name:${String(pair.key.value)}`);
  }
  return names;
}

/**
 * The units: resources joined when one mentions another's id (or an id SAM generates from it, which
 * starts with it) or when both mention the same parameter, condition, mapping or outside name.
 */
function unitsOf(entries: ResourceEntry[], sectionNames: Set<string>): ResourceEntry[][] {
  const index = new Map<string, number>();
  entries.forEach((e, i) => index.set(e.id, i));
  const parent = entries.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  /** A shared name (parameter, import...) -> the first resource that mentioned it. */
  const holders = new Map<string, number>();
  const prefixes = new Map<string, number[]>();
  entries.forEach((e, i) => {
    for (const word of e.names) {
      const target = index.get(word);
      if (target !== undefined) {
        union(i, target);
        continue;
      }
      const shared = word.includes(':') ? word : sectionNames.has(`name:${word}`) ? `name:${word}` : undefined;
      if (shared) {
        const first = holders.get(shared);
        if (first === undefined) holders.set(shared, i);
        else union(i, first);
        continue;
      }
      for (const t of generatedFrom(word, index, prefixes)) union(i, t);
    }
  });
  const groups = new Map<number, ResourceEntry[]>();
  entries.forEach((e, i) => {
    const r = find(i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(e);
  });
  return [...groups.values()];
}

/** The resources whose id a word starts with (`MyFunctionRole` is generated from `MyFunction`). */
function generatedFrom(word: string, index: Map<string, number>, memo: Map<string, number[]>): number[] {
  let hit = memo.get(word);
  if (!hit) {
    hit = [];
    for (let n = 1; n < word.length; n++) {
      const i = index.get(word.slice(0, n));
      if (i !== undefined) hit.push(i);
    }
    memo.set(word, hit);
  }
  return hit;
}

/**
 * A copy of a unit's finding whose fixes are the same finding's in the whole template's analysis (a new
 * resource's name must be free in all of it), which is computed once, when a fix is first asked for. A
 * finding of an older text than the last finds no match there, and has no fix.
 */
function withWholeFixes(f: Finding, fields: Partial<Finding>, latest: Latest): Finding {
  const copy = withFindingFields(f, fields);
  return lazyFixes(copy, () => {
    const source = latest.source;
    if (!source) return [];
    source.whole ??= analyzeParsed(source.text, source.parsed, source.options).findings;
    return source.whole.find((g) => compareFindings(g, copy) === 0)?.fixes ?? [];
  });
}


/** What one unit's resources, with the template's other sections, give. */
function analyseUnit(text: string, parsed: ParsedTemplate, resources: MapNode, unit: ResourceEntry[], options: AnalyzeOptions, latest: Latest): UnitResult {
  const root = parsed.root as MapNode;
  const part: MapNode = { ...resources, pairs: unit.map((e) => e.pair) };
  const partRoot: MapNode = { ...root, pairs: root.pairs.map((p) => (p.value === resources ? { key: p.key, value: part } : p)) };
  const result = analyzeParsed(text, { ...parsed, root: partRoot, problems: [] }, options, root);
  const unitResult: UnitResult = {
    findings: result.findings.map((f) => withWholeFixes(f, {}, latest)),
    problems: result.problems,
    coverage: result.coverage ?? [],
    dependencies: result.dependencies,
    region: result.region,
    first: Infinity,
    last: -Infinity,
  };
  eachSpan(unitResult, (span) => {
    unitResult.first = Math.min(unitResult.first, span.start);
    unitResult.last = Math.max(unitResult.last, span.end);
    return true;
  });
  return unitResult;
}

/** Where the texts differ. */
type Shift = TextChange;

function shiftOf(before: string, after: string): Shift {
  const max = Math.min(before.length, after.length);
  let start = 0;
  let tail = 0;
  // Large blocks first, then smaller ones (each compared natively), then character by character.
  for (const block of [65536, 2048, 64]) {
    while (start + block <= max && after.startsWith(before.slice(start, start + block), start)) start += block;
  }
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  const room = max - start;
  for (const block of [65536, 2048, 64]) {
    while (tail + block <= room && after.endsWith(before.slice(before.length - tail - block, before.length - tail), after.length - tail)) tail += block;
  }
  while (tail < room && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail, delta: after.length - before.length };
}

/**
 * Moves a kept unit's spans to the new text's offsets, in place; false (and nothing moved) when one of
 * them touches the edit, and the unit must be analysed again.
 */
function moved(kept: UnitResult, shift: Shift): boolean {
  if (shift.delta === 0 && shift.start >= shift.oldEnd) return true;
  // All before the edit: nothing moves.
  if (kept.last < shift.start) return true;
  const touches = (span: Span) => span.start <= shift.oldEnd && span.end >= shift.start;
  if (kept.first <= shift.oldEnd && !eachSpan(kept, (span) => !touches(span))) return false;
  const seen = new Set<Span>();
  eachSpan(kept, (span) => {
    if (span.start >= shift.oldEnd && !seen.has(span)) {
      seen.add(span);
      span.start += shift.delta;
      span.end += shift.delta;
    }
    return true;
  });
  if (kept.first >= shift.oldEnd) kept.first += shift.delta;
  if (kept.last >= shift.oldEnd) kept.last += shift.delta;
  return true;
}

/** Calls `visit` on every span of this text in the unit's result, while it returns true. */
function eachSpan(result: UnitResult, visit: (span: Span) => boolean): boolean {
  for (const f of result.findings) {
    if (f.file === undefined && !visit(f.span)) return false;
    for (const r of f.related) if (r.file === undefined && !visit(r.span)) return false;
  }
  for (const p of result.problems) if (!visit(p.span)) return false;
  for (const c of result.coverage) if (!visit(c.keySpan)) return false;
  return true;
}

/** The units' results as one analysis, in the order and form the whole analysis gives. */
function merged(parsed: ParsedTemplate, results: UnitResult[], options: AnalyzeOptions): AnalysisResult {
  // A finding about another section (an output's reference) comes from every unit alike: once is enough.
  const resources = (parsed.root as MapNode).pairs.find((p) => p.key.value === 'Resources')!.value;
  const once = new Set<string>();
  const findings = results.flatMap((r) => r.findings).filter((f) => {
    if (f.file === undefined && f.span.start >= resources.start && f.span.end <= resources.end) return true;
    const key = `${f.ruleId}\u0000${f.resource}\u0000${f.file ?? ''}\u0000${f.span.start}:${f.span.end}\u0000${f.message}`;
    if (once.has(key)) return false;
    once.add(key);
    return true;
  }).sort(compareFindings);
  const problems: ProblemReport[] = [...parsed.problems];
  const seen = new Set<string>();
  const notices = new Set(options.live?.notices ?? []);
  const late: ProblemReport[] = [];
  for (const r of results) {
    for (const p of r.problems) {
      const key = `${p.severity}\u0000${p.span.start}:${p.span.end}\u0000${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      (notices.has(p.message) ? late : problems).push(p);
    }
  }
  problems.push(...late);
  const dependencies = [...new Set(results.flatMap((r) => r.dependencies))];
  const coverage = results.flatMap((r) => r.coverage).sort((a, b) => a.keySpan.start - b.keySpan.start);
  const region = results.find((r) => r.region !== undefined)?.region;
  const result: AnalysisResult = { dialect: parsed.dialect, format: parsed.format, findings, problems, root: parsed.root, model: undefined, dependencies, coverage };
  if (region !== undefined) result.region = region;
  // The whole model is built when something asks for it (hover, the network view), not after every edit.
  let model: Model | undefined;
  modelsBuilt.set(result, () => model);
  Object.defineProperty(result, 'model', {
    enumerable: true,
    configurable: true,
    get: () => (model ??= buildModel(parsed.root!, parsed.dialect!, options, false)),
    set: (value: Model | undefined) => {
      model = value;
    },
  });
  return result;
}

const modelsBuilt = new WeakMap<AnalysisResult, () => Model | undefined>();

/** The result's model if it has one already: an incremental result's is built when first read, not here. */
export function builtModel(result: AnalysisResult): Model | undefined {
  const peek = modelsBuilt.get(result);
  return peek ? peek() : result.model;
}
