/**
 * The precision guard: every finding and every problem the engine reports over the real-world corpus
 * (../shared/corpus, the files listed in its SOURCES.tsv), one sorted tab-separated line each, so a change in
 * what fires shows up as a reviewable diff of `test/fixtures/corpus-findings.tsv`. `npm run corpus:snapshot`
 * rewrites the file; test/corpus-snapshot.test.ts regenerates it in memory and fails when they differ.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { analyze } from '../server/src/core/analyze';
import { LineIndex } from '../server/src/core/line-index';

export const ROOT = resolve(__dirname, '..');
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
export const SNAPSHOT = join(ROOT, 'test', 'fixtures', 'corpus-findings.tsv');

const HEADER = '# file\tline\trule\tseverity\tresource (a problem: its message)';

/** The corpus files, as SOURCES.tsv lists them. */
export function corpusFiles(corpus = CORPUS): string[] {
  const [header, ...rows] = readFileSync(join(corpus, 'SOURCES.tsv'), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const col = header!.split('\t').indexOf('file');
  return rows.map((row) => row.split('\t')[col]!).sort();
}

/** `${file()}` reads beside the template, as the CLI does; nothing outside the corpus. */
function readerBeside(corpus: string, path: string): (rel: string) => string | undefined {
  const dir = dirname(path);
  return (rel) => {
    const target = resolve(dir, rel);
    if (relative(corpus, target).startsWith('..')) return undefined;
    try {
      return statSync(target).isFile() ? readFileSync(target, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}

/** Tabs and line breaks would split a cell; a parser message quoting a long token is cut short. */
function cell(text: string): string {
  const flat = text.replace(/[\t\r\n]+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}

/** The snapshot text: a header, then one line per finding or problem, sorted by file, line, rule, rest. */
export function corpusSnapshot(corpus = CORPUS): string {
  const lines: string[][] = [];
  for (const file of corpusFiles(corpus)) {
    const path = join(corpus, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const result = analyze(text, { fileName: path, readFile: readerBeside(corpus, path) });
    const index = new LineIndex(text);
    const line = (offset: number) => String(index.position(offset).line + 1);
    for (const f of result.findings) lines.push([file, line(f.span.start), f.ruleId, f.severity, cell(f.resource)]);
    for (const p of result.problems) lines.push([file, line(p.span.start), 'problem', p.severity, cell(p.message)]);
  }
  // Code-unit order, not the locale's, so the file is the same on every machine.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const byLine = (a: string[], b: string[]) =>
    cmp(a[0]!, b[0]!) || Number(a[1]) - Number(b[1]) || cmp(a.slice(2).join('\t'), b.slice(2).join('\t'));
  return [HEADER, ...lines.sort(byLine).map((l) => l.join('\t'))].join('\n') + '\n';
}

if (require.main === module) {
  if (!existsSync(join(CORPUS, 'SOURCES.tsv'))) {
    console.error(`corpus not found at ${CORPUS}`);
    process.exit(1);
  }
  const text = corpusSnapshot();
  writeFileSync(SNAPSHOT, text);
  console.log(`wrote ${relative(ROOT, SNAPSHOT)}: ${text.split('\n').length - 2} findings and problems`);
}
