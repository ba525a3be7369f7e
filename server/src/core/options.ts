/**
 * What `analyze()` takes besides the text, in a module of its own so that the model builder and the rule
 * runner, which `analyze.ts` imports, can read the options without importing it back.
 */
import type { RuleDefinition } from './engine/rule';
import type { LiveFacts } from './live';
import type { ManagedPolicyLookup } from './model/managed-policies';
import type { Workspace } from './model/workspace-types';
import type { CoverageRecord } from './model/coverage';
import type { Model } from './model/types';
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
  /** AWS managed policies beyond the few bundled with the engine (see `model/managed-policies.ts`). */
  managedPolicies?: ManagedPolicyLookup;
  /** The other templates of the workspace, for values that cross templates (see `model/workspace.ts`). */
  workspace?: Workspace;
  /** This template's path as `workspace` names it; default `fileName`. */
  path?: string;
}

/** What `analyze()` gives back. */
export interface AnalysisResult {
  dialect: Dialect | undefined;
  format: Format;
  findings: Finding[];
  problems: ProblemReport[];
  root: Node | undefined;
  model: Model | undefined;
  /** Files the analysis read through `${file()}`: re-analyse when one changes. */
  dependencies: string[];
  /** The region the model resolved (`model.region`), readable without building the model of an incremental result. */
  region?: string;
  /** Each VPC function's coverage as plain data (the status bar's), when there is a model. */
  coverage?: CoverageRecord[];
}

/** An error's message, for a problem that reports it. */
export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
