/**
 * Findings and problems as LSP diagnostics. A finding's diagnostic carries in `data` only what finds the
 * finding again in the document's analysis (rule, message, resource, span and the version it refers to):
 * its fixes are built when a code action asks for them (see code-actions.ts), not with every diagnostic.
 */
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocUrl } from '../product';
import type { Span } from '../core/tree';
import type { Finding, ProblemReport, Severity } from '../core/types';
import type { AnalysisEntry } from './analysis';
import { DIAGNOSTIC_SOURCE } from './protocol';

/** `Diagnostic.data` of a finding. */
export interface FindingData {
  kind: 'finding';
  /** The document version the span refers to. */
  version: number;
  ruleId: string;
  messageId: string;
  resource: string;
  span: Span;
}

export interface ProblemData {
  kind: 'problem' | 'failure' | 'too-large';
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function rangeOf(doc: TextDocument, span: Span) {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/** Another workspace template's document (open, or read from disk), for related information and findings that point into it. */
export type Locate = (file: string) => TextDocument | undefined;

export function findingDiagnostic(doc: TextDocument, finding: Finding, locate?: Locate): Diagnostic {
  const data: FindingData = {
    kind: 'finding',
    version: doc.version,
    ruleId: finding.ruleId,
    messageId: finding.messageId,
    resource: finding.resource,
    span: finding.span,
  };
  const diagnostic: Diagnostic = {
    range: rangeOf(doc, finding.span),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data,
  };
  if (finding.related.length) {
    diagnostic.relatedInformation = finding.related.map((r): DiagnosticRelatedInformation => {
      const other = r.file !== undefined ? locate?.(r.file) : undefined;
      return { location: { uri: (other ?? doc).uri, range: rangeOf(other ?? doc, r.span) }, message: r.message };
    });
  }
  return diagnostic;
}

export function problemDiagnostic(doc: TextDocument, problem: ProblemReport): Diagnostic {
  const data: ProblemData = { kind: 'problem' };
  return {
    range: rangeOf(doc, problem.span),
    severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
    data,
  };
}

/** The diagnostics of an entry; `treatAsTemplate` keeps the parse problems of a template being edited. */
export function diagnosticsOf(doc: TextDocument, entry: AnalysisEntry, treatAsTemplate: boolean, locate?: Locate): Diagnostic[] {
  const start = { line: 0, character: 0 };
  switch (entry.kind) {
    case 'disabled':
      return [];
    case 'too-large':
      return [{
        range: { start, end: start },
        severity: DiagnosticSeverity.Information,
        source: DIAGNOSTIC_SOURCE,
        message: entry.message ?? 'This file is too large to analyse.',
        data: { kind: 'too-large' } satisfies ProblemData,
      }];
    case 'failed':
      return [{
        range: { start, end: start },
        severity: DiagnosticSeverity.Error,
        source: DIAGNOSTIC_SOURCE,
        message: `lambda-vpc-lint could not analyse this file: ${firstLine(entry.message ?? 'unknown error')}. The error is in the server log; other files are not affected.`,
        data: { kind: 'failure' } satisfies ProblemData,
      }];
    case 'not-template':
      if (!treatAsTemplate || !entry.result) return [];
      return entry.result.problems.map((p) => problemDiagnostic(doc, p));
    case 'template': {
      const result = entry.result!;
      const parameters = entry.parameterNotices.length ? [parameterDiagnostic(entry.parameterNotices)] : [];
      // Findings in another template of the workspace are published on that template (see server.ts).
      const own = result.findings.filter((f) => f.file === undefined);
      return [...parameters, ...result.problems.map((p) => problemDiagnostic(doc, p)), ...own.map((f) => findingDiagnostic(doc, f, locate))];
    }
  }
}

/** What could not be used of the parameter files, as one warning at the top of the template. */
export function parameterDiagnostic(notices: string[]): Diagnostic {
  const start = { line: 0, character: 0 };
  return {
    range: { start, end: start },
    severity: DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    message: `Some parameter values could not be used: ${notices.join('; ')}.`,
    data: { kind: 'problem' } satisfies ProblemData,
  };
}

export function countsOf(entry: AnalysisEntry): { error: number; warning: number; info: number; problems: number } {
  const counts = { error: 0, warning: 0, info: 0, problems: 0 };
  for (const f of entry.result?.findings ?? []) counts[f.severity]++;
  counts.problems = entry.result?.problems.length ?? 0;
  if (entry.kind === 'template' && entry.parameterNotices.length) counts.warning++;
  return counts;
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).replace(/\.$/, '');
}

export function isFindingData(data: unknown): data is FindingData {
  if (data === null || typeof data !== 'object') return false;
  const d = data as Partial<FindingData>;
  return d.kind === 'finding' && typeof d.ruleId === 'string' && typeof d.version === 'number' && typeof d.resource === 'string'
    && typeof d.messageId === 'string' && !!d.span && typeof d.span.start === 'number' && typeof d.span.end === 'number';
}
