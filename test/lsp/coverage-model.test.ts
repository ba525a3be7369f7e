/** The coverage status bar item (client/src/coverage-model.ts, no VS Code needed). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coverageItems, coverageView } from '../../client/src/coverage-model';
import type { CoverageStatus } from '../../server/src/lsp/protocol';

const range = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 5 } });

describe('coverage status bar model', () => {
  it('is hidden without VPC functions', () => {
    assert.equal(coverageView(undefined), undefined);
    assert.equal(coverageView({ vpc: 0, checked: 0, unchecked: [] }), undefined);
  });

  it('says how many VPC functions were checked, and lists the others in the tooltip', () => {
    const coverage: CoverageStatus = {
      vpc: 5,
      checked: 3,
      unchecked: [
        { resource: 'Api', network: 'unknown', missing: ['subnets: parameter `SubnetIds` has no value (…)'], range: range(7) },
        { resource: 'Worker', network: 'partial', missing: ['security groups: `sg-1` is not in the template (…)'], range: range(20) },
      ],
    };
    const view = coverageView(coverage)!;
    assert.equal(view.text, '$(question) VPC: 3/5 checked');
    assert.equal(view.tone, 'warning');
    assert.equal(view.command, 'lambdaVpcLint.showCoverage');
    assert.equal(view.tooltip, [
      'Not checked: 2 of 5 VPC functions (network-unknown)',
      '• Api (not checked): subnets: parameter `SubnetIds` has no value (…)',
      '• Worker (partly checked): security groups: `sg-1` is not in the template (…)',
      'Click to list them and go to one.',
    ].join('\n'));
    assert.deepEqual(coverageItems(coverage).map((i) => [i.label, i.description, i.line, i.character]), [['Api', 'not checked', 7, 2], ['Worker', 'partly checked', 20, 2]]);
  });

  it('is calm when every VPC function was checked', () => {
    const view = coverageView({ vpc: 2, checked: 2, unchecked: [] })!;
    assert.equal(view.text, '$(shield) VPC: 2/2 checked');
    assert.equal(view.tone, 'normal');
  });
});
