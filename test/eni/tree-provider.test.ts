/**
 * The VS Code adapter of the ENI explorer, run against a fake `vscode` module and, through the real SDK,
 * the loopback EC2 server: the SDK is loaded only when the view first asks for data, an untrusted workspace
 * makes no AWS call, a failing region becomes an error node that can be retried alone, and setup problems
 * (no region, bad endpoint, SDK not loadable) become one explaining node.
 */
import './install-fake-vscode';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EniTreeProvider } from '../../client/src/eni/eni-tree-provider';
import type { ExplorerConfig, ProviderDeps } from '../../client/src/eni/eni-tree-provider';
import type { AwsModule } from '../../client/src/eni/aws-loader';
import { COMMANDS, VIEW_ID, walk } from '../../client/src/eni/tree-model';
import type { TreeNode } from '../../client/src/eni/tree-model';
import { listLambdaEnis } from '../../server/src/aws/fetch-enis';
import { validateEndpoint } from '../../server/src/aws/ec2-client';
import { startEc2Server } from '../support/ec2-server';
import type { Ec2TestServer } from '../support/ec2-server';
import { FAKE_CREDENTIALS, sampleAccount } from './sample-account';
import { ThemeIcon, progressCalls } from './fake-vscode';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let server: Ec2TestServer;

before(async () => {
  server = await startEc2Server({ data: sampleAccount(), accessKeyId: 'AKIDTEST' });
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  server.data = sampleAccount();
  server.clearFaults();
  server.requests.length = 0;
  progressCalls.length = 0;
});

interface Harness {
  provider: EniTreeProvider;
  loads: () => number;
  trusted: { value: boolean };
  logs: string[];
}

function harness(config: Partial<ExplorerConfig> = {}, aws: Partial<AwsModule> = {}, trusted = true): Harness {
  let loads = 0;
  const trust = { value: trusted };
  const module: AwsModule = {
    // The real listing against the loopback server; only credentials and retries are pinned for the test.
    listLambdaEnis: (options) => listLambdaEnis({ ...options, credentials: FAKE_CREDENTIALS, maxAttempts: 1, requestTimeoutMs: 2_000 }),
    resolveDefaultRegion: async () => 'us-east-1',
    validateEndpoint,
    ...aws,
  };
  const logs: string[] = [];
  const deps: ProviderDeps = {
    log: (level, message) => logs.push(`${level}: ${message}`),
    isTrusted: () => trust.value,
    config: () => ({ profile: undefined, regions: ['us-east-1'], endpoint: server.url, ...config }),
    filter: () => ({}),
    loadAws: () => {
      loads++;
      return module;
    },
  };
  return { provider: new EniTreeProvider(deps), loads: () => loads, trusted: trust, logs };
}

/** Waits for the tree to settle into a state the predicate accepts. */
async function settle(provider: EniTreeProvider, accept: (roots: TreeNode[]) => boolean): Promise<TreeNode[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const roots = provider.getChildren();
    if (accept(roots)) return roots;
    if (Date.now() > deadline) assert.fail(`tree did not settle: ${JSON.stringify(roots.map((r) => [r.kind, r.label]))}`);
    await new Promise<void>((resolve) => {
      const sub = provider.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
      setTimeout(resolve, 50);
    });
  }
}

const noneLoading = (roots: TreeNode[]) => roots.length > 0 && roots.every((r) => r.kind !== 'loading');

