/**
 * The engine's one entry point: text in, findings and problems out. Nothing a user can type makes it
 * throw; a rule that throws becomes one internal-error problem and the other rules still run.
 */
import type { AnalyzeOptions } from './options';
import { describe } from './options';
import { inlineTemplateResults } from './inline-templates';
import { finishLiveFindings } from './live';
import { buildModel } from './model/build';
import { coverageRecords } from './model/coverage';
import type { Workspace } from './model/workspace';
import { templateOfOffset } from './model/workspace';
import type { Model } from './model/types';
import type { ParsedTemplate } from './parse';
import { parseTemplate } from './parse';
import { allRules } from './rules/registry';
import { compareFindings, runRules } from './engine/run';
import type { Node } from './tree';
import { get, isSeq, pathTo, str } from './tree';
import { commentSuppressions } from './engine/suppress';
import type { Finding, ProblemReport } from './types';
import { withFindingFields } from './types';

// The options live in options.ts, where the model builder and the rule runner read them without importing this module.
export type { AnalyzeOptions } from './options';

export type { AnalysisResult } from './options';
import type { AnalysisResult } from './options';

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
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(text, options.fileName);
  } catch (err) {
    // The parsers report problems rather than throw; this guards the promise that analyze() never throws.
    parsed = { format: 'yaml', root: undefined, dialect: undefined, problems: [{ message: `Internal error while reading the file: ${describe(err)}`, span: { start: 0, end: 0 }, severity: 'error' }] };
  }
  return analyzeParsed(text, parsed, options);
}

/**
 * The analysis of a text already parsed. `parsed.root` may be a part of the text's tree (the
 * incremental analysis passes the template with some of its resources), its offsets the text's own;
 * `wholeRoot` is then the text's whole tree, where findings' paths and fixes' edits are computed.
 */
export function analyzeParsed(text: string, parsed: ParsedTemplate, options: AnalyzeOptions = {}, wholeRoot?: Node): AnalysisResult {
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
    model = buildModel(parsed.root, parsed.dialect, options, parsed.problems.some((p) => p.severity === 'error'), wholeRoot);
  } catch (err) {
    problems.push({ message: `Internal error while building the network model: ${describe(err)}`, span: { start: 0, end: 0 }, severity: 'error' });
    return result;
  }
  result.model = model;
  result.region = model.region;
  result.coverage = coverageRecords(model);
  result.dependencies = model.dependencies;
  // A part of a template is analysed only when its text holds no suppression comment (see incremental.ts).
  const run = runRules({ model, text, format: parsed.format, root: wholeRoot ?? parsed.root, rules: options.rules ?? allRules, severities: options.severities ?? {}, withoutComments: !!wholeRoot });
  result.findings = finishLiveFindings(options.workspace ? placeFindings(run.findings, model, options.workspace, text.length) : run.findings, model).sort(compareFindings);
  problems.push(...run.problems);
  try {
    const inline = inlineTemplateResults(model, text, parsed.format, wholeRoot ?? parsed.root, options, analyze);
    if (inline.findings.length > 0) result.findings = [...result.findings, ...inline.findings].sort(compareFindings);
    problems.push(...inline.problems);
  } catch (err) {
    problems.push({ message: `Internal error while analysing an inline TemplateBody: ${describe(err)}`, span: { start: 0, end: 0 }, severity: 'error' });
  }
  for (const message of options.live?.notices ?? []) problems.push({ message, span: { start: 0, end: 0 }, severity: 'warning' });
  return result;
}

/**
 * Rules that judge a resource on its own template's terms: about another template's resource, that
 * template's own analysis says it (and knows what this one cannot, such as who else uses a group).
 */
const JUDGED_AT_HOME = new Set(['nat-in-private-subnet', 'nat-missing-eip', 'igw-attachment-race', 'unresolved-reference', 'lambda-sg-ingress-unused']);

/**
 * Findings and related information that lie in other templates of the workspace name their file, with
 * offsets in its text. A finding about another template's resource stays only when it is about this
 * template's functions (related information points here); its fixes would edit the other file, so go.
 */
function placeFindings(findings: Finding[], model: Model, workspace: Workspace, textLength: number): Finding[] {
  const out: Finding[] = [];
  const place = (span: { start: number; end: number }) => {
    const at = templateOfOffset(span.start);
    const template = at ? workspace.templates[at.template] : undefined;
    if (!at || !template) return undefined;
    const local = { start: at.offset, end: span.end - (span.start - at.offset) };
    return { file: template.path, span: local, path: template.root ? (pathTo(template.root, local) ?? []) : [] };
  };
  const qualifiers = (model.workspaceFiles ?? []).map((f) => `${f}#`);
  // The other template's own suppressions: its top-level Metadata, its comments (when the host gave its text).
  const suppressions = new Map<string, { ignore: string[]; comments: ReturnType<typeof commentSuppressions> }>();
  const suppressedIn = (file: string, offset: number, ruleId: string) => {
    let s = suppressions.get(file);
    if (!s) {
      const template = workspace.templates.find((t) => t.path === file);
      const ignore = get(get(get(template?.root, 'Metadata'), 'lambda-vpc-lint'), 'ignore');
      s = {
        ignore: isSeq(ignore) ? ignore.items.map(str).filter((x): x is string => !!x) : str(ignore) ? [str(ignore)!] : [],
        comments: template?.text !== undefined && !/\.json$/i.test(file) ? commentSuppressions(template.text) : undefined,
      };
      suppressions.set(file, s);
    }
    return s.ignore.includes(ruleId) || !!s.comments?.file.has(ruleId) || !!s.comments?.file.has('*') || !!s.comments?.suppressedAt(offset, ruleId);
  };
  for (const f of findings) {
    const origin = model.resources.get(f.resource)?.origin;
    const related = f.related.map((r) => {
      const p = place(r.span);
      return p ? { ...r, file: p.file, span: p.span, path: p.path } : r;
    });
    if (origin && (JUDGED_AT_HOME.has(f.ruleId) || !related.some((r) => r.file === undefined))) continue;
    const p = place(f.span);
    if (p && suppressedIn(p.file, p.span.start, f.ruleId)) continue;
    const fields: Partial<Finding> = { related };
    if (origin) fields.resource = origin.id;
    if (p) Object.assign(fields, { file: p.file, span: p.span, path: p.path });
    const finding = withFindingFields(f, fields, (fix) => !p && fix.edits.every((e) => e.end <= textLength && !qualifiers.some((q) => e.text.includes(q))));
    out.push(finding);
  }
  return out;
}


function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}
