/**
 * `lambda-vpc-lint explain` as a real process on a small SAM network (test/fixtures/cli/explain): two
 * private subnets in two AZs sharing a route table whose default route goes to a NAT gateway, a security
 * group in the VPC, and the role SAM generates. Text and `--format json` must state those facts.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildCli, cli, cliJson, REL } from './support';

const SAM = `${REL}/explain/sam-nat.yaml`;

interface Explained {
  version: number;
  files: {
    file: string;
    dialect: string;
    problems: string[];
    functions: {
      id: string;
      span: { start: number; end: number };
      variants: {
        conditions: string[];
        attached: boolean;
        vpc?: string;
        subnetList: string;
        subnets: { ref: string; state: string; az?: string; cidr?: string; vpc?: string; routeTable?: string; defaultRoute: string; egress: string }[];
        securityGroups: { ref: string; state: string; vpc?: string; egress: string }[];
        endpoints: unknown[];
      }[];
      role: { id?: string; generated: boolean; state: string; eniActions: string[] };
      needs: { services: unknown[]; internet: unknown[]; databases: unknown[] };
      unknowns: string[];
    }[];
  }[];
}

before(() => buildCli());

describe('explain', () => {
  it('prints the resolved network path of each function as text', () => {
    const run = cli(['explain', SAM]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], `${SAM} (sam): 1 function`);
    assert.equal(lines[1], '  Function Api');
    assert.equal(lines[2], '    VPC Vpc; subnets: 2 items');
    assert.equal(lines[3], '      subnet PrivateSubnetA in us-east-1a, 10.0.1.0/24; route table PrivateRouteTable; default route 0.0.0.0/0 -> nat-gateway Nat; egress: nat');
    assert.equal(lines[4], '      subnet PrivateSubnetB in us-east-1b, 10.0.2.0/24; route table PrivateRouteTable; default route 0.0.0.0/0 -> nat-gateway Nat; egress: nat');
    assert.equal(lines[5], '      security group LambdaSg.GroupId: egress all allowed (no SecurityGroupEgress)');
    assert.match(lines[6]!, /^ {4}role ApiRole \(generated, with the VPC access policy\); ENI actions: ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, /);
    assert.equal(lines[7], '    needs: nothing found');
    assert.doesNotMatch(run.stdout, /unknown/);
  });

  it('resolves AWS::Region from --region', () => {
    const run = cli(['explain', '--region', 'eu-west-1', SAM]);
    assert.match(run.stdout, /subnet PrivateSubnetA in eu-west-1a,/);
    assert.match(run.stdout, /subnet PrivateSubnetB in eu-west-1b,/);
  });

  it('gives the same facts as JSON', () => {
    const { code, json } = cliJson<Explained>(['explain', '--format', 'json', SAM]);
    assert.equal(code, 0);
    assert.equal(json.version, 1);
    assert.equal(json.files.length, 1);
    const file = json.files[0]!;
    assert.deepEqual([file.file, file.dialect, file.problems], [SAM, 'sam', []]);
    assert.equal(file.functions.length, 1);
    const fn = file.functions[0]!;
    assert.equal(fn.id, 'Api');
    assert.equal(fn.variants.length, 1);
    const v = fn.variants[0]!;
    assert.equal(v.attached, true);
    assert.equal(v.vpc, 'Vpc');
    assert.deepEqual(v.conditions, []);
    assert.deepEqual(
      v.subnets.map((s) => [s.ref, s.state, s.az, s.cidr, s.vpc, s.routeTable, s.defaultRoute, s.egress]),
      [
        ['PrivateSubnetA', 'known', 'us-east-1a', '10.0.1.0/24', 'Vpc', 'PrivateRouteTable', '0.0.0.0/0 -> nat-gateway Nat', 'nat'],
        ['PrivateSubnetB', 'known', 'us-east-1b', '10.0.2.0/24', 'Vpc', 'PrivateRouteTable', '0.0.0.0/0 -> nat-gateway Nat', 'nat'],
      ],
    );
    assert.deepEqual(v.securityGroups.map((g) => [g.ref, g.state, g.vpc]), [['LambdaSg.GroupId', 'known', 'Vpc']]);
    assert.deepEqual(v.endpoints, []);
    assert.equal(fn.role.id, 'ApiRole');
    assert.equal(fn.role.generated, true);
    assert.equal(fn.role.state, 'known');
    for (const action of ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface']) assert.ok(fn.role.eniActions.includes(action), action);
    assert.deepEqual(fn.needs, { services: [], internet: [], databases: [] });
    assert.deepEqual(fn.unknowns, []);
  });

  it('says what it cannot know: hard-coded subnet ids are not in the template', () => {
    const { json } = cliJson<Explained>(['explain', '--format', 'json', `${REL}/templates/clean.json`]);
    const fn = json.files[0]!.functions[0]!;
    assert.equal(json.files[0]!.dialect, 'cloudformation');
    assert.deepEqual(fn.variants[0]!.subnets.map((s) => [s.ref, s.state]), [['subnet-0a1b2c3d4e5f60001', 'unknown'], ['subnet-0a1b2c3d4e5f60002', 'unknown']]);
    assert.equal(fn.role.generated, false);
    assert.ok(fn.unknowns.some((u) => u.includes('subnet-0a1b2c3d4e5f60001') && u.includes('hard-coded')), fn.unknowns.join('\n'));
  });

  it('ends each VPC function with its coverage, and follows imports into the templates --workspace names', () => {
    const exact = 'test/fixtures/multi-template/exact';
    const alone = cli(['explain', `${exact}/app/template.yaml`]);
    assert.equal(alone.code, 0);
    assert.match(alone.stdout, /Function 'Api': VPC network not checked \(2 missing facts, see network-unknown\)\.\n {6}subnets: `Fn::ImportValue` `network-PrivateSubnets` is exported by no template in the workspace/);
    const joined = cli(['explain', `${exact}/app/template.yaml`, '--workspace', `${exact}/network`]);
    assert.equal(joined.code, 0);
    assert.match(joined.stdout, /subnet \S*network\/vpc\.yaml#SubnetA in us-east-1a, 10\.0\.1\.0\/24; route table \S*network\/vpc\.yaml#TableA/);
    assert.match(joined.stdout, /Function 'Api': VPC network checked/);
    const bad = cli(['explain', `${exact}/app/template.yaml`, '--workspace', `${exact}/nowhere`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--workspace '.*nowhere': not a directory/);
  });

  it('skips non-templates found through a directory, and exits 2 on usage errors and missing files', () => {
    const dir = cliJson<Explained>(['explain', '--format', 'json', `${REL}/templates`]);
    assert.equal(dir.code, 0);
    assert.ok(dir.json.files.every((f) => !f.file.endsWith('notes.yaml') && !f.file.endsWith('package.json')));
    const none = cli(['explain']);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'lambda-vpc-lint explain: no files given\nsee lambda-vpc-lint explain --help\n');
    const sarif = cli(['explain', '--format', 'sarif', SAM]);
    assert.equal(sarif.code, 2);
    assert.equal(sarif.stderr, 'lambda-vpc-lint explain: --format must be one of text, json\nsee lambda-vpc-lint explain --help\n');
    const missing = cli(['explain', `${REL}/explain/missing.yaml`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read/);
  });
});
