/**
 * The engine over the real-world corpus (../shared/corpus, listed in its SOURCES.tsv): no file makes
 * analyze() throw or a rule fail internally, and the files without a VPC-attached Lambda get no finding at
 * all. The per-rule finding counts and the files with parse problems are printed, so CI logs show how
 * the rules behave on real templates even when every assertion passes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyze } from '../server/src/core/analyze';
import type { AnalysisResult } from '../server/src/core/analyze';

const ROOT = resolve(__dirname, '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
const SOURCES = join(CORPUS, 'SOURCES.tsv');

interface Entry {
  file: string;
  kind: string;
  format: string;
  hasVpcLambda: boolean;
}

function readSources(): Entry[] {
  const [header, ...rows] = readFileSync(SOURCES, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = header!.split('\t');
  const col = (name: string) => {
    const i = columns.indexOf(name);
    assert.ok(i >= 0, `SOURCES.tsv has a '${name}' column`);
    return i;
  };
  const [file, kind, format, vpc] = [col('file'), col('kind'), col('format'), col('has_vpc_lambda')];
  return rows.map((row) => {
    const cells = row.split('\t');
    return { file: cells[file]!, kind: cells[kind]!, format: cells[format]!, hasVpcLambda: cells[vpc] === 'yes' };
  });
}

/** `${file()}` reads beside the template, as the CLI does; nothing outside the corpus. */
function readerBeside(path: string): (rel: string) => string | undefined {
  const dir = dirname(path);
  return (rel) => {
    const target = resolve(dir, rel);
    if (relative(CORPUS, target).startsWith('..')) return undefined;
    try {
      return statSync(target).isFile() ? readFileSync(target, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}

function table(rows: [string, string | number][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

if (!existsSync(SOURCES)) {
  describe('corpus', () => {
    it('runs over ../shared/corpus', { skip: `corpus not found at ${CORPUS}: skipping the corpus suite` }, () => {});
  });
} else {
  const entries = readSources();
  const counts = new Map<string, number>();
  const perFile = new Map<string, Map<string, number>>();
  const parseProblems: string[] = [];

  describe('corpus', () => {
    it('lists files that exist', () => {
      const missing = entries.filter((e) => !existsSync(join(CORPUS, e.file))).map((e) => e.file);
      assert.deepEqual(missing, []);
    });

    for (const entry of entries) {
      it(`${entry.file} (${entry.kind}, has_vpc_lambda=${entry.hasVpcLambda ? 'yes' : 'no'})`, () => {
        const path = join(CORPUS, entry.file);
        if (!existsSync(path)) return;
        const text = readFileSync(path, 'utf8');
        let result: AnalysisResult | undefined;
        assert.doesNotThrow(() => {
          result = analyze(text, { fileName: path, readFile: readerBeside(path) });
        }, 'analyze() must never throw');
        const { findings, problems } = result!;
        for (const f of findings) {
          counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
          const mine = perFile.get(entry.file) ?? new Map<string, number>();
          mine.set(f.ruleId, (mine.get(f.ruleId) ?? 0) + 1);
          perFile.set(entry.file, mine);
        }
        const internal = problems.filter((p) => p.message.includes('Internal error')).map((p) => p.message);
        const other = problems.filter((p) => !p.message.includes('Internal error'));
        if (other.length > 0) parseProblems.push(`${entry.file}: ${other.length} (${other[0]!.severity}: ${other[0]!.message})`);
        assert.deepEqual(internal, [], 'no internal errors');
        if (!entry.hasVpcLambda) {
          assert.deepEqual(
            findings.map((f) => `${f.ruleId} on ${f.resource}: ${f.message}`),
            [],
            'a template without a VPC-attached Lambda gets no finding',
          );
        }
      });
    }

    after(() => {
      const rows = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const total = rows.reduce((n, [, c]) => n + c, 0);
      console.log(`\nCorpus: ${entries.length} files, ${total} findings, ${perFile.size} files with findings`);
      console.log(rows.length ? table(rows) : '  (no findings)');
      console.log(`\nFiles with parse problems: ${parseProblems.length}`);
      if (parseProblems.length) console.log(parseProblems.map((p) => `  ${p}`).join('\n'));
    });
  });
}
