/**
 * `node --import tsx bench/yaml-front-ends.ts`: the YAML front ends the product considered, side by side.
 * Today's reader (`parseYamlFull`: the `yaml` package's Document, converted) and the fast reader
 * (`parseYamlFast`) are always measured; the candidates are measured as far as they go without a
 * converter to our tree: the `yaml` package's Lexer and CST Parser alone (the floor of building our tree
 * from its CST), web-tree-sitter with the tree-sitter-yaml grammar (parse, and parse plus a walk of every
 * node), and yaml-ast-parser. The candidates live outside package.json, in an ignored folder:
 *
 *   npm install --prefix .cache/yaml-candidates web-tree-sitter @tree-sitter-grammars/tree-sitter-yaml yaml-ast-parser
 *
 * Prints medians per size, which readers build exactly our tree over the corpus and the fixtures, and the
 * heap the two readers of ours allocate and keep on the largest template. `--runs n` sets the runs per cell.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Lexer, Parser } from 'yaml';
import { detectFormat } from '../server/src/core/parse';
import { parseYamlFull } from '../server/src/core/parse/yaml';
import { parseYamlFast } from '../server/src/core/parse/yaml-fast';
import { generate } from './generate';
import { measure } from './stat';

const ROOT = resolve(__dirname, '..');
const CANDIDATES = join(ROOT, '.cache', 'yaml-candidates');
const INSTALL = 'npm install --prefix .cache/yaml-candidates web-tree-sitter @tree-sitter-grammars/tree-sitter-yaml yaml-ast-parser';
const SIZES = [500, 2000, 5000];
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;

interface FrontEnd {
  name: string;
  parse: (text: string) => unknown;
  /** Whether it builds our tree, and over which files it does so identically. */
  exact: string;
}

function median(fn: () => void, runs: number): number {
  return measure(fn, runs).median;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ya?ml|template)$/.test(name) ? [path] : [];
  });
}

/** The corpus and fixture YAML files: how many the fast reader takes, and whether all of those agree. */
function fastExactness(): string {
  const texts = [...files(join(ROOT, '..', 'shared', 'corpus')), ...files(join(ROOT, 'test', 'fixtures'))]
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
    .filter((f) => detectFormat(f.text, f.path) === 'yaml');
  let taken = 0;
  let differ = 0;
  for (const { text } of texts) {
    const fast = parseYamlFast(text);
    if (!fast) continue;
    taken++;
    const full = parseYamlFull(text);
    if (full.problems.length > 0 || !isDeepStrictEqual(fast, full.root)) differ++;
  }
  return differ === 0
    ? `yes: identical on the ${taken} of ${texts.length} files it takes; the others fall back to today's`
    : `NO: ${differ} of ${taken} files differ`;
}

/** Parse errors a candidate reports on corpus files the `yaml` package reads without one. */
function falseErrors(hasError: (text: string) => boolean): string {
  const texts = files(join(ROOT, '..', 'shared', 'corpus'))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
    .filter((f) => detectFormat(f.text, f.path) === 'yaml' && parseYamlFull(f.text).problems.every((p) => p.severity !== 'error'));
  const flagged = texts.filter((f) => hasError(f.text)).length;
  return `${flagged} of ${texts.length} clean corpus files`;
}

async function treeSitter(): Promise<FrontEnd[] | string> {
  const require = createRequire(join(CANDIDATES, 'package.json'));
  let ts: { Parser: { init(): Promise<void>; new (): TsParser }; Language: { load(path: string): Promise<unknown> } };
  let wasm: string;
  try {
    ts = require('web-tree-sitter') as typeof ts;
    wasm = join(require.resolve('@tree-sitter-grammars/tree-sitter-yaml/package.json'), '..', 'tree-sitter-yaml.wasm');
  } catch {
    return `skipped: web-tree-sitter and @tree-sitter-grammars/tree-sitter-yaml are not installed (${INSTALL})`;
  }
  if (!existsSync(wasm)) return `skipped: @tree-sitter-grammars/tree-sitter-yaml ships no tree-sitter-yaml.wasm at ${wasm}`;
  await ts.Parser.init();
  const parser = new ts.Parser();
  parser.setLanguage(await ts.Language.load(wasm));
  const walk = (text: string) => {
    const tree = parser.parse(text)!;
    const cursor = tree.walk();
    let nodes = 0;
    let offsets = 0;
    for (;;) {
      nodes++;
      offsets += cursor.startIndex + cursor.endIndex + cursor.nodeType.length;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          cursor.delete();
          tree.delete();
          return nodes + offsets;
        }
      }
    }
  };
  const errors = falseErrors((text) => {
    const tree = parser.parse(text)!;
    const bad = tree.rootNode.hasError;
    tree.delete();
    return bad;
  });
  return [
    { name: '(b) tree-sitter parse', parse: (text) => parser.parse(text)!.delete(), exact: `no tree of ours (a converter would redo scalars, folding, escapes, tags); syntax errors on ${errors}` },
    { name: '(b) tree-sitter parse + walk', parse: walk, exact: 'no tree of ours: the walk only visits each node (type, offsets)' },
  ];
}

interface TsParser {
  setLanguage(language: unknown): void;
  parse(text: string): { delete(): void; walk(): TsCursor; rootNode: { hasError: boolean } } | null;
}

