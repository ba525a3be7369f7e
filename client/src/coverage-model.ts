/**
 * What the coverage status bar item says for the active template ("VPC: 3/5 checked"), from the
 * `coverage` of the server's status notification. Pure, so it is tested without VS Code.
 */
import type { CoverageStatus } from '../../server/src/lsp/protocol';
import { SHOW_COVERAGE_COMMAND } from '../../server/src/lsp/protocol';

export interface CoverageView {
  text: string;
  tooltip: string;
  tone: 'normal' | 'warning';
  command: string;
}

const MAX_LISTED = 10;

/** Hidden (undefined) for a template without VPC functions. */
export function coverageView(coverage: CoverageStatus | undefined): CoverageView | undefined {
  if (!coverage || coverage.vpc === 0) return undefined;
  const text = `${coverage.checked === coverage.vpc ? '$(shield)' : '$(question)'} VPC: ${coverage.checked}/${coverage.vpc} checked`;
  if (coverage.unchecked.length === 0) {
    return { text, tooltip: `lambda-vpc-lint followed the network of every VPC function of this template (${coverage.vpc}).`, tone: 'normal', command: SHOW_COVERAGE_COMMAND };
  }
  const lines = coverage.unchecked.slice(0, MAX_LISTED).map((u) => `• ${u.resource} (${u.network === 'partial' ? 'partly checked' : 'not checked'}): ${u.missing.join('; ')}`);
  if (coverage.unchecked.length > MAX_LISTED) lines.push(`…and ${coverage.unchecked.length - MAX_LISTED} more`);
  const tooltip = [`Not checked: ${coverage.unchecked.length} of ${coverage.vpc} VPC functions (network-unknown)`, ...lines, 'Click to list them and go to one.'].join('\n');
  return { text, tooltip, tone: 'warning', command: SHOW_COVERAGE_COMMAND };
}

/** The quick pick entries of the coverage command: one per unchecked function. */
export function coverageItems(coverage: CoverageStatus | undefined): { label: string; description: string; detail: string; line: number; character: number }[] {
  return (coverage?.unchecked ?? []).map((u) => ({
    label: u.resource,
    description: u.network === 'partial' ? 'partly checked' : 'not checked',
    detail: u.missing.join('; '),
    line: u.range.start.line,
    character: u.range.start.character,
  }));
}
