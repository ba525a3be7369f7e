/**
 * The engine's one entry point: text in, findings and problems out. Nothing a user can type makes it
 * throw; a rule that throws becomes one internal-error problem and the other rules still run.
 */
import type { LiveFacts } from './live';
import { inlineTemplateResults } from './inline-templates';
import { finishLiveFindings } from './live';
import { buildModel } from './model/build';
import type { Model } from './model/types';
import { parseTemplate } from './parse';
import { allRules } from './rules/registry';
import type { RuleDefinition } from './engine/rule';
import { runRules } from './engine/run';
import type { Node } from './tree';
import type { Dialect, Finding, Format, ProblemReport, SeveritySetting } from './types';

export interface AnalyzeOptions {
  /** Used to pick the format (`.json`) and in messages. */
  fileName?: string;
  /** Resolves `AWS::Region`, `${aws:region}`; default: the template's own, else us-east-1. */
  region?: string;
  /** CloudFormation parameter values: a parameter given here is known. */
  params?: Record<string, string>;
  /** Serverless stage (`${sls:stage}`, `${opt:stage}`); default `dev`. */
  stage?: string;
  /** Severity overrides per rule id. */
  severities?: Record<string, SeveritySetting>;
  /** Reads a file beside the template (Serverless `${file()}`); undefined when it cannot be read. */
  readFile?: (relativePath: string) => string | undefined;
  /** Texts longer than this many characters are refused with a problem. */
  maxFileSize?: number;
  /** The rules to run; default: every registered rule. */
  rules?: readonly RuleDefinition[];
  /** Facts the host read from the account for ids the template does not define (see `live.ts`). */
  live?: LiveFacts;
}

export interface AnalysisResult {
  dialect: Dialect | undefined;
  format: Format;
  findings: Finding[];
  problems: ProblemReport[];
  root: Node | undefined;
  model: Model | undefined;
  /** Files the analysis read through `${file()}`: re-analyse when one changes. */
  dependencies: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** The result for a file over the size limit: one problem that says so, nothing else. */
export function oversized(size: number, maxSize: number): AnalysisResult {
  return {
    dialect: undefined,
    format: 'yaml',
    findings: [],
    root: undefined,
    model: undefined,
    dependencies: [],
    problems: [{
      message: `This file is ${formatSize(size)}, over the ${formatSize(maxSize)} limit; it was not analysed.`,
      span: { start: 0, end: 0 },
      severity: 'error',
    }],
  };
}

export function analyze(text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (text.length > maxSize) return oversized(text.length, maxSize);
  let parsed: ReturnType<typeof parseTemplate>;
  try {
    parsed = parseTemplate(text, options.fileName);
  } catch (err) {
    // The parsers report problems rather than throw; this guards the promise that analyze() never throws.
    parsed = { format: 'yaml', root: undefined, dialect: undefined, problems: [{ message: `Internal error while reading the file: ${describe(err)}`, span: { start: 0, end: 0 }, severity: 'error' }] };
  }
  const problems: ProblemReport[] = [...parsed.problems];
  const result: AnalysisResult = {
    dialect: parsed.dialect,
    format: parsed.format,
    findings: [],
    problems,
    root: parsed.root,
    model: undefined,
    dependencies: [],
  };
  if (!parsed.dialect || !parsed.root) return result;
  let model: Model;
  try {
    // A syntax error leaves part of the text out of the tree: what it defines there is not known.
    model = buildModel(parsed.root, parsed.dialect, options, parsed.problems.some((p) => p.severity === 'error'));
  } catch (err) {
    problems.push({ message: `Internal error while building the network model: ${describe(err)}`, span: { start: 0, end: 0 }, severity: 'error' });
    return result;
  }
  result.model = model;
  result.dependencies = model.dependencies;
  const run = runRules({ model, text, format: parsed.format, root: parsed.root, rules: options.rules ?? allRules, severities: options.severities ?? {} });
  result.findings = finishLiveFindings(run.findings, model);
  problems.push(...run.problems);
  try {
    const inline = inlineTemplateResults(model, text, parsed.format, parsed.root, options);
    if (inline.findings.length > 0) result.findings = [...result.findings, ...inline.findings].sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
    problems.push(...inline.problems);
  } catch (err) {
    problems.push({ message: `Internal error while analysing an inline TemplateBody: ${describe(err)}`, span: { start: 0, end: 0 }, severity: 'error' });
  }
  for (const message of options.live?.notices ?? []) problems.push({ message, span: { start: 0, end: 0 }, severity: 'warning' });
  return result;
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}