interface TsCursor {
  startIndex: number;
  endIndex: number;
  nodeType: string;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

function yamlAstParser(): FrontEnd[] | string {
  const require = createRequire(join(CANDIDATES, 'package.json'));
  let load: (text: string) => { errors: { message: string }[] };
  try {
    ({ load } = require('yaml-ast-parser') as { load: typeof load });
  } catch {
    return `skipped: yaml-ast-parser is not installed (${INSTALL})`;
  }
  // It knows no CloudFormation tags and reports each `!Ref` as an unknown tag: those are not counted.
  const errors = falseErrors((text) => load(text).errors.some((e) => !/unknown tag/.test(e.message)));
  return [{ name: '(c) yaml-ast-parser load', parse: (text) => load(text), exact: `no tree of ours (its own AST, YAML 1.1 scalars); errors other than unknown tags on ${errors}` }];
}

/** Heap allocated by one parse (without a collection: the child runs with a large young generation) and kept after it. */
function memory(which: 'full' | 'fast', path: string): string {
  const script = `
    const { readFileSync } = require('node:fs');
    const { parseYamlFull } = require('./server/src/core/parse/yaml');
    const { parseYamlFast } = require('./server/src/core/parse/yaml-fast');
    const { PerformanceObserver } = require('node:perf_hooks');
    const text = readFileSync(${JSON.stringify(path)}, 'utf8');
    const parse = ${which === 'full' ? 'parseYamlFull' : 'parseYamlFast'};
    parse(text); globalThis.gc();
    let gcs = 0; new PerformanceObserver((l) => { gcs += l.getEntries().length; }).observe({ entryTypes: ['gc'] });
    const before = process.memoryUsage().heapUsed;
    const kept = parse(text);
    const allocated = process.memoryUsage().heapUsed - before;
    globalThis.gc();
    const retained = process.memoryUsage().heapUsed - before;
    setTimeout(() => { console.log(JSON.stringify({ allocated, retained, gcs, ok: !!kept })); }, 10);
  `;
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=512', '--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  try {
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { allocated: number; retained: number; gcs: number };
    const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
    return `allocated ${mb(r.allocated)}, kept ${mb(r.retained)} (collections during the parse: ${r.gcs})`;
  } catch {
    return `not measured (${child.stderr.trim().split('\n').pop() ?? 'no output'})`;
  }
}

async function main(): Promise<void> {
  const texts = new Map(SIZES.map((size) => [size, generate('cfn-yaml', size)]));
  for (const [size, text] of texts) if (!parseYamlFast(text)) throw new Error(`the fast reader does not take the generated ${size}-resource template`);
  const frontEnds: FrontEnd[] = [
    { name: "today's reader (parseAllDocuments + tree)", parse: parseYamlFull, exact: 'yes: it is the reference' },
    { name: 'fast reader (parseYamlFast)', parse: parseYamlFast, exact: fastExactness() },
    { name: '(a) yaml Lexer only', parse: (text) => [...new Lexer().lex(text)].length, exact: 'no tree: a floor of (a)' },
    { name: '(a) yaml CST Parser (Lexer + Parser)', parse: (text) => [...new Parser().parse(text)].length, exact: 'no tree: the floor of (a), before any conversion' },
  ];
  const skipped: string[] = [];
  for (const candidate of [await treeSitter(), yamlAstParser()]) {
    if (typeof candidate === 'string') skipped.push(candidate);
    else frontEnds.push(...candidate);
  }
  const cpus = os.cpus();
  console.log(`\nYAML front ends on generated cfn-yaml templates: median of ${RUNS} runs (node ${process.version}, ${cpus.length} x ${cpus[0]?.model.trim() ?? 'cpu'})\n`);
  console.log(`| front end | ${SIZES.map((s) => `${s} (${Math.round(texts.get(s)!.length / 1024)} KB)`).join(' | ')} | vs today at ${SIZES[SIZES.length - 1]} |`);
  console.log(`|---|${SIZES.map(() => '---:').join('|')}|---:|`);
  const todays = new Map<number, number>();
  for (const frontEnd of frontEnds) {
    const cells: string[] = [];
    let last = 0;
    for (const size of SIZES) {
      const text = texts.get(size)!;
      last = median(() => {
        frontEnd.parse(text);
      }, size >= 5000 ? Math.max(3, Math.ceil(RUNS / 2)) : RUNS);
      if (frontEnds[0] === frontEnd) todays.set(size, last);
      cells.push(`${last.toFixed(1)} ms`);
    }
    const today = todays.get(SIZES[SIZES.length - 1]!)!;
    console.log(`| ${frontEnd.name} | ${cells.join(' | ')} | ${((last / today) * 100).toFixed(0)}% |`);
  }
  console.log('\nIdentical tree over the corpus and the fixtures:');
  for (const frontEnd of frontEnds) console.log(`- ${frontEnd.name}: ${frontEnd.exact}`);
  for (const line of skipped) console.log(`- ${line}`);
  const largest = join(os.tmpdir(), `yaml-front-ends-${process.pid}.yaml`);
  const { writeFileSync, rmSync } = await import('node:fs');
  writeFileSync(largest, texts.get(SIZES[SIZES.length - 1]!)!);
  console.log(`\nHeap for one parse of the ${SIZES[SIZES.length - 1]}-resource template:`);
  console.log(`- today's reader: ${memory('full', largest)}`);
  console.log(`- fast reader: ${memory('fast', largest)}`);
  rmSync(largest);
}

void main();
