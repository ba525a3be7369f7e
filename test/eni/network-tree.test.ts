/**
 * The template network view's tree provider against the fake `vscode` module: the server's answer as
 * nodes with state icons, a click that reveals the definition, the active editor followed, and an answer
 * for an editor that is no longer active dropped.
 */
import './install-fake-vscode';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NETWORK_COMMANDS, NetworkTreeProvider } from '../../client/src/network/network-tree-provider';
import type { NetworkTreeNode } from '../../client/src/network/network-tree-provider';
import type { NetworkViewItem, NetworkViewResult } from '../../server/src/lsp/protocol';
import type { ThemeIcon } from './fake-vscode';

const range = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 16 } });

function view(uri: string): NetworkViewResult {
  const finding: NetworkViewItem = { kind: 'finding', label: "Function 'Worker' calls sqs ... (PrivateSubnetB)", description: 'missing-endpoint', state: 'finding', severity: 'error', ruleId: 'missing-endpoint', range: range(104), children: [] };
  return {
    uri,
    version: 3,
    functions: [{
      kind: 'function', label: 'Worker', description: '2 subnets', state: 'finding', severity: 'error', range: range(92), children: [
        { kind: 'subnet', label: 'PrivateSubnetA', description: 'AZ #0 of the region', state: 'ok', range: range(46), children: [
          { kind: 'route-table', label: 'PrivateTableA', state: 'ok', range: range(58), children: [{ kind: 'route-target', label: 'NAT gateway Nat', state: 'ok', children: [] }] },
        ] },
        { kind: 'subnet', label: 'PrivateSubnetB', description: 'AZ #1 of the region', state: 'finding', severity: 'error', range: range(52), children: [finding] },
        { kind: 'security-group', label: 'sg-0a1b2c3d4e5f60001', description: 'unknown', tooltip: 'sg-0a1b2c3d4e5f60001 is not in the template: its rules are unknown.', state: 'unknown', children: [] },
      ],
    }],
  };
}

const icon = (item: { iconPath?: unknown }) => {
  const i = item.iconPath as ThemeIcon;
  return `${i.id}${i.color ? `:${i.color.id}` : ''}`;
};

describe('NetworkTreeProvider', () => {
  it("shows the active template's network with a state icon per node and reveals definitions on click", async () => {
    const provider = new NetworkTreeProvider({ activeUri: () => 'file:///w/template.yaml', request: async (uri) => view(uri) });
    let fired = 0;
    provider.onDidChangeTreeData(() => fired++);
    await provider.refresh();
    assert.equal(fired, 1);
    const [worker] = provider.getChildren();
    const [a, b, sg] = provider.getChildren(worker);
    const items = [worker!, a!, b!, sg!].map((n) => provider.getTreeItem(n));
    assert.deepEqual(items.map((i) => [i.label, icon(i)]), [
      ['Worker', 'error:list.errorForeground'],
      ['PrivateSubnetA', 'pass:testing.iconPassed'],
      ['PrivateSubnetB', 'error:list.errorForeground'],
      ['sg-0a1b2c3d4e5f60001', 'question:list.warningForeground'],
    ]);
    assert.equal(items[0]!.collapsibleState, 2, 'expanded');
    assert.deepEqual(items[2]!.command, { command: NETWORK_COMMANDS.reveal, title: 'Reveal in Template', arguments: ['file:///w/template.yaml', range(52)] });
    assert.equal(items[3]!.command, undefined, 'nothing to reveal for an id the template does not define');
    assert.match(String(items[3]!.tooltip), /State: unknown\nsg-0a1b2c3d4e5f60001 is not in the template/);
    assert.match(String(items[2]!.tooltip), /State: error finding here or below/);
    // A finding under the broken subnet, revealed where it is reported.
    const [finding] = provider.getChildren(b);
    const findingItem = provider.getTreeItem(finding!);
    assert.equal(findingItem.description, 'missing-endpoint');
    assert.deepEqual(findingItem.command?.arguments, ['file:///w/template.yaml', range(104)]);
    // Ids are stable across refreshes, so the tree keeps what was expanded.
    await provider.refresh();
    assert.deepEqual(provider.getChildren().map((n: NetworkTreeNode) => n.id), [worker!.id]);
    provider.dispose();
  });

  it('follows the active editor: empty without a template, and drops an answer overtaken by a newer request', async () => {
    let active: string | undefined = 'file:///w/slow.yaml';
    const pending: ((r: NetworkViewResult | null) => void)[] = [];
    const provider = new NetworkTreeProvider({
      activeUri: () => active,
      request: (uri) => (uri.endsWith('slow.yaml') ? new Promise((resolve) => pending.push(resolve)) : Promise.resolve(view(uri))),
    });
    const slow = provider.refresh();
    active = 'file:///w/fast.yaml';
    await provider.refresh();
    pending[0]!(view('file:///w/slow.yaml'));
    await slow;
    assert.equal(provider.getChildren()[0]!.uri, 'file:///w/fast.yaml');

    active = undefined;
    await provider.refresh();
    assert.deepEqual(provider.getChildren(), []);

    const failing = new NetworkTreeProvider({ activeUri: () => 'file:///w/t.yaml', request: () => Promise.reject(new Error('connection closed')) });
    await failing.refresh();
    assert.deepEqual(failing.getChildren(), []);
    assert.equal(failing.message(), 'The network view could not be built: connection closed');
    provider.dispose();
    failing.dispose();
  });
});
