/**
 * `check --fix`: applies the safe fixes to a template's text, re-analysing after each pass because one
 * fix can reveal or settle another finding, and writes the result back atomically. Only each finding's
 * first fix is a candidate (the one the rule prefers), and only when it is marked `safe`; a fix whose
 * edits touch another accepted fix's edits waits for the next pass, when it is recomputed on the new text.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AnalysisResult } from '../core/analyze';
import { applyEdits } from '../core/edits';
import type { Edit, Finding, Fix, ProblemReport } from '../core/types';

/** Enough for fixes that enable further fixes; a rule whose fix never settles its finding stops here. */
export const MAX_FIX_PASSES = 10;

/** One fix `--fix` applied: the rule, the resource its finding is about, and the fix's title. */
export interface AppliedFix {
  ruleId: string;
  resource: string;
  title: string;
}

export interface FixedText {
  text: string;
  result: AnalysisResult;
  /** Fixes applied over all passes, in the order they were applied. */
  applied: AppliedFix[];
  /** Set when a pass was undone because its text no longer parsed. */
  problems: ProblemReport[];
}

/** Two edits conflict when their ranges overlap, or when both start at one offset (the order would be a guess). */
function conflicts(a: Edit, b: Edit): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

/** The safe first fixes of these findings that do not conflict with each other, in source order. */
export function selectFixes(findings: readonly Finding[]): Fix[] {
  return fixableFindings(findings).map((f) => f.fixes[0]!);
}

/** The findings whose first fix `selectFixes` picks. */
function fixableFindings(findings: readonly Finding[]): Finding[] {
  const taken: Edit[] = [];
  const out: Finding[] = [];
  for (const finding of findings) {
    const fix = finding.fixes[0];
    if (!fix || fix.safety !== 'safe' || fix.edits.length === 0) continue;
    if (fix.edits.some((e) => taken.some((t) => conflicts(e, t)))) continue;
    taken.push(...fix.edits);
    out.push(finding);
  }
  return out;
}

function syntaxErrors(result: AnalysisResult): number {
  // Internal errors are counted apart: a fix cannot cause them, and they are reported anyway.
  return result.problems.filter((p) => p.severity === 'error' && !/^Internal error\b/.test(p.message)).length;
}

/**
 * Applies safe fixes until none is left, the text stops changing, or MAX_FIX_PASSES. `include` says which
 * findings may be fixed (all but those `--quiet` hides); `reanalyze` analyses a candidate text.
 */
export function fixText(text: string, result: AnalysisResult, include: (f: Finding) => boolean, reanalyze: (text: string) => AnalysisResult): FixedText {
  const problems: ProblemReport[] = [];
  const seen = new Set([text]);
  const applied: AppliedFix[] = [];
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const chosen = fixableFindings(result.findings.filter(include));
    const fixes = chosen.map((f) => f.fixes[0]!);
    if (fixes.length === 0) break;
    const next = applyEdits(text, fixes.flatMap((f) => f.edits));
    if (seen.has(next)) break;
    seen.add(next);
    const nextResult = reanalyze(next);
    if (nextResult.dialect !== result.dialect || syntaxErrors(nextResult) > syntaxErrors(result)) {
      // Never write a template that parses worse than the one we were given.
      const rules = [...new Set(chosen.map((f) => f.ruleId))];
      problems.push({
        // A rule's bug: "Internal error" makes check exit 2, as for a rule that throws.
        message: `Internal error: a safe fix of ${rules.map((r) => `'${r}'`).join(', ')} produced text that does not parse; the fixes of that pass were not applied.`,
        span: { start: 0, end: 0 },
        severity: 'error',
      });
      break;
    }
    text = next;
    result = nextResult;
    applied.push(...chosen.map((f) => ({ ruleId: f.ruleId, resource: f.resource, title: f.fixes[0]!.title })));
  }
  return { text, result, applied, problems };
}

/**
 * Replaces a file's contents atomically: a temporary file beside it (same file system, so the rename is
 * atomic), flushed, given the original's mode (and owner, where we may), then renamed over it. A reader
 * sees the old text or the new, never half of one; on failure the temporary file is removed. A symbolic
 * link is followed, so the link stays a link.
 */
export function writeFileAtomic(path: string, text: string): void {
  const target = realpathSync(path);
  const stat = statSync(target);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.lambda-vpc-lint.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', stat.mode & 0o777);
    const bytes = Buffer.from(text, 'utf8');
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // openSync's mode is filtered by the umask; set it exactly.
    chmodSync(temp, stat.mode & 0o7777);
    try {
      chownSync(temp, stat.uid, stat.gid);
    } catch {
      // Only root may give a file away; otherwise the file is ours, as it would be after any edit.
    }
    renameSync(temp, target);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // not created
    }
    throw err;
  }
}
