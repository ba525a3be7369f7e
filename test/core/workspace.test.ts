/**
 * One model across templates: exports, stack names, wildcards, nested stacks, SAM applications and
 * `${cf:}` resolve between the templates handed to `analyze()`, with findings placed in the right file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../server/src/core/analyze';
import { analyze } from '../../server/src/core/analyze';
import type { Workspace, WorkspaceTemplate } from '../../server/src/core/model/workspace';
import { normalizePath, serverlessStackName } from '../../server/src/core/model/workspace';
import { parseTemplate } from '../../server/src/core/parse';

const FIXTURES = join(__dirname, '../fixtures/multi-template');

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

/** The fixture's templates, keyed by their path in it, with the stack names given. */
function workspaceOf(fixture: string, stackNames: Record<string, string> = {}): { workspace: Workspace; texts: Map<string, string> } {
  const dir = join(FIXTURES, fixture);
  const texts = new Map<string, string>();
  const templates: WorkspaceTemplate[] = [];
  for (const file of files(dir)) {
    const path = relative(dir, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    texts.set(path, text);
    const parsed = parseTemplate(text, path);
    if (!parsed.dialect) continue;
    const t: WorkspaceTemplate = { path, root: parsed.root, dialect: parsed.dialect };
    if (stackNames[path]) t.stackName = stackNames[path];
    templates.push(t);
  }
  return { workspace: { templates }, texts };
}

function check(fixture: string, path: string, stackNames: Record<string, string> = {}, options: AnalyzeOptions = {}) {
  const { workspace, texts } = workspaceOf(fixture, stackNames);
  const result = analyze(texts.get(path)!, { fileName: path, path, workspace, ...options });
  const subnets = (fn: string) => result.model!.functions.find((f) => f.id === fn)!.variants[0]!.vpc!.subnetIds;
  return { result, texts, subnets };
}

describe('workspace: Fn::ImportValue', () => {
  it('an exact export gives the exporter\'s subnets (through Join and Split); a finding on its ACL points into its file', () => {
    const { result, texts, subnets } = check('exact', 'app/template.yaml');
    assert.equal(subnets('Api').state, 'known');
    assert.deepEqual(subnets('Api').items.map((i) => i.id), ['network/vpc.yaml#SubnetA', 'network/vpc.yaml#SubnetB']);
    const nacl = result.findings.find((f) => f.ruleId === 'nacl-blocks-traffic');
    assert.ok(nacl, 'the ACL of the imported subnet is read');
    assert.equal(nacl.file, 'network/vpc.yaml');
    assert.equal(nacl.resource, 'PrivateAcl');
    assert.equal(texts.get('network/vpc.yaml')!.slice(nacl.span.start, nacl.span.end), 'PrivateAcl');
    assert.deepEqual(nacl.path, ['Resources', 'PrivateAcl']);
    assert.equal(nacl.fixes.length, 0);
    // The related information links the function's own file.
    const here = nacl.related.find((r) => r.file === undefined);
    assert.ok(here && here.span.end <= texts.get('app/template.yaml')!.length, 'related information in the function\'s file');
    assert.match(here.message, /Function Api/);
    assert.deepEqual(result.model!.workspaceFiles, ['network/vpc.yaml']);
    assert.equal(result.problems.length, 0);
  });

  it('a finding placed in the network template honours that template\'s suppressions', () => {
    const { workspace, texts } = workspaceOf('exact');
    const app = texts.get('app/template.yaml')!;
    const withNetwork = (text: string) => ({
      templates: workspace.templates.map((t) => (t.path === 'network/vpc.yaml' ? { ...t, root: parseTemplate(text, t.path).root, text } : t)),
    });
    const network = texts.get('network/vpc.yaml')!;
    const rules = (text: string) => analyze(app, { fileName: 'app/template.yaml', path: 'app/template.yaml', workspace: withNetwork(text) }).findings.map((f) => f.ruleId);
    assert.ok(rules(network).includes('nacl-blocks-traffic'));
    assert.ok(!rules(network.replace('  PrivateAcl:\n', '  # lambda-vpc-lint-disable-next-line nacl-blocks-traffic\n  PrivateAcl:\n')).includes('nacl-blocks-traffic'));
    assert.ok(!rules(network.replace('Resources:\n', 'Metadata:\n  lambda-vpc-lint:\n    ignore: [nacl-blocks-traffic]\nResources:\n')).includes('nacl-blocks-traffic'));
  });

  it('without the workspace the same function stays unknown', () => {
    const { texts } = workspaceOf('exact');
    const alone = analyze(texts.get('app/template.yaml')!, { fileName: 'app/template.yaml' });
    assert.equal(alone.model!.functions[0]!.variants[0]!.vpc!.subnetIds.state, 'unknown');
    assert.ok(!alone.findings.some((f) => f.ruleId === 'nacl-blocks-traffic'));
  });

  it('${AWS::StackName} in an export name matches through the known stack name, among exporters alike', () => {
    const { result, subnets } = check('stack-name', 'app/template.yaml', { 'network/template.yaml': 'net-prod', 'staging/template.yaml': 'net-staging' });
    assert.equal(subnets('Worker').state, 'known');
    assert.deepEqual(subnets('Worker').items.map((i) => i.id), ['network/template.yaml#SubnetA', 'network/template.yaml#SubnetB']);
    const stuck = result.findings.find((f) => f.ruleId === 'missing-endpoint');
    assert.ok(stuck);
    assert.equal(stuck.severity, 'error');
    assert.ok(stuck.related.some((r) => r.file === 'network/template.yaml'));
  });

  it('without stack names the same two exporters are ambiguous', () => {
    const { subnets } = check('stack-name', 'app/template.yaml');
    assert.equal(subnets('Worker').state, 'unknown');
    assert.match(subnets('Worker').reason!, /network\/template\.yaml and staging\/template\.yaml/);
  });

  it('a unique wildcard match is assumed, lowers the finding and names the template', () => {
    const { result, subnets } = check('wildcard', 'app/template.yaml');
    assert.equal(subnets('Worker').state, 'assumed');
    const stuck = result.findings.find((f) => f.ruleId === 'missing-endpoint');
    assert.ok(stuck);
    assert.equal(stuck.severity, 'warning');
    assert.match(stuck.message, /assuming the export of network\/vpc\.yaml, whose stack name is not known/);
  });

  it('two wildcard matches stay unknown, naming both; nothing is reported on their subnets', () => {
    const { result, subnets } = check('ambiguous', 'app/template.yaml');
    assert.equal(subnets('Worker').state, 'unknown');
    assert.match(subnets('Worker').reason!, /a\/vpc\.yaml and b\/vpc\.yaml/);
    assert.ok(!result.findings.some((f) => f.ruleId === 'missing-endpoint'));
  });

  it('an export no template has is unknown with a reason', () => {
    const { subnets } = check('missing', 'template.yaml');
    assert.equal(subnets('Worker').state, 'unknown');
    assert.equal(subnets('Worker').reason, "Fn::ImportValue 'network-PrivateSubnets' is exported by no template in the workspace");
  });

  it('imports that lead back to themselves end as unknowns', () => {
    const { subnets } = check('cycle', 'app.yaml');
    assert.equal(subnets('Worker').state, 'unknown');
    assert.match(subnets('Worker').reason!, /depends on itself/);
    assert.match(subnets('Other').reason!, /nested stacks form a cycle/);
  });

  it('thousands of exporters of one name stay cheap and unknown', () => {
    const exporter = (i: number) => `Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: vpc-1, CidrBlock: 10.0.${i % 250}.0/24 }\nOutputs:\n  O:\n    Value: !Ref S\n    Export: { Name: !Sub "\${AWS::StackName}-Subnet" }\n`;
    const templates: WorkspaceTemplate[] = [];
    for (let i = 0; i < 3000; i++) {
      const parsed = parseTemplate(exporter(i), `n${i}.yaml`);
      templates.push({ path: `n${i}.yaml`, root: parsed.root, dialect: parsed.dialect });
    }
    const app = 'Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::1:role/r\n      VpcConfig:\n        SubnetIds: [!ImportValue x-Subnet]\n        SecurityGroupIds: [sg-1]\n';
    const started = Date.now();
    const result = analyze(app, { fileName: 'app.yaml', workspace: { templates } });
    assert.ok(Date.now() - started < 5000, 'bounded');
    const ref = result.model!.functions[0]!.variants[0]!.vpc!.subnetIds.items[0]!;
    assert.equal(ref.state, 'unknown');
    assert.match(ref.reason!, /n0\.yaml, n1\.yaml and \d+ more/);
  });
});

describe('workspace: what other templates add to an imported network', () => {
  it('an endpoint another template adds to the imported VPC keeps "no endpoint" unsaid', () => {
    const { result } = check('elsewhere', 'app/template.yaml');
    assert.ok(!result.findings.some((f) => f.ruleId === 'missing-endpoint'));
    const { workspace, texts } = workspaceOf('elsewhere');
    const without = { templates: workspace.templates.filter((t) => !t.path.startsWith('endpoints/')) };
    const alone = analyze(texts.get('app/template.yaml')!, { fileName: 'app/template.yaml', workspace: without });
    assert.ok(alone.findings.some((f) => f.ruleId === 'missing-endpoint'), 'without the endpoints template the function is stuck');
  });

  it('a route another template adds to an imported route table makes its egress unknown', () => {
    const { texts } = workspaceOf('elsewhere');
    const network = texts.get('network/vpc.yaml')!
      .replace('Outputs:\n', '  TableA:\n    Type: AWS::EC2::RouteTable\n    Properties: { VpcId: !Ref Vpc }\n  AssocA:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: { SubnetId: !Ref SubnetA, RouteTableId: !Ref TableA }\n  AssocB:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: { SubnetId: !Ref SubnetB, RouteTableId: !Ref TableA }\nOutputs:\n  Table:\n    Value: !Ref TableA\n    Export: { Name: shared-Table }\n');
    const routes = "Resources:\n  Default:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !ImportValue shared-Table\n      DestinationCidrBlock: 0.0.0.0/0\n      TransitGatewayId: tgw-0123456789abcdef0\n";
    const parse = (path: string, text: string): WorkspaceTemplate => {
      const parsed = parseTemplate(text, path);
      return { path, root: parsed.root, dialect: parsed.dialect };
    };
    const base = [parse('network/vpc.yaml', network), parse('app/template.yaml', texts.get('app/template.yaml')!)];
    const stuck = analyze(texts.get('app/template.yaml')!, { fileName: 'app/template.yaml', workspace: { templates: base } });
    assert.ok(stuck.findings.some((f) => f.ruleId === 'missing-endpoint'));
    const routed = analyze(texts.get('app/template.yaml')!, { fileName: 'app/template.yaml', workspace: { templates: [...base, parse('routes.yaml', routes)] } });
    assert.ok(!routed.findings.some((f) => f.ruleId === 'missing-endpoint'));
  });
});

describe('workspace: nested stacks and ${cf:}', () => {
  it('a nested template gets its parameters from the parent, with the parent\'s subnets', () => {
    const { result, subnets } = check('nested', 'stacks/functions.yaml');
    assert.equal(subnets('Worker').state, 'known');
    assert.deepEqual(subnets('Worker').items.map((i) => i.id), ['parent.yaml#SubnetA', 'parent.yaml#SubnetB']);
    assert.ok(result.findings.some((f) => f.ruleId === 'missing-endpoint'));
  });

  it('a SAM application\'s outputs come back through GetAtt', () => {
    const { subnets } = check('sam-app', 'template.yaml');
    assert.deepEqual(subnets('Worker').items.map((i) => i.id), ['network/template.yaml#SubnetA', 'network/template.yaml#SubnetB']);
  });

  it('a TemplateURL that is not a template of the workspace is unknown, naming the path', () => {
    const { subnets } = check('outside/app', 'template.yaml');
    assert.equal(subnets('Worker').state, 'unknown');
    assert.match(subnets('Worker').reason!, /'\.\.\/private\/network\.yaml', which is not a template of the workspace/);
  });

  it('an S3 TemplateURL is unknown', () => {
    const parent = "Resources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://s3.amazonaws.com/bucket/net.yaml\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::1:role/r\n      VpcConfig:\n        SubnetIds: [!GetAtt Net.Outputs.Subnet]\n        SecurityGroupIds: [sg-1]\n";
    const parsed = parseTemplate(parent, 'p.yaml');
    const result = analyze(parent, { fileName: 'p.yaml', workspace: { templates: [{ path: 'p.yaml', root: parsed.root, dialect: parsed.dialect }] } });
    assert.match(result.model!.functions[0]!.variants[0]!.vpc!.subnetIds.items[0]!.reason!, /only local templates are read/);
  });

  it('a template that does not parse gives an unknown with its reason', () => {
    const app = 'Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::1:role/r\n      VpcConfig:\n        SubnetIds: [!GetAtt Net.Outputs.Subnet]\n        SecurityGroupIds: [sg-1]\n  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: broken.yaml }\n';
    const templates: WorkspaceTemplate[] = [{ path: 'broken.yaml', root: undefined, dialect: undefined, problem: 'it does not parse' }];
    const result = analyze(app, { fileName: 'app.yaml', workspace: { templates } });
    assert.match(result.model!.functions[0]!.variants[0]!.vpc!.subnetIds.items[0]!.reason!, /broken\.yaml could not be read \(it does not parse\)/);
  });

  it('${cf:stack.Output} reads the template deployed as that stack', () => {
    const { subnets } = check('cf', 'service/serverless.yml', { 'network/template.yaml': 'network-prod' });
    assert.equal(subnets('worker').state, 'known');
    assert.deepEqual(subnets('worker').items.map((i) => i.id), ['network/template.yaml#SubnetA', 'network/template.yaml#SubnetB']);
    const none = check('cf', 'service/serverless.yml').subnets('worker');
    assert.deepEqual(none.items.map((i) => i.reason), [
      "${cf:network-prod.SubnetA}: no template in the workspace has the stack name 'network-prod'",
      "${cf:network-prod.SubnetB}: no template in the workspace has the stack name 'network-prod'",
    ]);
  });

  it('a Serverless service deploys as <service>-<stage>, or provider.stackName', () => {
    const root = (text: string) => parseTemplate(text, 'serverless.yml').root!;
    assert.equal(serverlessStackName(root('service: api\nprovider:\n  name: aws\n'), undefined), 'api-dev');
    assert.equal(serverlessStackName(root('service: api\nprovider:\n  name: aws\n  stage: prod\n'), undefined), 'api-prod');
    assert.equal(serverlessStackName(root('service: api\nprovider:\n  name: aws\n'), 'qa'), 'api-qa');
    assert.equal(serverlessStackName(root('service: api\nprovider:\n  name: aws\n  stackName: custom\n'), 'qa'), 'custom');
  });

  it('normalises paths', () => {
    assert.equal(normalizePath('./a/../b/./c.yaml'), 'b/c.yaml');
    assert.equal(normalizePath('a\\b.yaml'), 'a/b.yaml');
    assert.equal(normalizePath('../x.yaml'), '../x.yaml');
  });
});

describe('Fn::Split of an Fn::Join in one template', () => {
  it('keeps the joined references', () => {
    const text = 'Resources:\n  A:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: vpc-1, CidrBlock: 10.0.0.0/24 }\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::1:role/r\n      VpcConfig:\n        SubnetIds: !Split [",", !Join [",", [!Ref A, subnet-0123456789abcdef0]]]\n        SecurityGroupIds: [sg-1]\n';
    const result = analyze(text, { fileName: 't.yaml' });
    const list = result.model!.functions[0]!.variants[0]!.vpc!.subnetIds;
    assert.equal(list.state, 'known');
    assert.deepEqual(list.items.map((i) => i.id ?? i.literal), ['A', 'subnet-0123456789abcdef0']);
  });
});
