/**
 * `check --format text` (the default): one line per finding, `file:line:col severity rule-id message`,
 * 1-based, in source order; a file's problems use the word `problem` where a rule id would stand. Related
 * locations follow, indented, so a line-matching tool (an editor's problem matcher, grep) sees only the
 * findings. With `--fix`, one line per fix applied (`file: fixed rule-id (resource): title`) precedes the
 * summary line that closes the report. Colour only on a terminal.
 */
import type { Severity } from '../core/types';
import type { CheckReport } from './report';
import { plural } from './report';

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  severity(level: Severity, s: string): string;
  ok(s: string): string;
}

const ansi = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const COLOURS: Record<Severity, (s: string) => string> = { error: ansi('31'), warning: ansi('33'), info: ansi('36') };
const COLOUR: Style = { bold: ansi('1'), dim: ansi('2'), severity: (level, s) => COLOURS[level](s), ok: ansi('32') };
const PLAIN: Style = { bold: (s) => s, dim: (s) => s, severity: (_level, s) => s, ok: (s) => s };

interface Line {
  offset: number;
  text: string;
}

export function formatText(report: CheckReport, colour: boolean): string {
  const style = colour ? COLOUR : PLAIN;
  let out = '';
  for (const file of report.files) {
    const lines: Line[] = [];
    const where = (offset: number) => {
      const p = file.lines.position(offset);
      return `${p.line + 1}:${p.character + 1}`;
    };
    for (const p of file.problems) {
      lines.push({ offset: p.span.start, text: `${style.bold(`${file.path}:${where(p.span.start)}`)} ${style.severity(p.severity, p.severity)} ${style.dim('problem')} ${p.message}` });
    }
    for (const f of file.findings) {
      let text = `${style.bold(`${file.path}:${where(f.span.start)}`)} ${style.severity(f.severity, f.severity)} ${style.dim(f.ruleId)} ${f.message}`;
      for (const r of f.related) {
        const other = r.file !== undefined ? file.linesOf?.(r.file) : undefined;
        const at = other ? `${r.file}:${other.position(r.span.start).line + 1}:${other.position(r.span.start).character + 1}` : where(r.span.start);
        text += `\n    ${style.dim(`related ${at}`)} ${r.message}`;
      }
      lines.push({ offset: f.span.start, text });
    }
    // Stable: problems before findings at the same offset.
    lines.sort((a, b) => a.offset - b.offset);
    for (const line of lines) out += `${line.text}\n`;
  }
  return out + summaryLines(report, style);
}

function summaryLines(report: CheckReport, style: Style): string {
  const { files, errors, warnings, infos, problems } = report.summary;
  let out = '';
  for (const file of report.files) {
    for (const f of file.fixed ?? []) out += `${style.bold(`${file.path}:`)} ${style.ok('fixed')} ${style.dim(f.ruleId)} (${f.resource}): ${f.title}\n`;
  }
  if (report.fixed) {
    out += report.fixed.fixes > 0 ? `Applied ${plural(report.fixed.fixes, 'safe fix', 'safe fixes')} to ${plural(report.fixed.files, 'file')}.\n` : 'No safe fix to apply.\n';
  }
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}, ${plural(problems, 'problem')} in ${plural(files, 'file')}`;
  const paint = errors > 0 ? (s: string) => style.severity('error', s) : warnings > 0 || problems > 0 ? (s: string) => style.severity('warning', s) : style.ok;
  out += `${style.bold(paint(counts))}\n`;
  if (report.fixable > 0) out += `${plural(report.fixable, 'finding')} can be fixed with --fix.\n`;
  const { vpc, checked } = report.summary.functions;
  if (report.coverageLine && vpc > 0) {
    const line = `${plural(vpc, 'VPC function')}: ${checked} checked, ${vpc - checked} not checked${vpc > checked ? ' (see network-unknown)' : ''}`;
    out += `${vpc > checked ? line : style.ok(line)}\n`;
  }
  return out;
}
