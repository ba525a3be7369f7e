/**
 * `check --format sarif`: one SARIF 2.1.0 run. Every rule that ran is a `reportingDescriptor` (so
 * `ruleIndex` is stable for a given version), each finding a `result` with its region, related locations
 * and fixes. Regions are 1-based lines and columns counted in UTF-16 code units (`columnKind`), the end
 * column exclusive, as SARIF defines them.
 *
 * Problems (a file that does not parse, is too large, is not a template, or could not be read) are not
 * results: they are not findings of a rule and code-scanning services would file them as alerts. They are
 * `toolExecutionNotifications` of the invocation, with the file and position in `locations`, which is what
 * SARIF provides for "the tool could not fully analyse this". `executionSuccessful` is false when a file
 * could not be analysed (an error-level problem) or the exit code is 2 (an internal failure).
 */
import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LineIndex } from '../core/line-index';
import { REPOSITORY_URL, ruleDocUrl, TOOL_NAME, TOOL_VERSION } from '../product';
import type { Span } from '../core/tree';
import type { Severity } from '../core/types';
import type { CheckReport, FileReport } from './report';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const BASE_ID = 'SRCROOT';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** Relative to the working directory (`SRCROOT`) when the file is under it, an absolute file URI otherwise. */
function artifactLocation(cwd: string, fullPath: string): ArtifactLocation {
  const rel = relative(cwd, fullPath);
  if (rel === '' || rel.startsWith('..') || /^[a-zA-Z]:/.test(rel) || rel.startsWith(sep)) return { uri: pathToFileURL(fullPath).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: BASE_ID };
}

function region(lines: LineIndex, span: Span) {
  const start = lines.position(span.start);
  const end = lines.position(span.end);
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function physical(file: FileReport, location: ArtifactLocation, span: Span) {
  return { physicalLocation: { artifactLocation: location, region: region(file.lines, span) } };
}

export function formatSarif(report: CheckReport): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  for (const file of report.files) {
    const location = artifactLocation(report.cwd, file.fullPath);
    for (const p of file.problems) {
      notifications.push({ level: p.severity, message: { text: p.message }, locations: [physical(file, location, p.span)] });
    }
    for (const f of file.findings) {
      const result: Record<string, unknown> = {
        ruleId: f.ruleId,
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [physical(file, location, f.span)],
        properties: { resource: f.resource, path: f.path },
      };
      const index = ruleIndex.get(f.ruleId);
      if (index !== undefined) result.ruleIndex = index;
      if (f.related.length > 0) {
        result.relatedLocations = f.related.map((r, i) => {
          // Related information in another template of the workspace: that file's location and lines.
          const other = r.file !== undefined ? file.linesOf?.(r.file) : undefined;
          const where = other && r.file !== undefined
            ? { physicalLocation: { artifactLocation: artifactLocation(report.cwd, resolve(report.cwd, r.file)), region: region(other, r.span) } }
            : physical(file, location, r.span);
          return { id: i + 1, message: { text: r.message }, ...where };
        });
      }
      if (f.fixes.length > 0) {
        result.fixes = f.fixes.map((fix) => ({
          description: { text: fix.title },
          artifactChanges: [{
            artifactLocation: location,
            replacements: fix.edits.map((e) => ({ deletedRegion: region(file.lines, e), insertedContent: { text: e.text } })),
          }],
          properties: { safety: fix.safety },
        }));
      }
      results.push(result);
    }
  }
  const overrides = Object.entries(report.severities).flatMap(([id, setting]) => {
    const index = ruleIndex.get(id);
    if (index === undefined) return [];
    const configuration = setting === 'off' ? { enabled: false } : { level: LEVEL[setting] };
    return [{ descriptor: { id, index }, configuration }];
  });
  const invocation: Record<string, unknown> = {
    executionSuccessful: report.exitCode !== 2 && !report.files.some((f) => f.problems.some((p) => p.severity === 'error')),
    exitCode: report.exitCode,
    toolExecutionNotifications: notifications,
  };
  if (overrides.length > 0) invocation.ruleConfigurationOverrides = overrides;
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          version: TOOL_VERSION,
          semanticVersion: TOOL_VERSION,
          informationUri: REPOSITORY_URL,
          rules: report.rules.map((r) => ({
            id: r.id,
            shortDescription: { text: r.docs.summary },
            fullDescription: { text: r.docs.rationale },
            helpUri: ruleDocUrl(r.id),
            defaultConfiguration: { level: LEVEL[r.severity] },
            properties: { category: r.category, fixSafety: r.fixSafety, tags: [r.category] },
          })),
        },
      },
      originalUriBaseIds: { [BASE_ID]: { uri: pathToFileURL(report.cwd).href.replace(/\/?$/, '/') } },
      columnKind: 'utf16CodeUnits',
      invocations: [invocation],
      results,
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
