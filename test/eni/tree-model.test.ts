/**
 * The ENI explorer's tree as data: the nodes for each state (untrusted, loading, problem, loaded, failed
 * region), their labels and descriptions, orphan marking, context values that drive the menus, the retry
 * command on error nodes, and the links and ids the commands use.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, CONTEXT, buildTree, redactSecrets, viewDescription, walk, welcomeState } from '../../client/src/eni/tree-model';
import type { ExplorerSnapshot, RegionState, TreeNode } from '../../client/src/eni/tree-model';
import { consoleUrl } from '../../client/src/eni/console-url';
import { isRegionName } from '../../client/src/eni/aws-regions';
import type { AwsFailure, LambdaEni, RegionResult } from '../../server/src/aws/types';

function eni(over: Partial<LambdaEni> & { id: string }): LambdaEni {
  return {
    functionName: 'orders-api',
    status: 'in-use',
    orphan: false,
    vpcId: 'vpc-0a1',
    subnetId: 'subnet-0a1a',
    availabilityZone: 'us-east-1a',
    privateIp: '10.0.1.23',
    ipv6: [],
    securityGroups: [{ id: 'sg-0aaa', name: 'orders-lambda' }],
    interfaceType: 'lambda',
    description: 'AWS Lambda VPC ENI-orders-api-11111111-2222-3333-4444-555555555555',
    ownerId: '111122223333',
    region: 'us-east-1',
    ...over,
  };
}

const loaded: RegionResult = {
  region: 'us-east-1',
  ok: true,
  enis: [
    eni({ id: 'eni-0001', ipv6: ['2600:1f18::17'], securityGroups: [{ id: 'sg-0aaa', name: 'orders-lambda' }, { id: 'sg-0bbb', name: undefined }] }),
    eni({ id: 'eni-0003', functionName: 'report-gen-v2', status: 'available', orphan: true, privateIp: '10.0.1.77' }),
    eni({ id: 'eni-0009', functionName: undefined, description: 'Lambda hyperplane', privateIp: '10.0.1.90' }),
  ],
  subnets: [{ id: 'subnet-0a1a', vpcId: 'vpc-0a1', availabilityZone: 'us-east-1a', cidr: '10.0.1.0/24', availableIps: 248, name: 'private-a' }],
  vpcs: [{ id: 'vpc-0a1', cidr: '10.0.0.0/16', name: 'prod', isDefault: false }],
};

const authFailure: AwsFailure = {
  kind: 'credentials',
  code: 'AuthFailure',
  message: 'AWS was not able to validate the provided access credentials',
  operation: 'DescribeNetworkInterfaces',
  httpStatus: 401,
  requestId: undefined,
};

function snapshot(over: Partial<ExplorerSnapshot> = {}): ExplorerSnapshot {
  return { trusted: true, regions: [{ region: 'us-east-1', status: 'done', result: loaded }], profile: undefined, filter: {}, ...over };
}

function find(nodes: TreeNode[], id: string): TreeNode {
  const node = walk(nodes).find((n) => n.id.endsWith(id) || n.label === id);
  assert.ok(node, `no node ${id}`);
  return node;
}

describe('tree model: states', () => {
  it('untrusted workspace: no node, the welcome content explains (and opens the trust editor)', () => {
    const untrusted = snapshot({ trusted: false });
    assert.deepEqual(buildTree(untrusted), []);
    assert.equal(welcomeState(untrusted), 'untrusted');
    assert.equal(welcomeState(snapshot()), undefined);
  });

  it('before the first answer: a spinner node', () => {
    const nodes = buildTree(snapshot({ regions: [] }));
    assert.deepEqual(
      nodes.map((n) => [n.kind, n.icon.id, n.collapsible]),
      [['loading', 'loading~spin', 'none']],
    );
  });

  it('a region still loading spins while the others show their data', () => {
    const nodes = buildTree(
      snapshot({ regions: [{ region: 'us-east-1', status: 'done', result: loaded }, { region: 'eu-west-1', status: 'loading' }] }),
    );
    assert.deepEqual(
      nodes.map((n) => [n.kind, n.label, n.icon.id, n.description]),
      [
        ['region', 'us-east-1', 'globe', 'account 111122223333 · 3 ENIs · 1 orphan'],
        ['loading', 'eu-west-1', 'loading~spin', 'loading…'],
      ],
    );
  });

  it('no region configured: no node, the welcome content offers the pickers; another problem is one node with its command', () => {
    const noRegion = snapshot({ regions: [], problem: { kind: 'noRegion', message: 'No region selected' } });
    assert.deepEqual(buildTree(noRegion), []);
    assert.equal(welcomeState(noRegion), 'noRegion');
    const nodes = buildTree(snapshot({ problem: { message: 'lambdaVpcLint.aws.endpoint: not a URL', command: { command: 'workbench.action.openSettings', title: 'Open Settings' } } }));
    assert.deepEqual(nodes.map((n) => [n.label, n.command?.command]), [['lambdaVpcLint.aws.endpoint: not a URL', 'workbench.action.openSettings']]);
  });

  it('credentials refused in every region: the welcome state', () => {
    const failed = (region: string): RegionState => ({ region, status: 'done', result: { region, ok: false, error: { ...authFailure } } });
    const all = snapshot({ regions: [failed('us-east-1'), failed('eu-west-1')] });
    assert.deepEqual(buildTree(all), []);
    assert.equal(welcomeState(all), 'noCredentials');
    // One region answering: error rows, no welcome.
    const some = snapshot({ regions: [{ region: 'us-east-1', status: 'done', result: loaded }, failed('eu-west-1')] });
    assert.equal(welcomeState(some), undefined);
    assert.deepEqual(buildTree(some).map((n) => n.kind), ['region', 'error']);
  });

  it('one error node per failing region, with a retry command for that region', () => {
    const failed = (region: string): RegionResult => ({ region, ok: false, error: { ...authFailure } });
    const nodes = buildTree(
      snapshot({
        regions: [
          { region: 'us-east-1', status: 'done', result: loaded },
          { region: 'eu-west-1', status: 'done', result: failed('eu-west-1') },
          { region: 'ap-south-1', status: 'done', result: { region: 'ap-south-1', ok: false, error: { ...authFailure, kind: 'access', code: 'UnauthorizedOperation', message: 'You are not authorized' } } },
        ],
      }),
    );
    assert.deepEqual(nodes.map((n) => n.kind), ['region', 'error', 'error']);
    const error = nodes[1]!;
    assert.equal(error.label, 'eu-west-1');
    assert.equal(error.description, 'credentials not accepted (AuthFailure)');
    assert.equal(error.icon.id, 'error');
    assert.equal(error.contextValue, CONTEXT.error);
    assert.deepEqual(error.command, { command: COMMANDS.retryRegion, title: 'Retry', arguments: ['eu-west-1'] });
    assert.match(error.tooltip!, /DescribeNetworkInterfaces/);
    // The full message is in the tooltip; no profile was chosen, so none is spoken of as selected.
    assert.match(error.tooltip!, /AWS was not able to validate the provided access credentials/);
    assert.match(error.tooltip!, /No profile is selected, so the default credential chain was used/);
    assert.doesNotMatch(error.tooltip!, /selected profile/);
    assert.doesNotMatch(error.tooltip!, /`/);
    const withProfile = buildTree(snapshot({ profile: 'dev', regions: [{ region: 'eu-west-1', status: 'done', result: failed('eu-west-1') }, { region: 'us-east-1', status: 'done', result: loaded }] }))[0]!;
    assert.match(withProfile.tooltip!, /credentials of the profile 'dev' \(for SSO, run aws sso login --profile dev\)/);
    assert.match(nodes[2]!.tooltip!, /ec2:DescribeNetworkInterfaces/);
    assert.deepEqual(nodes[2]!.command?.arguments, ['ap-south-1']);
  });

  it('never shows an access key or a secret from an error message', () => {
    const leaky = { ...authFailure, message: 'bad key AKIAABCDEFGHIJKLMNOP with aws_secret_access_key = abc/def+ghi' };
    const node = buildTree(snapshot({ regions: [{ region: 'us-east-1', status: 'done', result: loaded }, { region: 'eu-west-1', status: 'done', result: { region: 'eu-west-1', ok: false, error: leaky } }] }))[1]!;
    assert.doesNotMatch(node.tooltip!, /AKIAABCDEFGHIJKLMNOP|abc\/def/);
    assert.match(node.tooltip!, /\[redacted key id\] with aws_secret_access_key = \[redacted\]/);
    assert.equal(redactSecrets('plain message'), 'plain message');
  });

  it('an empty region says so', () => {
    const nodes = buildTree(snapshot({ regions: [{ region: 'sa-east-1', status: 'done', result: { region: 'sa-east-1', ok: true, enis: [], subnets: [], vpcs: [] } }] }));
    assert.equal(nodes[0]!.description, '0 ENIs');
    assert.deepEqual(nodes[0]!.children.map((c) => c.label), ['No Lambda network interfaces']);
  });
});

describe('tree model: loaded data', () => {
  const nodes = buildTree(snapshot());

  it('nests region -> VPC -> subnet -> function -> interface', () => {
    const shape = (n: TreeNode): unknown => (n.kind === 'interface' ? n.label : [n.kind, n.label, n.children.map(shape)]);
    assert.deepEqual(nodes.map(shape), [
      [
        'region',
        'us-east-1',
        [
          [
            'vpc',
            'vpc-0a1',
            [
              [
                'subnet',
                'subnet-0a1a (private-a)',
                [
                  ['function', 'orders-api', ['eni-0001']],
                  ['function', 'report-gen-v2', ['eni-0003']],
                  ['function', '(unknown function)', ['eni-0009']],
                ],
              ],
            ],
          ],
        ],
      ],
    ]);
  });

  it('labels VPCs and subnets with name, AZ, CIDR and free IPs', () => {
    assert.equal(find(nodes, 'vpc-0a1').description, 'prod · 10.0.0.0/16');
    const subnet = find(nodes, 'subnet-0a1a (private-a)');
    assert.equal(subnet.description, 'us-east-1a · 10.0.1.0/24 · 248 free IPs');
    assert.match(subnet.tooltip!, /Free IPv4 addresses: 248/);
  });

  it('describes an interface by status and IPs, with its security groups as children', () => {
    const node = find(nodes, 'eni-0001');
    assert.equal(node.kind, 'interface');
    assert.equal(node.description, 'in-use · 10.0.1.23 · 2600:1f18::17');
    assert.equal(node.icon.id, 'plug');
    assert.equal(node.contextValue, CONTEXT.interface);
    assert.match(node.tooltip!, /Security groups: sg-0aaa \(orders-lambda\), sg-0bbb/);
    assert.deepEqual(
      node.children.map((c) => [c.label, c.description, c.copyText]),
      [
        ['in-use', 'status', 'in-use'],
        ['10.0.1.23', 'private IPv4', '10.0.1.23'],
        ['2600:1f18::17', 'IPv6', '2600:1f18::17'],
        ['sg-0aaa', 'security group orders-lambda', 'sg-0aaa'],
        ['sg-0bbb', 'security group', 'sg-0bbb'],
      ],
    );
  });

  it('marks an orphan with its own icon, description and context value', () => {
    const node = find(nodes, 'eni-0003');
    assert.equal(node.description, 'orphan · 10.0.1.77');
    assert.deepEqual(node.icon, { id: 'warning', color: 'list.warningForeground' });
    assert.equal(node.contextValue, CONTEXT.orphan);
    assert.match(node.tooltip!, /blocks deleting its subnet and security groups/);
    assert.equal(find(nodes, 'report-gen-v2').description, '1 interface · 1 orphan');
  });

  it('gives the commands what they need: ids to copy, console links, function names', () => {
    const fn = find(nodes, 'orders-api');
    assert.equal(fn.contextValue, CONTEXT.function);
    assert.equal(fn.functionName, 'orders-api');
    assert.equal(fn.consoleUrl, 'https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/orders-api');
    assert.equal(find(nodes, 'eni-0001').copyText, 'eni-0001');
    assert.equal(
      find(nodes, 'eni-0001').consoleUrl,
      'https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#NetworkInterface:networkInterfaceId=eni-0001',
    );
    assert.equal(find(nodes, 'vpc-0a1').copyText, 'vpc-0a1');
    assert.equal(find(nodes, 'subnet-0a1a (private-a)').copyText, 'subnet-0a1a');
    const unknown = find(nodes, '(unknown function)');
    assert.equal(unknown.contextValue, CONTEXT.unknownFunction);
    assert.equal(unknown.functionName, undefined);
  });

  it('gives every node a unique id', () => {
    const ids = walk(nodes).map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('applies the filter and says when nothing matches', () => {
    const orphans = buildTree(snapshot({ filter: { orphansOnly: true } }));
    assert.deepEqual(walk(orphans).filter((n) => n.kind === 'interface').map((n) => n.label), ['eni-0003']);
    const none = buildTree(snapshot({ filter: { functionName: 'nope' } }));
    assert.deepEqual(none[0]!.children.map((c) => c.label), ['No interface matches the filter']);
  });
});

describe('view description, console links, region names', () => {
  it('shows the profile and the active filter', () => {
    assert.equal(viewDescription({ profile: undefined, filter: {} }), undefined);
    assert.equal(
      viewDescription({ profile: 'audit', filter: { functionName: 'orders-api', orphansOnly: true } }),
      'profile audit · function orders-api · orphans only',
    );
  });

  it('uses the partition of the region and encodes ids', () => {
    assert.equal(consoleUrl('cn-north-1', { kind: 'subnet', id: 'subnet-1' }), 'https://cn-north-1.console.amazonaws.cn/vpcconsole/home?region=cn-north-1#SubnetDetails:subnetId=subnet-1');
    assert.match(consoleUrl('us-gov-west-1', { kind: 'region' }), /^https:\/\/us-gov-west-1\.console\.amazonaws-us-gov\.com\//);
    assert.match(consoleUrl('us-east-1', { kind: 'function', name: 'a b#c' }), /functions\/a%20b%23c$/);
  });

  it('accepts region names only', () => {
    assert.equal(isRegionName('eu-central-2'), true);
    assert.equal(isRegionName('us-gov-west-1'), true);
    assert.equal(isRegionName('evil.example.com'), false);
    assert.equal(isRegionName(''), false);
  });
});
