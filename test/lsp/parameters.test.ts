/**
 * Parameter values in the language server, over stdio against the built server: a samconfig beside a
 * SAM template (its values are known facts, so `single-az` can count the subnets), the
 * `lambdaVpcLint.environment` setting choosing its environment (and the Serverless stage), changes to the
 * samconfig on disk (watcher notifications) and in an open editor, what could not be used as one warning,
 * and the environments the picker offers.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import type { EnvironmentsResult } from '../../server/src/lsp/protocol';
import { buildServer, LspClient, sleep, tempFolder } from './harness';

const SUBNET_A = 'subnet-0a1b2c3d4e5f60001';
const SUBNET_B = 'subnet-0a1b2c3d4e5f60002';
const SG = 'sg-0a1b2c3d4e5f60001';

/** A SAM function whose subnets and group are parameters. */
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
  SecurityGroupId:
    Type: AWS::EC2::SecurityGroup::Id
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => 1"
      VpcConfig:
        SubnetIds: !Ref SubnetIds
        SecurityGroupIds: [!Ref SecurityGroupId]
`;

/** `default` deploys into one subnet, `prod` into two. */
function samconfig(defaultSubnets: string[] = [SUBNET_A]): string {
  return `version = 0.1
[default.deploy.parameters]
stack_name = "api"
parameter_overrides = "SubnetIds=${defaultSubnets.join(',')} SecurityGroupId=${SG}"

[prod.deploy.parameters]
stack_name = "api-prod"
parameter_overrides = "SubnetIds=${SUBNET_A},${SUBNET_B} SecurityGroupId=${SG}"
`;
}

const SERVERLESS = `service: api
provider:
  name: aws
  runtime: nodejs20.x
  vpc:
    securityGroupIds:
      - ${SG}
    subnetIds:
      - \${param:subnetA}
      - \${param:subnetB}
params:
  default:
    subnetA: ${SUBNET_A}
    subnetB: ${SUBNET_A}
  staging:
    subnetB: ${SUBNET_A}
  prod:
    subnetB: ${SUBNET_B}
functions:
  hello:
    handler: handler.hello
`;

const singleAz = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === 'single-az');
const parameterWarning = (p: PublishDiagnosticsParams) => p.diagnostics.find((d) => /^Some parameter values could not be used/.test(String(d.message)));

describe('language server: parameter files', () => {
  const folder = tempFolder({ 'template.yaml': TEMPLATE, 'samconfig.toml': samconfig() });
  mkdirSync(join(folder.dir, 'bare'));
  mkdirSync(join(folder.dir, 'sls'));
  folder.write('sls/serverless.yml', SERVERLESS);
  // A samconfig beside a Serverless file is not about it.
  folder.write('sls/samconfig.toml', samconfig());
  let client: LspClient;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 20 } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('watches samconfig files', async () => {
    await sleep(100);
    const watchers = client.registrations
      .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .flatMap((r) => (r.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern));
    assert.ok(watchers.includes('**/samconfig.{toml,yaml,yml}'), JSON.stringify(watchers));
  });

  it("analyses with the values of the samconfig beside the template: one subnet is single-az, and nothing else is said", async () => {
    const uri = folder.uri('template.yaml');
    await client.open(uri, TEMPLATE);
    const diagnostics = await client.forVersion(uri, 1);
    const finding = diagnostics.find((d) => d.code === 'single-az');
    assert.ok(finding, JSON.stringify(diagnostics.map((d) => d.code ?? d.message)));
    assert.match(String(finding.message), new RegExp(`single subnet \\(${SUBNET_A}\\)`));
    assert.equal(parameterWarning({ uri, diagnostics }), undefined);
    // The same template without a samconfig beside it: the subnet list is unknown, so the rule is silent.
    const bare = folder.uri('bare/template.yaml');
    await client.open(bare, TEMPLATE);
    const none = await client.forVersion(bare, 1);
    assert.ok(!singleAz({ uri: bare, diagnostics: none }), JSON.stringify(none.map((d) => d.code ?? d.message)));
    // The status says which one an environment changes (the editor shows its environment item for it only).
    const lastDone = (u: string) => client.statuses.filter((st) => st.uri === u && st.state === 'done').at(-1);
    assert.equal(lastDone(uri)?.environments, true);
    assert.equal(lastDone(bare)?.environments, undefined);
    await client.close(bare);
  });

  it('lambdaVpcLint.environment picks the samconfig environment; a missing one is one warning', async () => {
    const uri = folder.uri('template.yaml');
    let since = client.published.length;
    await client.setSettings({ debounceMs: 20, environment: 'prod' });
    // prod deploys into two subnets: silent.
    const prod = await client.diagnostics(uri, (p) => !singleAz(p), 5000, since);
    assert.equal(parameterWarning(prod), undefined);

    since = client.published.length;
    await client.setSettings({ debounceMs: 20, environment: 'qa' });
    const qa = await client.diagnostics(uri, (p) => !!parameterWarning(p), 5000, since);
    const warning = parameterWarning(qa)!;
    assert.equal(warning.severity, DiagnosticSeverity.Warning);
    assert.equal(warning.source, 'lambda-vpc-lint');
    assert.deepEqual(warning.range.start, { line: 0, character: 0 });
    assert.match(String(warning.message), /samconfig\.toml: it has no environment 'qa' \(it has 'default', 'prod'\)/);
    assert.equal(qa.diagnostics.filter((d) => parameterWarning({ uri, diagnostics: [d] })).length, 1, 'one warning');
    assert.ok(!singleAz(qa), 'no values, no finding');
    assert.ok(client.logs.some((l) => /parameter values: samconfig\.toml: it has no environment 'qa'/.test(l)), 'and a line in the log');

    since = client.published.length;
    await client.setSettings({ debounceMs: 20 });
    await client.diagnostics(uri, (p) => singleAz(p) && !parameterWarning(p), 5000, since);
  });

  it('re-analyses when the samconfig changes on disk (watched files), or appears', async () => {
    const uri = folder.uri('template.yaml');
    folder.write('samconfig.toml', samconfig([SUBNET_A, SUBNET_B]));
    let since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: folder.uri('samconfig.toml'), type: 2 }] });
    await client.diagnostics(uri, (p) => !singleAz(p), 5000, since);

    // A template with no samconfig yet: one is created beside it.
    const bare = folder.uri('bare/template.yaml');
    await client.open(bare, TEMPLATE);
    assert.ok(!singleAz({ uri: bare, diagnostics: await client.forVersion(bare, 1) }));
    folder.write('bare/samconfig.toml', samconfig());
    since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: folder.uri('bare/samconfig.toml'), type: 1 }] });
    await client.diagnostics(bare, singleAz, 5000, since);
    await client.close(bare);
  });

  it('prefers an open samconfig.yaml to the disk, and follows its edits', async () => {
    mkdirSync(join(folder.dir, 'yaml'));
    const yamlConfig = (subnets: string) => `version: 0.1
