/**
 * Renders the rule docs from the rules' own metadata: `docs/rules/<id>.md` for each rule and the table
 * `docs/rules.md`. `npm run docs` writes them; a test checks the files match, so they cannot drift.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { allRules } from '../server/src/core/rules/registry';
import type { RuleDefinition } from '../server/src/core/rules/rule';

const CATEGORY_TITLES: Record<string, string> = {
  'vpc-config': 'A. The VpcConfig itself',
  egress: 'B. The egress path',
  endpoints: 'C. VPC endpoints',
  'security-groups': 'D. Security groups and network ACLs',
  iam: 'E. IAM',
  platform: 'F. Platform limits',
  advice: 'G. Advice',
};

export function ruleDoc(rule: RuleDefinition): string {
  const d = rule.docs;
  const fix = rule.fixSafety === 'none'
    ? 'This rule offers no automatic fix: the right change depends on your network design.'
    : `${d.fix ?? 'A quick fix is offered.'}\n\nFix safety: **${rule.fixSafety}**${rule.fixSafety === 'safe' ? ' (applied by `lambda-vpc-lint check --fix` and "Fix all")' : ' (offered as a quick fix in the editor; `--fix` does not apply it)'}.`;
  return `# ${rule.id}

Default severity: **${rule.severity}** · Category: ${CATEGORY_TITLES[rule.category]}

## What it does

${d.summary}

## Why is this bad?

${d.rationale}

## Example

\`\`\`yaml
${d.invalid.trimEnd()}
\`\`\`

## Use instead

\`\`\`yaml
${d.valid.trimEnd()}
\`\`\`

## Fix

${fix}

## Suppress

On the resource the finding is reported on:

\`\`\`yaml
    Metadata:
      lambda-vpc-lint:
        ignore: [${rule.id}]
\`\`\`

For the whole template, the same \`Metadata\` at the top level. In any YAML file (including \`serverless.yml\`),
\`# lambda-vpc-lint-disable-next-line ${rule.id}\` on the line before, or \`# lambda-vpc-lint-disable ${rule.id}\` for
the file. To change its severity: \`--rule ${rule.id}=off|info|warning|error\` on the command line, or the
\`lambdaVpcLint.rules\` setting in the editor.
`;
}

export function rulesTable(): string {
  const rows = allRules.map((r) => `| [\`${r.id}\`](rules/${r.id}.md) | ${r.severity} | ${r.fixSafety === 'none' ? '' : r.fixSafety} | ${r.docs.summary.replace(/\|/g, '\\|')} |`);
  return `# Rules

Generated from the rules' metadata by \`npm run docs\`; do not edit by hand.

| rule | default severity | fix | what it finds |
|---|---|---|---|
${rows.join('\n')}
`;
}

export function renderAll(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('docs/rules.md', rulesTable());
  for (const rule of allRules) files.set(`docs/rules/${rule.id}.md`, ruleDoc(rule));
  return files;
}

if (require.main === module) {
  mkdirSync('docs/rules', { recursive: true });
  for (const [path, text] of renderAll()) writeFileSync(path, text);
  console.log(`wrote ${allRules.length} rule docs and docs/rules.md`);
}
