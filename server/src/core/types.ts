/** The data the engine hands to its edges (language server, command line): findings, fixes, problems. */
import type { Span } from './tree';

export type Dialect = 'cloudformation' | 'sam' | 'serverless';
export type Format = 'yaml' | 'json';
export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';
export type FixSafety = 'safe' | 'unsafe';

/** Replace the text between two offsets. */
export interface Edit {
  start: number;
  end: number;
  text: string;
  /** The same text in snippet syntax with tab stops (`${1:subnet-id}`), for editors that take snippets. */
  snippet?: string;
}

export interface Fix {
  title: string;
  safety: FixSafety;
  edits: Edit[];
}

export interface Related {
  message: string;
  span: Span;
  /** The workspace template the span is in, when it is not the analysed one. */
  file?: string;
  path?: (string | number)[];
}

export interface Finding {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  /** Logical id of the resource the finding is about (a Serverless function: its key under `functions`). */
  resource: string;
  span: Span;
  /** The workspace template the finding is in, when it is not the analysed one (a shared network resource). */
  file?: string;
  path: (string | number)[];
  related: Related[];
  /**
   * Built on first read (see `lazyFixes`): an edge that never asks (the editor's diagnostics) pays nothing
   * for them. Copy a finding with `withFindingFields`, which keeps them unbuilt.
   */
  fixes: Fix[];
}

/** Makes `finding.fixes` the result of `build`, called on the first read; an assignment replaces it. */
export function lazyFixes(finding: Finding, build: () => Fix[]): Finding {
  let fixes: Fix[] | undefined;
  Object.defineProperty(finding, 'fixes', {
    enumerable: true,
    configurable: true,
    get: () => (fixes ??= build()),
    set: (value: Fix[]) => {
      fixes = value;
    },
  });
  return finding;
}

/**
 * A copy of the finding with these fields replaced and its fixes, still unbuilt, passed through `keep`
 * when they are read. (A spread would build them.)
 */
export function withFindingFields(finding: Finding, fields: Partial<Omit<Finding, 'fixes'>>, keep?: (fix: Fix) => boolean): Finding {
  const copy = {} as Record<string, unknown>;
  for (const key of Object.keys(finding)) {
    if (key !== 'fixes') copy[key] = (finding as unknown as Record<string, unknown>)[key];
  }
  Object.assign(copy, fields);
  return lazyFixes(copy as unknown as Finding, () => (keep ? finding.fixes.filter(keep) : finding.fixes));
}

export interface ProblemReport {
  message: string;
  span: Span;
  severity: 'error' | 'warning';
}
