/**
 * The ENI explorer against the loopback EC2 test server the launcher started: its URL is in the test profile's
 * user settings (`lambdaVpcLint.aws.endpoint`, machine-scoped, read from user settings only) and the fake
 * credentials in the environment. The tree is read through the extension's exported API (`eniExplorerTree()`,
 * the same nodes the view renders).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXPECTED } from '../../e2e/ec2-fixture';
import { activateExtension, waitFor } from './util';

/** The fields of the explorer's tree nodes (client/src/eni/tree-model.ts) this test reads. */
interface Node {
  id: string;
  kind: string;
  label: string;
  description?: string;
  contextValue: string;
  children: Node[];
}

interface Api {
  eniExplorerTree(): Node[];
}

const walk = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
const show = (nodes: Node[], depth = 0): string =>
  nodes.map((n) => `${'  '.repeat(depth)}${n.kind} ${n.label}${n.description ? ` — ${n.description}` : ''}\n${show(n.children, depth + 1)}`).join('');

describe('ENI explorer', () => {
  it('lists the loopback account: region, VPC, subnets, functions, interfaces, the orphan', async function () {
    const endpoint = vscode.workspace.getConfiguration('lambdaVpcLint').inspect<string>('aws.endpoint')?.globalValue;
    if (!endpoint) this.skip(); // run without the launcher: no test server
    assert.match(endpoint!, /^http:\/\/127\.0\.0\.1:\d+/, 'the endpoint must be the loopback test server');

    const { api } = await activateExtension<Api | undefined>();
    assert.equal(typeof api?.eniExplorerTree, 'function', 'activate() must return { eniExplorerTree() } (the test hook)');
    await vscode.commands.executeCommand('workbench.view.extension.lambdaVpcLint');

    const tree = await waitFor(
      () => {
        const roots = api!.eniExplorerTree();
        return roots.some((n) => n.kind === 'region' || n.kind === 'error') ? roots : undefined;
      },
      60_000,
      () => `the explorer never listed a region; it shows:\n${show(api!.eniExplorerTree())}`,
    );
    const nodes = walk(tree);
    const dump = show(tree);
    assert.ok(!nodes.some((n) => n.kind === 'error'), `the listing failed:\n${dump}`);
    const labels = (kind: string) => nodes.filter((n) => n.kind === kind).map((n) => n.label);
    assert.deepEqual(labels('region'), [EXPECTED.region], dump);
    assert.deepEqual(labels('vpc'), [EXPECTED.vpc], dump);
    assert.deepEqual(labels('subnet').sort(), [...EXPECTED.subnets].sort(), dump);
    assert.deepEqual([...new Set(labels('function'))].sort(), [...EXPECTED.functions].sort(), dump);
    assert.deepEqual(labels('interface').sort(), [...EXPECTED.interfaces].sort(), dump);
    const orphan = nodes.find((n) => n.label === EXPECTED.orphan)!;
    assert.equal(orphan.contextValue, 'eniInterfaceOrphan', dump);
  });

  it('lists again on the refresh command', async function () {
    const endpoint = vscode.workspace.getConfiguration('lambdaVpcLint').inspect<string>('aws.endpoint')?.globalValue;
    if (!endpoint) this.skip();
    const { api } = await activateExtension<Api>();
    await vscode.commands.executeCommand('lambdaVpcLint.eni.refresh');
    const tree = await waitFor(
      () => {
        const roots = api.eniExplorerTree();
        return roots.some((n) => n.kind === 'region') ? roots : undefined;
      },
      60_000,
      () => `no region after refresh:\n${show(api.eniExplorerTree())}`,
    );
    assert.deepEqual(
      walk(tree).filter((n) => n.kind === 'interface').map((n) => n.label).sort(),
      [...EXPECTED.interfaces].sort(),
    );
  });
});
