/**
 * What a rule is: metadata (id, default severity, docs, messages, fix safety) and a `check` that reads
 * the model and reports. One file per rule in this folder, named after its id.
 */
import type { Model } from '../model/types';
import type { Node, Span } from '../tree';
import type { Fix, FixSafety, Format, Related, Severity } from '../types';
import type { EditBuilder } from '../edits';

export type Category =
  | 'vpc-config'
  | 'egress'
  | 'endpoints'
  | 'security-groups'
  | 'iam'
  | 'platform'
  | 'advice';

export interface RuleDocs {
  /** One sentence: what the rule finds. */
  summary: string;
  /** Why it matters: the AWS behaviour behind it. */
  rationale: string;
  /** A minimal template the rule reports on exactly once. */
  invalid: string;
  /** The same template, corrected: the rule reports nothing. */
  valid: string;
  /** What the fix does, when there is one. */
  fix?: string;
}

export interface RuleDefinition<M extends string = string> {
  id: string;
  severity: Severity;
  category: Category;
  docs: RuleDocs;
  messages: Record<M, string>;
  /** `none` when the rule offers no edit. */
  fixSafety: FixSafety | 'none';
  check(context: RuleContext<M>): void;
}

/** A value for a message placeholder: a template value (a node) is rendered as a user writes it (`!Ref X`). */
export type MessageValue = string | number | Node;

export interface ReportDescriptor<M extends string = string> {
  messageId: M;
  data?: Record<string, MessageValue>;
  /** Logical id of the resource the fix changes. */
  resource: string;
  span: Span;
  related?: Related[];
  /** This finding's severity when the user has not set one for the rule (default: the rule's). */
  severity?: Severity;
  /** Parameters whose defaults the finding rests on: lowers the severity one step. */
  assumed?: (string | undefined)[];
  /** `Fn::If` branches the finding holds on (`HasVpc`, `!HasVpc`). */
  conditions?: string[];
  /** Builds the fix lazily; return undefined when an edit would be a guess. */
  fix?: (edits: EditBuilder) => Fix | undefined;
}

export interface RuleContext<M extends string = string> {
  model: Model;
  text: string;
  format: Format;
  root: Node;
  report(descriptor: ReportDescriptor<M>): void;
}

export function defineRule<M extends string>(rule: RuleDefinition<M>): RuleDefinition<M> {
  return rule;
}
