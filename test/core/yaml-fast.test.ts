/**
 * The fast YAML reader against the `yaml` package: on every YAML template of the corpus, the fixtures,
 * generated bench templates and many seeded mutations of them, the fast reader either steps aside
 * (undefined) or returns exactly the tree the full reader builds, with no problem. It must also take most
 * real templates, or the comparison would prove nothing. Random documents built to stress comments, empty
 * values and block scalars are compared too. `YAML_FAST_MUTATIONS=n` runs n mutations a file (and 150 n
 * random documents).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { generate } from '../../bench/generate';
import { detectFormat } from '../../server/src/core/parse';
import { parseYaml, parseYamlFull } from '../../server/src/core/parse/yaml';
import { coreValue, parseYamlFast } from '../../server/src/core/parse/yaml-fast';
import type { Node } from '../../server/src/core/tree';
import { randomDocuments, variants } from '../support/yaml-mutations';

const ROOT = resolve(__dirname, '..', '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
const MUTATIONS = Number(process.env.YAML_FAST_MUTATIONS ?? 12);
/** The share of corpus YAML files the fast reader took when this floor was set (79 of 84, 94%), less a margin. */
const CORPUS_FLOOR = 0.9;

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ya?ml|template)$/.test(name) ? [path] : [];
  });
}

function yamlFiles(dir: string): { name: string; text: string }[] {
  return files(dir)
    .map((path) => ({ name: relative(ROOT, path), text: readFileSync(path, 'utf8') }))
    .filter((f) => detectFormat(f.text, f.name) === 'yaml');
}

/** Undefined when the fast reader agrees (or steps aside), else what differs. */
function disagreement(text: string): string | undefined {
  const fast = parseYamlFast(text);
  if (fast === undefined) return undefined;
  const full = parseYamlFull(text);
  if (full.problems.length > 0) return `the full reader reports ${full.problems[0]!.message}`;
  if (!isDeepStrictEqual(fast, full.root)) return `trees differ: ${firstDifference(fast, full.root)}`;
  return undefined;
}

function firstDifference(a: unknown, b: unknown, path = 'root'): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (d) return d;
  }
  return path;
}

const corpus = yamlFiles(CORPUS);
const fixtures = [...yamlFiles(join(ROOT, 'test', 'fixtures')), ...yamlFiles(join(ROOT, 'examples'))];
const generated = (['cfn-yaml', 'sam', 'serverless'] as const).map((dialect) => ({ name: `generated ${dialect}`, text: generate(dialect, 60) }));

describe('fast YAML reader: the same tree as the yaml package, or none', () => {
  it('agrees on every fixture and example', () => {
    for (const file of fixtures) assert.equal(disagreement(file.text), undefined, file.name);
  });

  it('takes the generated bench templates, with the same tree', () => {
    for (const file of generated) {
      assert.ok(parseYamlFast(file.text), `${file.name} takes the fast path`);
      assert.equal(disagreement(file.text), undefined, file.name);
    }
  });

  it('agrees on seeded mutations of the fixtures and generated templates', () => {
    let taken = 0;
    let total = 0;
    [...fixtures, ...generated].forEach((file, i) => {
      const base = file.text.length > 40_000 ? file.text.slice(0, 40_000) : file.text;
      for (const variant of variants(base, 1000 + i, MUTATIONS * 2)) {
        total++;
        if (parseYamlFast(variant)) taken++;
        assert.equal(disagreement(variant), undefined, `${file.name} mutated: ${JSON.stringify(variant.slice(0, 2000))}`);
      }
    });
    assert.ok(taken > total / 10, `the fast path took ${taken} of ${total} mutations: too few for the comparison to mean much`);
  });

  it('agrees on random documents built around comments, empty values, block scalars and flow', () => {
    let taken = 0;
    const documents = randomDocuments(7, MUTATIONS * 150);
    for (const text of documents) {
      if (parseYamlFast(text)) taken++;
      assert.equal(disagreement(text), undefined, JSON.stringify(text));
    }
    assert.ok(taken > documents.length / 5, `the fast path took ${taken} of ${documents.length} random documents`);
  });

  if (corpus.length === 0) {
    it('runs over ../shared/corpus', { skip: `corpus not found at ${CORPUS}: skipping the corpus comparison` }, () => {});
    return;
  }

  it('agrees on every YAML template of the corpus and takes most of them', () => {
    const bailed: string[] = [];
    for (const file of corpus) {
      assert.equal(disagreement(file.text), undefined, file.name);
      if (!parseYamlFast(file.text)) bailed.push(file.name);
    }
    const share = 1 - bailed.length / corpus.length;
    console.log(`fast path: ${corpus.length - bailed.length} of ${corpus.length} corpus YAML files (${(share * 100).toFixed(1)}%); full reader: ${bailed.join(', ')}`);
    assert.ok(share >= CORPUS_FLOOR, `the fast path took ${(share * 100).toFixed(1)}% of corpus YAML files, under the floor of ${CORPUS_FLOOR * 100}%`);
  });

  it('agrees on seeded mutations of the corpus', () => {
    corpus.forEach((file, i) => {
      const base = file.text.length > 30_000 ? file.text.slice(0, 30_000) : file.text;
      for (const variant of variants(base, i + 1, MUTATIONS)) {
        assert.equal(disagreement(variant), undefined, `${file.name} mutated: ${JSON.stringify(variant.slice(0, 2000))}`);
      }
    });
  });
});

