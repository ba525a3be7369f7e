/**
 * What `check` hands its formatters: per file, the findings and problems to print and a line index to
 * turn the engine's offsets into positions; plus the totals and the exit code. The formatters only
 * render this; every decision (what `--quiet` hides, what counts) is made once, in check.ts.
 */
import type { LineIndex, Position } from '../core/line-index';
import type { RuleDefinition } from '../core/engine/rule';
import type { Span } from '../core/tree';
import type { Dialect, Finding, ProblemReport, SeveritySetting } from '../core/types';
import type { AppliedFix } from './fix-files';
import type { FunctionCounts, FunctionReport } from './functions';

export interface FileReport {
  /** The path as given on the command line, or as found under a directory or by a glob. */
  path: string;
  /** The same file, absolute. */
  fullPath: string;
  /** Undefined when the file is not a template, or could not be read or parsed far enough to tell. */
  dialect: Dialect | undefined;
  lines: LineIndex;
  findings: Finding[];
  problems: ProblemReport[];
  /** What `--fix` changed in this file (set only with `--fix`). */
  fixed?: AppliedFix[];
  /** Every Lambda function of the file and what of its network could be checked (absent for a file that is not a template). */
  functions?: FunctionReport[];
  /** The lines of another workspace template, for related information that points into it. */
  linesOf?: (path: string) => LineIndex | undefined;
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  problems: number;
  functions: FunctionCounts;
}

export interface CheckReport {
  files: FileReport[];
  /** Counts of what is reported (after `--quiet`). */
  summary: Summary;
  /** Safe fixes `--fix` would apply to the reported findings (0 after `--fix`, unless a pass limit was hit). */
  fixable: number;
  /** What `--fix` changed, when it ran: fixes applied over all passes, and files written. */
  fixed?: { fixes: number; files: number };
  /** The rules that ran, in catalogue order: SARIF lists them as `tool.driver.rules`. */
  rules: readonly RuleDefinition[];
  /** `--rule` overrides. */
  severities: Record<string, SeveritySetting>;
  /** Whether the text format ends with the count of VPC functions checked (not when `network-unknown` is off). */
  coverageLine?: boolean;
  cwd: string;
  exitCode: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export function rangeOf(lines: LineIndex, span: Span): Range {
  return { start: lines.position(span.start), end: lines.position(span.end) };
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
