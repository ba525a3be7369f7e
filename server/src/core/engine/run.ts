/**
 * Runs rules over a model: applies severity overrides, lowers findings resting on parameter defaults
 * (and drops them on a condition branch those defaults rule out), names `Fn::If` conditions, honours
 * suppressions, and isolates a throwing rule.
 */
import { describe } from '../options';
import { EditBuilder } from '../edits';
import type { Model } from '../model/types';
import type { Node } from '../tree';
import { pathTo } from '../tree';
import type { Finding, Format, ProblemReport, Severity, SeveritySetting } from '../types';
import { lazyFixes } from '../types';
import { renderValue } from '../render';
import type { MessageValue, ReportDescriptor, RuleDefinition } from './rule';
import { commentSuppressions } from './suppress';
import { ASSUMED_TEMPLATE } from '../model/workspace-types';

export interface RunInput {
  model: Model;
  text: string;
  format: Format;
  root: Node;
  rules: readonly RuleDefinition[];
  severities: Record<string, SeveritySetting>;
  /** The caller knows the text holds no suppression comment (the incremental analysis, once for all its units). */
  withoutComments?: boolean;
}

const LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'info', info: 'info' };

/** A message with its `{placeholders}` filled; a template value (a node) reads the way a user writes it. */
export function fillMessage(template: string, data: Record<string, MessageValue> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (!(key in data)) return whole;
    const value = data[key]!;
    return typeof value === 'object' ? renderValue(value) : String(value);
  });
}

export function runRules(input: RunInput): { findings: Finding[]; problems: ProblemReport[] } {
  const { model, text, format, root } = input;
  const findings: Finding[] = [];
  const problems: ProblemReport[] = [];
  const seen = new Set<string>();
  const comments = format === 'yaml' && !input.withoutComments ? commentSuppressions(text) : undefined;
  let edits: EditBuilder | undefined;
  for (const rule of input.rules) {
    const override = input.severities[rule.id];
    const setting = override ?? rule.severity;
    if (setting === 'off') continue;
    if (model.ignore.includes(rule.id) || comments?.file.has(rule.id) || comments?.file.has('*')) continue;
    const report = (d: ReportDescriptor) => {
      const resource = model.resources.get(d.resource);
      if (resource?.ignore.includes(rule.id)) return;
      if (d.span.start <= text.length && comments?.suppressedAt(d.span.start, rule.id)) return;
      const template = (rule.messages as Record<string, string>)[d.messageId];
      if (template === undefined) throw new Error(`rule ${rule.id} reported unknown message id '${d.messageId}'`);
      let message = fillMessage(template, d.data);
      let severity: Severity = override && override !== 'off' ? override : (d.severity ?? rule.severity);
      const assumedAll = [...new Set((d.assumed ?? []).filter((p): p is string => !!p))];
      // An import matched by treating `${AWS::StackName}` as a wildcard rests on the template it matched.
      const assumed = assumedAll.filter((p) => !p.startsWith(ASSUMED_TEMPLATE));
      const templates = assumedAll.filter((p) => p.startsWith(ASSUMED_TEMPLATE)).map((p) => p.slice(ASSUMED_TEMPLATE.length));
      const conditions = [...new Set(d.conditions ?? [])];
      // Parameter defaults are one deploy: a finding resting on them, on a branch those defaults rule out, pairs two deploys.
      if (assumed.length > 0 && conditions.some((c) => againstDefaults(model, c))) return;
      if (assumedAll.length > 0) severity = LOWER[severity];
      if (assumed.length > 0) {
        message += ` (assuming the default of parameter${assumed.length > 1 ? 's' : ''} ${assumed.map((p) => `'${p}'`).join(', ')})`;
      }
      if (templates.length > 0) {
        message += ` (assuming the export of ${templates.join(', ')}, whose stack name is not known)`;
      }
      if (conditions.length > 0) {
        message += ` (when ${conditions.map(describeCondition).join(' and ')})`;
      }
      const key = `${rule.id}\u0000${d.resource}\u0000${d.span.start}:${d.span.end}\u0000${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      const finding: Finding = {
        ruleId: rule.id,
        messageId: d.messageId,
        severity,
        message,
        resource: d.resource,
        // Spans of their own, not the tree's nodes: the incremental analysis moves them, and the tree.
        span: { start: d.span.start, end: d.span.end },
        path: pathTo(root, d.span) ?? [],
        related: (d.related ?? []).map((r) => ({ ...r, span: { start: r.span.start, end: r.span.end }, path: r.path ?? pathTo(root, r.span) ?? [] })),
        fixes: [],
      };
      // A finding that involves another template's resources gets no fix: an edit here could not be right there.
      const elsewhere = d.span.end > text.length || (d.related ?? []).some((r) => r.span.end > text.length);
      const build = d.fix;
      if (build && rule.fixSafety !== 'none' && !elsewhere) {
        // Built when read: the editor asks for one finding's fixes when a code action is wanted.
        lazyFixes(finding, () => {
          edits ??= new EditBuilder(text, format, root);
          try {
            const fix = build(edits);
            return fix ? [fix] : [];
          } catch {
            return [];
          }
        });
      }
      findings.push(finding);
    };
    try {
      rule.check({ model, text, format, root, report });
    } catch (err) {
      problems.push({ message: `Internal error in rule '${rule.id}': ${describe(err)}`, span: { start: 0, end: 0 }, severity: 'error' });
    }
  }
  findings.sort(compareFindings);
  return { findings, problems };
}

/**
 * The order findings are given in: by file and position, then rule, then what is left to tell them apart, so
 * that the same findings come in the same order however they were computed (the incremental analysis
 * merges findings computed apart).
 */
export function compareFindings(a: Finding, b: Finding): number {
  // Findings placed in another template of the workspace come after this one's, file by file.
  if (a.file !== b.file) return a.file === undefined ? -1 : b.file === undefined ? 1 : compareStrings(a.file, b.file);
  return a.span.start - b.span.start || compareStrings(a.ruleId, b.ruleId) || a.span.end - b.span.end
    || compareStrings(a.resource, b.resource) || compareStrings(a.message, b.message);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the condition branch (`Cond` / `!Cond`) is the one the parameter defaults do not take. */
function againstDefaults(model: Model, condition: string): boolean {
  const negated = condition.startsWith('!');
  const value = model.conditions.get(negated ? condition.slice(1) : condition);
  return !!value?.assumed && value.value === negated;
}

function describeCondition(condition: string): string {
  return condition.startsWith('!') ? `condition '${condition.slice(1)}' is false` : `condition '${condition}' is true`;
}