describe('EniTreeProvider', () => {
  it('loads the SDK only when the view first asks for its children', async () => {
    const h = harness();
    assert.equal(h.loads(), 0);
    const first = h.provider.getChildren();
    assert.equal(h.loads(), 1);
    assert.ok(first.every((n) => n.kind === 'loading'), 'a spinner first');
    const roots = await settle(h.provider, noneLoading);
    assert.deepEqual(roots.map((r) => [r.kind, r.label]), [['region', 'us-east-1']]);
    assert.deepEqual(
      walk(roots).filter((n) => n.kind === 'interface').map((n) => n.label).sort(),
      ['eni-0001', 'eni-0002', 'eni-0003', 'eni-0004'],
    );
    assert.ok(progressCalls.some((o) => JSON.stringify(o).includes(VIEW_ID)), 'progress shown on the view');
    h.provider.dispose();
  });

  it('makes no AWS call in an untrusted workspace, and lists once trusted', async () => {
    const h = harness({}, {}, false);
    const roots = h.provider.getChildren();
    assert.deepEqual(roots, []);
    assert.equal(h.provider.welcome(), 'untrusted');
    h.provider.refresh();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.loads(), 0);
    assert.equal(server.requests.length, 0);

    h.trusted.value = true;
    h.provider.refresh();
    const loaded = await settle(h.provider, noneLoading);
    assert.deepEqual(loaded.map((r) => r.kind), ['region']);
    assert.equal(h.provider.welcome(), undefined);
    assert.ok(server.requests.length > 0);
    h.provider.dispose();
  });

  it('shows a failing region as an error node and retries that region alone', async () => {
    server.fail({ type: 'error', code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' }, { region: 'eu-west-1' });
    const h = harness({ regions: ['us-east-1', 'eu-west-1'] });
    h.provider.getChildren();
    const roots = await settle(h.provider, noneLoading);
    assert.deepEqual(roots.map((r) => [r.kind, r.label]), [
      ['region', 'us-east-1'],
      ['error', 'eu-west-1'],
    ]);
    const item = h.provider.getTreeItem(roots[1]!);
    assert.deepEqual(item.command, { command: COMMANDS.retryRegion, title: 'Retry', arguments: ['eu-west-1'] });
    assert.equal(item.description, 'credentials not accepted (AuthFailure)');
    // The full message is in the output channel, once per failure.
    assert.deepEqual(h.logs.filter((l) => l.startsWith('error: ')).length, 1);
    assert.match(h.logs.find((l) => l.startsWith('error: '))!, /eu-west-1: AuthFailure \(DescribeNetworkInterfaces\).*\nAWS was not able to validate the provided access credentials/s);
    assert.equal(h.provider.welcome(), undefined, 'one region answered: error rows, no welcome');

    server.clearFaults();
    server.requests.length = 0;
    h.provider.retryRegion('eu-west-1');
    const retried = await settle(h.provider, (r) => noneLoading(r) && r[1]?.kind === 'region');
    assert.deepEqual(retried.map((r) => [r.kind, r.label]), [
      ['region', 'us-east-1'],
      ['region', 'eu-west-1'],
    ]);
    assert.deepEqual([...new Set(server.requests.map((q) => q.region))], ['eu-west-1'], 'only the retried region was read');
    h.provider.dispose();
  });

  it('maps nodes onto TreeItems (orphan icon, context value, description)', async () => {
    const h = harness();
    h.provider.getChildren();
    const roots = await settle(h.provider, noneLoading);
    const orphan = walk(roots).find((n) => n.label === 'eni-0003')!;
    const item = h.provider.getTreeItem(orphan);
    assert.equal(item.id, orphan.id);
    assert.equal(item.description, 'orphan · 10.0.1.77');
    assert.equal(item.contextValue, 'eniInterfaceOrphan');
    assert.ok(item.iconPath instanceof ThemeIcon);
    assert.equal((item.iconPath as ThemeIcon).id, 'warning');
    assert.equal(item.collapsibleState, 1);
    assert.deepEqual(h.provider.functionNames(), ['orders-api', 'report-gen-v2', 'staging-worker']);
    h.provider.dispose();
  });

  it('without any region configured, offers to select regions', async () => {
    const h = harness({ regions: [] }, { resolveDefaultRegion: async () => undefined });
    h.provider.getChildren();
    await settle(h.provider, () => h.provider.welcome() !== undefined);
    assert.deepEqual(h.provider.getChildren(), []);
    assert.equal(h.provider.welcome(), 'noRegion');
    assert.equal(server.requests.length, 0);
    h.provider.dispose();
  });

  it('with credentials refused in every region, shows the welcome state and logs the full message', async () => {
    server.fail({ type: 'error', code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' });
    const h = harness({ regions: ['us-east-1', 'eu-west-1'] });
    h.provider.getChildren();
    await settle(h.provider, () => h.provider.welcome() !== undefined);
    assert.deepEqual(h.provider.getChildren(), []);
    assert.equal(h.provider.welcome(), 'noCredentials');
    assert.equal(h.logs.filter((l) => l.startsWith('error: ')).length, 2);
    assert.ok(h.logs.every((l) => !l.includes(FAKE_CREDENTIALS.secretAccessKey)));
    h.provider.dispose();
  });

  it('uses the SDK region when none is configured', async () => {
    const h = harness({ regions: [] }, { resolveDefaultRegion: async () => 'eu-west-1' });
    h.provider.getChildren();
    const roots = await settle(h.provider, noneLoading);
    assert.deepEqual(roots.map((r) => [r.kind, r.label]), [['region', 'eu-west-1']]);
    h.provider.dispose();
  });

  it('reports a bad endpoint setting and an SDK that cannot be loaded as one node', async () => {
    const bad = harness({ endpoint: 'file:///etc/passwd' });
    bad.provider.getChildren();
    const roots = await settle(bad.provider, noneLoading);
    assert.match(roots[0]!.label, /lambdaVpcLint\.aws\.endpoint: .*not an http\(s\) URL/);
    assert.equal(server.requests.length, 0);
    bad.provider.dispose();

    const broken = new EniTreeProvider({
      isTrusted: () => true,
      config: () => ({ profile: undefined, regions: ['us-east-1'], endpoint: server.url }),
      filter: () => ({}),
      loadAws: () => {
        throw new Error("Cannot find module './client-aws'");
      },
    });
    broken.getChildren();
    const brokenRoots = await settle(broken, noneLoading);
    assert.equal(brokenRoots[0]!.label, 'The AWS SDK could not be loaded');
    assert.match(brokenRoots[0]!.tooltip!, /client-aws/);
    broken.dispose();
  });

  it('a refresh supersedes a slower answer still in flight', async () => {
    server.fail({ type: 'slow', delayMs: 400 }, { times: 2 });
    let regions = ['us-east-1'];
    const provider = new EniTreeProvider({
      isTrusted: () => true,
      config: () => ({ profile: undefined, regions, endpoint: server.url }),
      filter: () => ({}),
      loadAws: () => ({
        listLambdaEnis: (o) => listLambdaEnis({ ...o, credentials: FAKE_CREDENTIALS, maxAttempts: 1 }),
        resolveDefaultRegion: async () => undefined,
        validateEndpoint,
      }),
    });
    provider.getChildren();
    regions = ['eu-west-1'];
    provider.refresh();
    const roots = await settle(provider, noneLoading);
    assert.deepEqual(roots.map((r) => r.label), ['eu-west-1']);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(provider.getChildren().map((r) => r.label), ['eu-west-1'], 'the slow us-east-1 answer was dropped');
    provider.dispose();
  });
});
