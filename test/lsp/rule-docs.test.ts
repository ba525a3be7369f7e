/** Rule documentation links of the editor (client/src/rule-docs.ts, no VS Code needed). */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { docCommandLink, isRuleId, localDocSegments, ruleIdOfDocTarget } from '../../client/src/rule-docs';
import { ruleDocUrl } from '../../server/src/product';
import { allRules } from '../../server/src/core/rules/registry';

const ROOT = resolve(__dirname, '../..');

describe('rule documentation in the editor', () => {
  it("turns the diagnostics' web address into a command that opens the shipped page", () => {
    const web = ruleDocUrl('single-az');
    assert.equal(ruleIdOfDocTarget(web), 'single-az');
    assert.equal(ruleIdOfDocTarget('https://example.com/other.md'), undefined);
    const link = docCommandLink('single-az');
    assert.equal(link, 'command:lambdaVpcLint.showRuleDocumentation?%5B%22single-az%22%5D');
    assert.deepEqual(JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1))), ['single-az']);
  });

  it('finds a page in the package for every rule, and takes only rule-shaped ids', () => {
    for (const rule of allRules) assert.ok(existsSync(join(ROOT, ...localDocSegments(rule.id))), rule.id);
    assert.ok(isRuleId('nat-single-az'));
    for (const bad of ['../../etc/passwd', 'a/b', '', 'Single-AZ', 3, undefined]) assert.equal(isRuleId(bad), false, String(bad));
  });
});
