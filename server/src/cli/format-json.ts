/**
 * `check --format json`: version 1 of the JSON contract in cli.md, field by field. Positions are 0-based
 * (LSP); `dialect` is null for a file that is not a template (or could not be read or parsed far enough
 * to tell), which only happens to files that also carry a problem.
 */
import { TOOL_NAME, TOOL_VERSION } from '../product';
import type { Edit, Finding } from '../core/types';
import type { LineIndex } from '../core/line-index';
import type { CheckReport, FileReport } from './report';
import { rangeOf } from './report';

function edit(lines: LineIndex, e: Edit) {
  return { range: rangeOf(lines, e), newText: e.text };
}

function finding(lines: LineIndex, f: Finding, linesOf?: FileReport['linesOf']) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    resource: f.resource,
    path: f.path,
    range: rangeOf(lines, f.span),
    related: f.related.map((r) => ({
      message: r.message,
      ...(r.file !== undefined ? { file: r.file } : {}),
      path: r.path ?? [],
      range: rangeOf((r.file !== undefined ? linesOf?.(r.file) : undefined) ?? lines, r.span),
    })),
    fixes: f.fixes.map((fix) => ({ title: fix.title, safety: fix.safety, edits: fix.edits.map((e) => edit(lines, e)) })),
  };
}

function file(report: FileReport) {
  const out: Record<string, unknown> = {
    file: report.path,
    dialect: report.dialect ?? null,
    findings: report.findings.map((f) => finding(report.lines, f, report.linesOf)),
    problems: report.problems.map((p) => ({ message: p.message, range: rangeOf(report.lines, p.span) })),
    functions: report.functions ?? [],
  };
  // Only with --fix: what it changed in this file.
  if (report.fixed) out.fixed = report.fixed.map((f) => ({ ruleId: f.ruleId, resource: f.resource, title: f.title }));
  return out;
}

export function formatJson(report: CheckReport): string {
  const out = {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    files: report.files.map(file),
    summary: { ...report.summary, functions: { ...report.summary.functions } },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
