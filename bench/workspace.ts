/**
 * The workspace model's cost: indexing a repository of 200 templates (10 network templates exporting
 * their subnets and security groups, 190 SAM templates importing them), analysing every template with the
 * workspace, and what a change of one network template costs (its dependents analysed again).
 *
 *   node --import tsx bench/workspace.ts [--templates N] [--runs N]
 *
 * Budget: indexing 200 templates in under 3 s.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { analyze } from '../server/src/core/analyze';
import { WorkspaceFiles } from '../server/src/workspace';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const TEMPLATES = arg('--templates', 200);
const RUNS = arg('--runs', 5);
const NETWORKS = Math.max(1, Math.round(TEMPLATES / 20));

function network(n: number): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.${n}.0.0/16 }
${['A', 'B'].map((az, i) => `  Subnet${az}:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.${n}.${i}.0/24, AvailabilityZone: us-east-1${az.toLowerCase()} }
  Table${az}:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  Assoc${az}:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Subnet${az}, RouteTableId: !Ref Table${az} }`).join('\n')}
  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: lambda, VpcId: !Ref Vpc }
Outputs:
  PrivateSubnets:
    Value: !Join [",", [!Ref SubnetA, !Ref SubnetB]]
    Export: { Name: !Sub "\${AWS::StackName}-PrivateSubnets" }
  LambdaSg:
    Value: !Ref LambdaSg
    Export: { Name: !Sub "\${AWS::StackName}-LambdaSg" }
`;
}

function app(n: number, net: number): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
${[1, 2, 3].map((i) => `  Fn${i}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      Policies: [{ SQSSendMessagePolicy: { QueueName: q${n} } }]
      VpcConfig:
        SubnetIds: !Split [",", !ImportValue net-${net}-PrivateSubnets]
        SecurityGroupIds: [!ImportValue net-${net}-LambdaSg]`).join('\n')}
`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'lvl-bench-ws-'));
try {
  for (let i = 0; i < NETWORKS; i++) {
    mkdirSync(join(dir, `net-${i}`));
    writeFileSync(join(dir, `net-${i}`, 'template.yaml'), network(i));
    writeFileSync(join(dir, `net-${i}`, 'samconfig.toml'), `version = 0.1\n[default.deploy.parameters]\nstack_name = "net-${i}"\n`);
  }
  for (let i = 0; i < TEMPLATES - NETWORKS; i++) {
    mkdirSync(join(dir, `app-${i}`));
    writeFileSync(join(dir, `app-${i}`, 'template.yaml'), app(i, i % NETWORKS));
  }
  const index: number[] = [];
  const indexCpu: number[] = [];
  const all: number[] = [];
  const change: number[] = [];
  let checked = 0;
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    const cpu = process.cpuUsage();
    const files = new WorkspaceFiles({ roots: [dir], display: (p) => relative(dir, p) }).load();
    const workspace = files.workspace();
    // The export index is built on first use.
    analyze('Resources: {}', { fileName: 'x.yaml', workspace });
    index.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    indexCpu.push((used.user + used.system) / 1000);
    t = performance.now();
    checked = 0;
    const texts = new Map<string, string>();
    for (const tpl of workspace.templates) {
      const full = join(dir, tpl.path);
      const text = readFileSync(full, 'utf8');
      texts.set(tpl.path, text);
      const result = analyze(text, { fileName: full, path: tpl.path, workspace });
      for (const fn of result.model?.functions ?? []) if (fn.variants[0]?.vpc?.subnetIds.items.every((i) => i.state === 'known' && i.id)) checked++;
    }
    all.push(performance.now() - t);
    // A keystroke in one network template: the workspace takes its text, its dependents are analysed again.
    t = performance.now();
    const netPath = join(dir, 'net-0', 'template.yaml');
    files.set(netPath, `${network(0)}# edited\n`);
    const after = files.workspace();
    const dependents = after.templates.filter((tpl) => tpl.path.startsWith('app-') && Number(tpl.path.slice(4, tpl.path.indexOf('/'))) % NETWORKS === 0);
    for (const tpl of dependents) analyze(texts.get(tpl.path)!, { fileName: join(dir, tpl.path), path: tpl.path, workspace: after });
    change.push(performance.now() - t);
  }
  const line = (label: string, xs: number[]) => `${label.padEnd(44)} ${median(xs).toFixed(0).padStart(6)} ms  [${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}]`;
  console.log(`${TEMPLATES} templates (${NETWORKS} networks), ${RUNS} runs, median [min-max]`);
  console.log(line('index (find, parse, stack names, exports)', index));
  console.log(line('  of which CPU', indexCpu));
  console.log(line('analyse every template with the workspace', all));
  console.log(line(`one network edited: ${Math.ceil((TEMPLATES - NETWORKS) / NETWORKS)} dependents`, change));
  console.log(`functions whose subnets resolved through the workspace: ${checked} of ${(TEMPLATES - NETWORKS) * 3}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
