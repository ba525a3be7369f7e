/**
 * The IAM policy in docs/live-facts.md lists exactly the actions the product sends: every
 * `new XxxCommand(` of an AWS SDK client in the server's source is in it, and it asks for nothing more.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(e.name) ? [path] : [];
  });
}

/** `ec2:DescribeSubnets` for each command sent, from the (value) imports of `@aws-sdk/client-*` in each file. */
function actionsSent(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of [...sourceFiles(join(ROOT, 'server', 'src')), ...sourceFiles(join(ROOT, 'client', 'src'))]) {
    const text = readFileSync(file, 'utf8');
    const serviceOf = new Map<string, string>();
    for (const m of text.matchAll(/^import \{([^}]*)\} from '@aws-sdk\/client-([a-z0-9-]+)';/gm)) {
      for (const name of m[1]!.split(',').map((n) => n.trim()).filter(Boolean)) serviceOf.set(name, m[2]!);
    }
    for (const m of text.matchAll(/new ([A-Z][A-Za-z0-9]*)Command\(/g)) {
      const service = serviceOf.get(`${m[1]}Command`);
      assert.ok(service, `${file}: ${m[1]}Command is not imported from an AWS SDK client`);
      const action = `${service}:${m[1]}`;
      out.set(action, [...(out.get(action) ?? []), file.slice(ROOT.length + 1)]);
    }
  }
  return out;
}

function policyActions(): string[] {
  const doc = readFileSync(join(ROOT, 'docs', 'live-facts.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## IAM policy'));
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(json, 'the IAM policy section has a JSON policy');
  const policy = JSON.parse(json) as { Statement: { Effect: string; Action: string | string[] }[] };
  return policy.Statement.flatMap((s) => {
    assert.equal(s.Effect, 'Allow');
    return Array.isArray(s.Action) ? s.Action : [s.Action];
  });
}

describe('the documented IAM policy', () => {
  it('lists exactly the actions the code sends', () => {
    const sent = actionsSent();
    assert.ok(sent.has('cloudformation:DescribeStacks') && sent.has('ec2:DescribeSubnets'), 'the scan finds the commands');
    assert.deepEqual([...policyActions()].sort(), [...sent.keys()].sort());
  });

  it('is read-only', () => {
    for (const action of policyActions()) assert.match(action, /^[a-z0-9]+:(Describe|List|Get)[A-Za-z]+$/, action);
  });
});