/** A template around one value, read both ways; returns the fast tree's value node. */
function valueOf(yaml: string): Node | undefined {
  const text = `Resources:\n  A:\n    V: ${yaml}\n    W: 1\n`;
  const fast = parseYamlFast(text);
  assert.ok(fast, `the fast path takes ${JSON.stringify(yaml)}`);
  assert.equal(disagreement(text), undefined);
  const resources = fast.kind === 'map' ? fast.pairs[0]!.value : undefined;
  const a = resources?.kind === 'map' ? resources.pairs[0]!.value : undefined;
  return a?.kind === 'map' ? a.pairs[0]!.value : undefined;
}

function scalarOf(yaml: string): unknown {
  const node = valueOf(yaml);
  return node?.kind === 'scalar' ? node.value : node;
}

describe('fast YAML reader: scalars', () => {
  it('resolves plain scalars by the YAML 1.2 core schema', () => {
    const cases: [string, unknown][] = [
      ['null', null], ['~', null], ['Null', null], ['True', true], ['FALSE', false], ['0x1F', 31], ['0o17', 15],
      ['1e3', 1000], ['.inf', Infinity], ['-.Inf', -Infinity], ['+12', 12], ['012', 12], ['1_000', '1_000'],
      ['1.50', 1.5], ['.5', 0.5], ['yes', 'yes'], ['0x', '0x'], ['2010-09-09', '2010-09-09'],
    ];
    for (const [raw, value] of cases) {
      assert.deepEqual(scalarOf(raw), value, raw);
      assert.deepEqual(coreValue(raw), value, raw);
    }
    assert.ok(Number.isNaN(scalarOf('.nan')));
  });

  it('reads quoted scalars with escapes, as strings', () => {
    assert.equal(scalarOf("'quoted'"), 'quoted');
    assert.equal(scalarOf("'it''s'"), "it's");
    assert.equal(scalarOf('"esc\\t\\u00e9"'), 'esc\té');
    assert.equal(scalarOf('"a: b # c"'), 'a: b # c');
    assert.equal(scalarOf("'true'"), 'true');
    assert.equal(valueOf('"x"')?.kind === 'scalar' && (valueOf('"x"') as { quoted?: boolean }).quoted, true);
  });

  it('folds multi-line plain and quoted scalars', () => {
    assert.equal(scalarOf('a\n      b\n\n      c'), 'a b\nc');
    assert.equal(scalarOf("'a\n      b  '"), 'a b  ');
    assert.equal(scalarOf('"a \\\n      b\n\n\n      c"'), 'a b\n\nc');
  });

  it('reads block scalars with chomping and indentation indicators', () => {
    assert.equal(scalarOf('|-\n      a\n      b\n\n'), 'a\nb');
    assert.equal(scalarOf('>+\n      a\n      b\n\n      c\n\n'), 'a b\nc\n\n\n');
    assert.equal(scalarOf('|2\n        x\n      y'), '  x\ny\n');
    assert.equal(scalarOf('| # note\n      line\n\n\n'), 'line\n');
    assert.equal(scalarOf('>\n      one\n      two\n'), 'one two\n');
  });

  it('keeps comments after values and # inside plain scalars apart', () => {
    assert.equal(scalarOf('value # comment'), 'value');
    assert.equal(scalarOf('a#b'), 'a#b');
    assert.equal(scalarOf('key:value'), 'key:value');
    assert.equal(scalarOf('http://x/y'), 'http://x/y');
  });

  it('steps aside on what it does not read with certainty', () => {
    for (const text of [
      'a: b: c\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: !Foo x\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\n---\nb: 2\n',
      '? a\n: b\n', 'a:\n\t- x\n', 'a: 1\r\nb: 2\r\n', '\uFEFFa: 1\n', 'base: &b { x: 1 }\nm:\n  <<: *b\n', "a: 'open\n",
      'a:\n  b: 1\n c: 2\n', 'a: "bad \\q"\n', '',
    ]) {
      assert.equal(parseYamlFast(text), undefined, JSON.stringify(text));
      assert.deepEqual(parseYaml(text), parseYamlFull(text), JSON.stringify(text));
    }
  });

  it('reads short-form tags in every form', () => {
    for (const text of [
      "a: !GetAZs ''\n", 'a: !GetAZs\nb: 1\n', 'a: !Select [0, !GetAZs ""]\n', 'a: !If\n  - C\n  - !Ref X\n  - !Ref AWS::NoValue\n',
      'a: !Transform\n  Name: x\n', 'a:\n  !Sub "${A}"\n', 'a: !Equals\n- 1\n- 2\n', 'a: [!Ref A, !GetAtt B.C]\n', 'a: !Not [Condition: X]\n',
    ]) {
      assert.ok(parseYamlFast(text), JSON.stringify(text));
      assert.equal(disagreement(text), undefined, text);
    }
  });
});
