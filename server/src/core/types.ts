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
  fixes: Fix[];
}

export interface ProblemReport {
  message: string;
  span: Span;
  severity: 'error' | 'warning';
}
