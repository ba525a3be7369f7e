/**
 * The precision guard: the findings and problems over ../shared/corpus must equal the checked-in
 * test/fixtures/corpus-findings.tsv. A change in what fires fails here with the lines that appeared and
 * disappeared; when the change is intended, `npm run corpus:snapshot` rewrites the file and the diff is reviewed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CORPUS, SNAPSHOT, corpusSnapshot } from '../scripts/corpus-snapshot';

/** Lines only in `before` (-) and only in `after` (+), each side in its own order; counts matter. */
export function lineDiff(before: string, after: string): string[] {
  const left = new Map<string, number>();
  for (const line of before.split('\n')) left.set(line, (left.get(line) ?? 0) + 1);
  const added: string[] = [];
  for (const line of after.split('\n')) {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else added.push(`+ ${line}`);
  }
  const removed = before.split('\n').filter((line) => {
    const n = left.get(line) ?? 0;
    if (n === 0) return false;
    left.set(line, n - 1);
    return true;
  }).map((line) => `- ${line}`);
  return [...removed, ...added];
}

describe('corpus findings snapshot', () => {
  it('reports the lines that differ', () => {
    assert.deepEqual(lineDiff('a\nb\nb\nc', 'a\nb\nd\nc'), ['- b', '+ d']);
    assert.deepEqual(lineDiff('x', 'x'), []);
  });

  const skip = existsSync(join(CORPUS, 'SOURCES.tsv')) ? false : `corpus not found at ${CORPUS}`;
  it('matches test/fixtures/corpus-findings.tsv', { skip }, () => {
    const expected = readFileSync(SNAPSHOT, 'utf8');
    const actual = corpusSnapshot();
    const diff = lineDiff(expected, actual);
    assert.ok(
      diff.length === 0,
      `The findings over the corpus changed (- checked in, + now). Review each line; if the change is right, run \`npm run corpus:snapshot\` and commit the file.\n${diff.join('\n')}`,
    );
  });
});
