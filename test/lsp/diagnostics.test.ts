/**
 * The language server's diagnostics, over stdio against the built server: what a finding's diagnostic
 * carries, which documents get none, parse problems, settings (severity, enable, maxFileSize,
 * parameter file), `${file()}` dependencies, and an edit storm that must end in one current result.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import type { FindingData } from '../../server/src/lsp/diagnostics';
import { COMPOSE, KUBERNETES, SAM_GLOBALS, SAM_GLOBALS_JSON, SAM_MISSING_GROUPS, WORKFLOW } from './fixtures';
import { buildServer, LspClient, offsetOf, sleep, tempFolder } from './harness';

const INCOMPLETE = 'vpc-config-incomplete';
/** Whether a publish holds the finding: other rules may add theirs, these tests look at this one. */
const has = (p: { diagnostics: { code?: unknown }[] }, code = INCOMPLETE) => p.diagnostics.some((d) => d.code === code);

describe('language server: diagnostics', () => {
  const folder = tempFolder();
  let client: LspClient;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 20 } });
    const init = await client.initialize();
    const caps = init.capabilities as { textDocumentSync: { change: number }; codeActionProvider: { codeActionKinds: string[] } };
    assert.equal(caps.textDocumentSync.change, 2, 'incremental sync');
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.lambdaVpcLint']);
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('registers for configuration changes and file watching', async () => {
    await sleep(100);
    const methods = client.registrations.map((r) => r.method);
    assert.ok(methods.includes('workspace/didChangeConfiguration'));
    assert.ok(methods.includes('workspace/didChangeWatchedFiles'));
  });

  it('publishes a finding with code, documentation link, source, data and severity', async () => {
    const uri = folder.uri('sam.yaml');
    await client.open(uri, SAM_MISSING_GROUPS);
    const diagnostics = await client.forVersion(uri, 1);
    assert.equal(diagnostics.length, 1);
    const d = diagnostics[0]!;
    assert.equal(d.code, 'vpc-config-incomplete');
    assert.equal(d.codeDescription?.href, 'https://github.com/lambda-vpc-lint/lambda-vpc-lint/blob/main/docs/rules/vpc-config-incomplete.md');
    assert.equal(d.source, 'lambda-vpc-lint');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.match(String(d.message), /Function 'Api' has SubnetIds but no SecurityGroupIds/);
    // The range is the SubnetIds value.
    const text = client.text(uri);
    const doc = client.doc(uri);
    assert.equal(doc.offsetAt(d.range.start), offsetOf(text, '- subnet-0a1b2c3d4e5f60001'));
    const data = d.data as FindingData;
    assert.equal(data.kind, 'finding');
    assert.equal(data.ruleId, 'vpc-config-incomplete');
    assert.equal(data.resource, 'Api');
    assert.equal(data.version, 1);
    assert.equal(data.messageId, 'missingGroups');
    assert.deepEqual(data.span, { start: doc.offsetAt(d.range.start), end: doc.offsetAt(d.range.end) });
    // Fixes are built when a code action asks for them, not shipped with every diagnostic.
    assert.deepEqual(Object.keys(data).sort(), ['kind', 'messageId', 'resource', 'ruleId', 'span', 'version']);
  });

  it('points relatedInformation at the Globals the settings came from', async () => {
    const uri = folder.uri('globals.yaml');
    await client.open(uri, SAM_GLOBALS);
    const [d] = await client.forVersion(uri, 1);
    assert.equal(d?.code, 'vpc-config-incomplete');
    assert.equal(d.relatedInformation?.length, 1);
    const related = d.relatedInformation![0]!;
    assert.equal(related.location.uri, uri);
    assert.equal(related.message, 'VPC settings inherited from here');
    assert.equal(related.location.range.start.line, 4, 'the Globals VpcConfig value');
  });

  it('analyses JSON templates', async () => {
    const uri = folder.uri('template.json');
    await client.open(uri, SAM_GLOBALS_JSON, 'json');
    const diagnostics = await client.forVersion(uri, 1);
    assert.deepEqual(diagnostics.map((d) => d.code), ['vpc-config-incomplete']);
  });

  it('publishes nothing for Kubernetes, GitHub workflow and docker-compose YAML', async () => {
    const before = client.published.length;
    const others = ['deploy.yaml', 'ci.yml', 'docker-compose.yml'];
    await client.open(folder.uri(others[0]!), KUBERNETES);
    await client.open(folder.uri(others[1]!), WORKFLOW);
    await client.open(folder.uri(others[2]!), COMPOSE);
    // A template opened after them is published after them: by then they would have been too.
    const marker = folder.uri('marker.yaml');
    await client.open(marker, SAM_MISSING_GROUPS);
    await client.forVersion(marker, 1);
    await sleep(200);
    const uris = client.published.slice(before).map((p) => p.uri);
    for (const name of others) assert.ok(!uris.includes(folder.uri(name)), `${name} got diagnostics`);
    const states = client.statuses.filter((s) => s.uri === folder.uri(others[0]!)).map((s) => s.state);
    assert.ok(states.includes('not-template'));
  });

  it('clears the diagnostics of a document that stops being a template', async () => {
    const uri = folder.uri('becomes-k8s.yaml');
    await client.open(uri, SAM_MISSING_GROUPS);
    assert.equal((await client.forVersion(uri, 1)).length, 1);
    const v = await client.replaceAll(uri, KUBERNETES);
    assert.deepEqual(await client.forVersion(uri, v), []);
  });

  it('shows a parse problem, keeps the template status while it is broken, and keeps serving', async () => {
    const uri = folder.uri('broken.yaml');
    await client.open(uri, SAM_MISSING_GROUPS);
    await client.forVersion(uri, 1);
    // An unclosed flow sequence: the YAML no longer parses.
    const broken = SAM_MISSING_GROUPS.replace('      VpcConfig:\n', '      VpcConfig: [\n');
    const v = await client.replaceAll(uri, broken);
    const diagnostics = await client.forVersion(uri, v);
    assert.ok(diagnostics.length >= 1);
    assert.ok(diagnostics.every((d) => d.source === 'lambda-vpc-lint'));
    assert.ok(diagnostics.some((d) => d.severity === DiagnosticSeverity.Error && (d.data as { kind: string }).kind === 'problem'), JSON.stringify(diagnostics));
    // A broken JSON template from the start.
    const json = folder.uri('broken.json');
    await client.open(json, '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": { "Fn": { "Type": "AWS::Lambda::Function", ', 'json');
    const jsonDiagnostics = await client.forVersion(json, 1);
    assert.ok(jsonDiagnostics.some((d) => d.severity === DiagnosticSeverity.Error && (d.data as { kind: string }).kind === 'problem'), JSON.stringify(jsonDiagnostics));
    // The server still serves other documents.
    const other = folder.uri('after-broken.yaml');
    await client.open(other, SAM_MISSING_GROUPS);
    assert.equal((await client.forVersion(other, 1))[0]?.code, 'vpc-config-incomplete');
    // And the broken one recovers.
    const fixed = await client.replaceAll(uri, SAM_MISSING_GROUPS);
    assert.deepEqual((await client.forVersion(uri, fixed)).map((d) => d.code), ['vpc-config-incomplete']);
    assert.ok(client.alive);
  });

  it('ends an edit storm of 100 changes with one result for the last version and nothing stale after it', async () => {
    const uri = folder.uri('storm.yaml');
    await client.setSettings({ debounceMs: 300 });
    await client.open(uri, SAM_MISSING_GROUPS);
    await client.forVersion(uri, 1);
    const start = client.published.length;
    // Type a comment one character at a time, then complete the VpcConfig on the last edit.
    const line = client.text(uri).split('\n').length - 1;
    let version = 1;
    const typed = '# tuning the subnets for the new availability zones, see the ticket for the details of it';
    for (let i = 0; i < 99; i++) {
      const ch = typed[i % typed.length]!;
      version = await client.change(uri, [{ range: { start: { line, character: i }, end: { line, character: i } }, text: ch }]);
    }
    const end = client.doc(uri).positionAt(client.text(uri).length);
    version = await client.change(uri, [{ range: { start: end, end }, text: '\n      Tags: { team: net }\n' }]);
    assert.equal(version, 101);
    const final = await client.forVersion(uri, version, 10_000);
    assert.deepEqual(final.map((d) => d.code), ['vpc-config-incomplete']);
    await sleep(500);
    const during = client.published.slice(start).filter((p) => p.uri === uri);
    const last = during[during.length - 1]!;
    assert.equal(last.version, version, 'the last publish is for the last version');
    assert.equal(during.filter((p) => p.version === version).length, 1, 'published once for the last version');
    for (let i = 1; i < during.length; i++) assert.ok(during[i]!.version! > during[i - 1]!.version!, 'versions only increase');
    // Debounced: a handful at most (a slow machine may pause longer than the debounce between two edits).
    assert.ok(during.length <= 10, `debounced: ${during.length} publishes for 100 edits`);
    await client.setSettings({ debounceMs: 20 });
  });

  it('applies a severity override from the settings, and turning a rule off', async () => {
    const uri = folder.uri('severity.yaml');
    await client.open(uri, SAM_MISSING_GROUPS);
    assert.equal((await client.forVersion(uri, 1))[0]?.severity, DiagnosticSeverity.Error);
    let since = client.published.length;
    await client.setSettings({ debounceMs: 20, rules: { 'vpc-config-incomplete': 'info' } });
    let p = await client.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === INCOMPLETE && d.severity === DiagnosticSeverity.Information), 5000, since);
    since = client.published.length;
    await client.setSettings({ debounceMs: 20, rules: { 'vpc-config-incomplete': 'off' } });
    p = await client.diagnostics(uri, (x) => !has(x), 5000, since);
    since = client.published.length;
    await client.setSettings({ debounceMs: 20 });
    p = await client.diagnostics(uri, (x) => has(x), 5000, since);
    assert.equal(p.diagnostics.find((d) => d.code === INCOMPLETE)?.severity, DiagnosticSeverity.Error);
  });

  it('clears everything when disabled and comes back when enabled', async () => {
    const uri = folder.uri('enable.yaml');
    await client.open(uri, SAM_MISSING_GROUPS);
    await client.forVersion(uri, 1);
    let since = client.published.length;
    await client.setSettings({ debounceMs: 20, enable: false });
    await client.diagnostics(uri, (x) => x.diagnostics.length === 0, 5000, since);
    since = client.published.length;
    await client.setSettings({ debounceMs: 20, enable: true });
    await client.diagnostics(uri, (x) => has(x), 5000, since);
  });

  it('gives a file over maxFileSize one diagnostic saying so', async () => {
    const uri = folder.uri('large.yaml');
    await client.setSettings({ debounceMs: 20, maxFileSize: 200 });
    await client.open(uri, SAM_MISSING_GROUPS);
    const diagnostics = await client.forVersion(uri, 1);
    assert.equal(diagnostics.length, 1);
    assert.match(String(diagnostics[0]!.message), /over the 200 bytes limit of the setting lambdaVpcLint\.maxFileSize/);
    // A large file that is not a template gets nothing.
    const k8s = folder.uri('large-k8s.yaml');
    await client.open(k8s, KUBERNETES.repeat(3));
    const marker = folder.uri('large-marker.yaml');
    await client.open(marker, SAM_MISSING_GROUPS);
    await client.forVersion(marker, 1);
    assert.ok(!client.published.some((p) => p.uri === k8s));
    await client.setSettings({ debounceMs: 20 });
  });

  it('reads parameter values from lambdaVpcLint.parameterFile, relative to the workspace folder', async () => {
    const template = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      VpcConfig:
        SubnetIds: !Ref Subnets
`;
    const uri = folder.uri('params.yaml');
    await client.open(uri, template);
    // Without values the subnet list is unknown: the rule stays silent.
    assert.ok(!has({ diagnostics: await client.forVersion(uri, 1) }));
    folder.write('params.json', JSON.stringify([{ ParameterKey: 'Subnets', ParameterValue: 'subnet-1,subnet-2' }]));
    const since = client.published.length;
    await client.setSettings({ debounceMs: 20, parameterFile: 'params.json' });
    await client.diagnostics(uri, (x) => has(x), 5000, since);
    // The file changes on disk: the watcher notification re-reads it.
    folder.write('params.json', JSON.stringify({ Parameters: { Subnets: '' } }));
    const since2 = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: folder.uri('params.json'), type: 2 }] });
    await client.diagnostics(uri, (x) => !has(x), 5000, since2);
    await client.setSettings({ debounceMs: 20 });
  });

  it('re-analyses a Serverless file when its ${file()} dependency changes, on disk or in an open editor', async () => {
    folder.write('vpc.yml', 'subnetIds:\n  - subnet-1\n  - subnet-2\n');
    const serverless = `service: api
provider:
  name: aws
  runtime: nodejs20.x
  vpc: \${file(./vpc.yml)}
functions:
  hello:
    handler: handler.hello
`;
    const uri = folder.uri('serverless.yml');
    await client.open(uri, serverless);
    const first = (await client.forVersion(uri, 1)).filter((d) => d.code === INCOMPLETE);
    assert.equal(first.length, 1);
    assert.equal(first[0]!.severity, DiagnosticSeverity.Warning, 'the framework drops the config: a warning');
    // Complete the file on disk and tell the server.
    folder.write('vpc.yml', 'subnetIds:\n  - subnet-1\n  - subnet-2\nsecurityGroupIds:\n  - sg-1\n');
    let since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: folder.uri('vpc.yml'), type: 2 }] });
    await client.diagnostics(uri, (x) => !has(x), 5000, since);
    // Open the dependency and break it in the editor (unsaved): the open buffer wins over the disk.
    since = client.published.length;
    await client.open(folder.uri('vpc.yml'), 'subnetIds:\n  - subnet-1\n  - subnet-2\nsecurityGroupIds:\n  - sg-1\n');
    await client.replaceAll(folder.uri('vpc.yml'), 'securityGroupIds:\n  - sg-1\n');
    const p = await client.diagnostics(uri, (x) => has(x), 5000, since);
    assert.match(String(p.diagnostics.find((d) => d.code === INCOMPLETE)!.message), /securityGroupIds but no subnetIds/);
    // Closing it falls back to the disk's complete version.
    since = client.published.length;
    await client.close(folder.uri('vpc.yml'));
    await client.diagnostics(uri, (x) => !has(x), 5000, since);
  });

  it('clears diagnostics when a document closes', async () => {
    const uri = folder.uri('closing.yaml');
    await client.open(uri, SAM_MISSING_GROUPS);
    await client.forVersion(uri, 1);
    const since = client.published.length;
    await client.close(uri);
    const p = await client.diagnostics(uri, () => true, 5000, since);
    assert.deepEqual(p.diagnostics, []);
  });

  it('reports analysis state and counts in lambdaVpcLint/status', async () => {
    const uri = folder.uri('status.yaml');
    await client.open(uri, SAM_MISSING_GROUPS);
    await client.forVersion(uri, 1);
    await sleep(50);
    const done = client.statuses.filter((s) => s.uri === uri && s.state === 'done');
    assert.equal(done.length, 1);
    assert.deepEqual(done[0]!.counts, { error: 1, warning: 0, info: 0, problems: 0 });
    assert.equal(done[0]!.dialect, 'sam');
  });
});
