/**
 * Templates held inside a template: the `TemplateBody` of an `AWS::CloudFormation::StackSet` (or of a
 * stack), as a map or as a string. Each is analysed as a template of its own; its findings point into the
 * outer text. A map body is part of the outer tree, so its spans already are outer offsets. A string body
 * is parsed on its own: a literal block scalar (`|`) maps back line by line, exactly; any other string
 * style anchors the findings on the `TemplateBody` value, without fixes.
 */
import type { AnalysisResult, AnalyzeOptions } from './options';
import { buildModel } from './model/build';
import type { Model } from './model/types';
import { detectDialect } from './parse';
import { allRules } from './rules/registry';
import { runRules } from './engine/run';
import type { Node, Span } from './tree';
import { get, intrinsicName, isMap, pathTo } from './tree';
import type { Finding, Format, ProblemReport, Related } from './types';
import { withFindingFields } from './types';

const HOLDERS = new Set(['AWS::CloudFormation::StackSet', 'AWS::CloudFormation::Stack']);

export interface InlineResults {
  findings: Finding[];
  problems: ProblemReport[];
}

/** Findings and problems of every inline template in the model, positioned in the outer text. */
/** `analyze` arrives as an argument: this module is part of it, and importing it back would make a cycle. */
export function inlineTemplateResults(
  model: Model, text: string, format: Format, root: Node, options: AnalyzeOptions, analyze: (text: string, options: AnalyzeOptions) => AnalysisResult,
): InlineResults {
  const out: InlineResults = { findings: [], problems: [] };
  // The inner template deploys with its own parameters (and in other regions): the outer values do not apply.
  const inner: AnalyzeOptions = { severities: options.severities, rules: options.rules, maxFileSize: options.maxFileSize };
  if (options.region) inner.region = options.region;
  for (const r of model.resources.values()) {
    if (!HOLDERS.has(r.type)) continue;
    const body = get(r.properties, 'TemplateBody');
    if (!body) continue;
    const where = ` (in the TemplateBody of '${r.id}')`;
    if (isMap(body) && !intrinsicName(body)) {
      const dialect = detectDialect(body);
      if (!dialect) continue;
      const innerModel = buildModel(body, dialect, inner);
      const run = runRules({ model: innerModel, text, format, root, rules: inner.rules ?? allRules, severities: inner.severities ?? {} });
      out.findings.push(...run.findings.map((f) => withFindingFields(f, { message: f.message + where })));
      out.problems.push(...run.problems);
      const nested = inlineTemplateResults(innerModel, text, format, root, inner, analyze);
      out.findings.push(...nested.findings);
      out.problems.push(...nested.problems);
      continue;
    }
    const scalar = bodyString(body);
    if (!scalar || typeof scalar.value !== 'string') continue;
    const result = analyze(scalar.value, inner);
    if (!result.dialect) continue;
    const anchor: Span = { start: body.start, end: body.end };
    const map = blockScalarMapping(text, scalar, scalar.value);
    const place = (span: Span): Span => {
      const start = map?.(span.start);
      const end = map?.(span.end);
      return start !== undefined && end !== undefined ? { start, end } : anchor;
    };
    // Inside a string there is no outer path deeper than the string itself.
    const path = pathTo(root, { start: scalar.start, end: scalar.end }) ?? [];
    for (const f of result.findings) {
      const related: Related[] = f.related.map((rel) => ({ message: rel.message, span: place(rel.span), path }));
      // Edits inside a string would need its quoting and indentation: the finding comes without them.
      out.findings.push({ ...f, message: f.message + where, span: place(f.span), path, related, fixes: [] });
    }
    for (const p of result.problems) out.problems.push({ ...p, message: `${p.message}${where}`, span: place(p.span) });
  }
  return out;
}

/** The string of a `TemplateBody`: the value itself, or the text of an `Fn::Sub` around it. */
function bodyString(body: Node): (Node & { kind: 'scalar' }) | undefined {
  if (body.kind === 'scalar') return body;
  if (intrinsicName(body) !== 'Fn::Sub' || !isMap(body)) return undefined;
  const arg = body.pairs[0]!.value;
  const text = arg.kind === 'seq' ? arg.items[0] : arg;
  return text?.kind === 'scalar' ? text : undefined;
}

/**
 * For a literal block scalar (`|`, `|-`, `|+`), a map from offsets in its value to offsets in the outer
 * text: each line of the value stands verbatim on its own line after the indentation. Undefined when the
 * scalar is of another style or a line does not match.
 */
export function blockScalarMapping(text: string, scalar: Node, value: string): ((offset: number) => number | undefined) | undefined {
  if (text[scalar.start] !== '|') return undefined;
  const lines = value.split('\n');
  const lineStarts: number[] = [];
  let cursor = text.indexOf('\n', scalar.start);
  if (cursor < 0) return undefined;
  cursor += 1;
  for (const line of lines) {
    let eol = text.indexOf('\n', cursor);
    if (eol < 0) eol = text.length;
    const outer = text.slice(cursor, eol).replace(/\r$/, '');
    if (line === '') lineStarts.push(Math.min(cursor + outer.length, eol));
    else {
      const indent = outer.length - line.length;
      if (indent < 0 || !outer.endsWith(line) || outer.slice(0, indent).trim() !== '') return undefined;
      lineStarts.push(cursor + indent);
    }
    cursor = eol + 1;
  }
  const innerStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    innerStarts.push(offset);
    offset += line.length + 1;
  }
  return (inner) => {
    if (inner < 0 || inner > value.length) return undefined;
    let lo = 0;
    let hi = innerStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (innerStarts[mid]! <= inner) lo = mid;
      else hi = mid - 1;
    }
    return lineStarts[lo]! + (inner - innerStarts[lo]!);
  };
}