default:
  deploy:
    parameters:
      parameter_overrides:
        - SubnetIds=${subnets}
        - SecurityGroupId=${SG}
`;
    folder.write('yaml/samconfig.yaml', yamlConfig(`${SUBNET_A},${SUBNET_B}`));
    const template = folder.uri('yaml/template.yaml');
    await client.open(template, TEMPLATE);
    assert.ok(!singleAz({ uri: template, diagnostics: await client.forVersion(template, 1) }));
    // Opened and edited, not saved: the buffer counts.
    const config = folder.uri('yaml/samconfig.yaml');
    await client.open(config, yamlConfig(`${SUBNET_A},${SUBNET_B}`));
    const since = client.published.length;
    await client.replaceAll(config, yamlConfig(SUBNET_A));
    await client.diagnostics(template, singleAz, 5000, since);
    // Closed without saving: the disk again.
    const since2 = client.published.length;
    await client.close(config);
    await client.diagnostics(template, (p) => !singleAz(p), 5000, since2);
    await client.close(template);
  });

  it('reads no samconfig for a Serverless file; the environment is its stage', async () => {
    const uri = folder.uri('sls/serverless.yml');
    await client.open(uri, SERVERLESS);
    const first = await client.forVersion(uri, 1);
    // params.default: both subnets are the same one.
    assert.ok(singleAz({ uri, diagnostics: first }));
    assert.equal(parameterWarning({ uri, diagnostics: first }), undefined, 'the samconfig beside it is not read');
    let since = client.published.length;
    await client.setSettings({ debounceMs: 20, environment: 'prod' });
    await client.diagnostics(uri, (p) => !singleAz(p), 5000, since);
    // lambdaVpcLint.stage wins over the environment.
    since = client.published.length;
    await client.setSettings({ debounceMs: 20, environment: 'prod', stage: 'staging' });
    await client.diagnostics(uri, singleAz, 5000, since);
    await client.setSettings({ debounceMs: 20 });
  });

  it('lists the environments of samconfig files and the stages of open Serverless files', async () => {
    mkdirSync(join(folder.dir, 'more'));
    folder.write('more/samconfig.toml', 'version = 0.1\n[staging.deploy.parameters]\nstack_name = "x"\n');
    const result = await client.connection.sendRequest('lambdaVpcLint/environments', { samconfigs: [folder.uri('more/samconfig.toml')] }) as EnvironmentsResult;
    const byName = new Map(result.environments.map((e) => [e.name, e.sources]));
    // The samconfig beside the open template, the one the client found, and the open Serverless file.
    assert.deepEqual(byName.get('default'), ['samconfig.toml']);
    assert.deepEqual(byName.get('prod'), ['samconfig.toml', join('sls', 'serverless.yml params')]);
    assert.deepEqual(byName.get('staging'), [join('more', 'samconfig.toml'), join('sls', 'serverless.yml params')]);
    assert.deepEqual([...byName.keys()].sort(), ['default', 'prod', 'staging']);
  });
});
