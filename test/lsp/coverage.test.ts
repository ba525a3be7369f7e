/**
 * `network-unknown` in the editor, through the real server over stdio: an Information diagnostic whose
 * code actions supply what is missing (a samconfig.toml value, created or added to the selected
 * environment without touching the rest of the file; live lookups, never in an untrusted workspace),
 * the coverage in the status notification, and the hover's one line.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSamconfig } from '../../server/src/params';
import { DEFAULT_CAPABILITIES, LspClient, buildServer, offsetOf, sleep, tempFolder } from './harness';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      CodeUri: .
      VpcConfig:
        SubnetIds: !Ref SubnetIds
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`;

const SAMCONFIG = `# Deploy settings: keep these comments.
version = 0.1

[default.deploy.parameters]
stack_name = "api"  # the default stack
parameter_overrides = "Stage=dev"

[prod.deploy.parameters]
# production overrides
parameter_overrides = [
  "Stage=prod",  # a comment inside the array
]
region = "eu-west-1"
`;

const CREATE_CAPABILITIES = { ...DEFAULT_CAPABILITIES, workspace: { ...DEFAULT_CAPABILITIES.workspace, workspaceEdit: { documentChanges: true, resourceOperations: ['create' as const] } } };

/** Applies the edits of a workspace edit that concern one file to that file's text. */
function applyTo(edit: WorkspaceEdit, uri: string, text: string): string {
  const edits: TextEdit[] = [];
  for (const change of edit.documentChanges ?? []) if ('textDocument' in change && change.textDocument.uri === uri) edits.push(...(change.edits as TextEdit[]));
  edits.push(...(edit.changes?.[uri] ?? []));
  assert.ok(edits.length > 0, 'the edit changes the file');
  return TextDocument.applyEdits(TextDocument.create(uri, 'toml', 0, text), edits);
}

describe('language server: network-unknown', () => {
  const folder = tempFolder();
  let client: LspClient;

  before(async () => {
    await buildServer();
    for (const dir of ['info', 'sam', 'string', 'create', 'yaml', 'live', 'status', 'hover']) mkdirSync(join(folder.dir, dir));
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 10 }, capabilities: CREATE_CAPABILITIES });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  async function open(dir: string, text = TEMPLATE): Promise<{ uri: string; diagnostic: Diagnostic }> {
    const uri = folder.uri(`${dir}/template.yaml`);
    folder.write(`${dir}/template.yaml`, text);
    await client.open(uri, text);
    const diagnostics = await client.forVersion(uri, 1);
    const diagnostic = diagnostics.find((d) => d.code === 'network-unknown');
    assert.ok(diagnostic, JSON.stringify(diagnostics.map((d) => d.code)));
    return { uri, diagnostic };
  }

  it('is an Information diagnostic on the VpcConfig key, naming the parameter', async () => {
    const { diagnostic } = await open('info');
    assert.equal(diagnostic.severity, 3);
    assert.equal(diagnostic.range.start.line, 11);
    assert.match(String(diagnostic.message), /subnets: parameter `SubnetIds` has no value/);
  });

  it('adds the value to the selected environment of samconfig.toml, keeping comments and the other environment', async () => {
    folder.write('sam/samconfig.toml', SAMCONFIG);
    await client.setSettings({ debounceMs: 10, environment: 'prod' });
    const { uri, diagnostic } = await open('sam');
    const actions = await client.codeActions(uri, [diagnostic]);
    const add = actions.find((a) => a.title === 'Add a value for parameter `SubnetIds` to samconfig.toml');
    assert.ok(add?.edit, JSON.stringify(actions.map((a) => a.title)));
    const samconfigUri = folder.uri('sam/samconfig.toml');
    const next = applyTo(add.edit, samconfigUri, SAMCONFIG);
    assert.equal(next, SAMCONFIG.replace('  "Stage=prod",  # a comment', '  "Stage=prod", "SubnetIds=CHANGEME",  # a comment'));
    assert.deepEqual(parseSamconfig(next, 'toml', 'prod').params, { Stage: 'prod', SubnetIds: 'CHANGEME' });
    assert.deepEqual(parseSamconfig(next, 'toml', 'default').params, { Stage: 'dev' });

    // Written to disk, the value is used: the function's subnets are now a placeholder to replace.
    writeFileSync(join(folder.dir, 'sam/samconfig.toml'), next);
    const since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: samconfigUri, type: 2 }] });
    const published = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'network-unknown' && /placeholder/.test(String(d.message))), 10_000, since);
    assert.match(String(published.diagnostics.find((d) => d.code === 'network-unknown')!.message), /subnets: `CHANGEME` is a placeholder \(replace it with real ids\)/);
    await client.setSettings({ debounceMs: 10 });
  });

  it('appends to a parameter_overrides string of the default environment', async () => {
    folder.write('string/samconfig.toml', SAMCONFIG);
    const { uri, diagnostic } = await open('string');
    const add = (await client.codeActions(uri, [diagnostic])).find((a) => a.title.startsWith('Add a value'));
    const next = applyTo(add!.edit!, folder.uri('string/samconfig.toml'), SAMCONFIG);
    assert.equal(next, SAMCONFIG.replace('parameter_overrides = "Stage=dev"', 'parameter_overrides = "Stage=dev SubnetIds=CHANGEME"'));
  });

  it('creates samconfig.toml beside the template when there is none', async () => {
    const { uri, diagnostic } = await open('create');
    const add = (await client.codeActions(uri, [diagnostic])).find((a) => a.title.startsWith('Add a value'));
    const changes = add!.edit!.documentChanges!;
    const samconfigUri = folder.uri('create/samconfig.toml');
    assert.deepEqual(changes[0], { kind: 'create', uri: samconfigUri, options: { ignoreIfExists: true } } satisfies CreateFile);
    const text = (changes[1] as TextDocumentEdit).edits.map((e) => (e as TextEdit).newText).join('');
    assert.equal(text, 'version = 0.1\n\n[default.deploy.parameters]\nparameter_overrides = "SubnetIds=CHANGEME"\n');
    assert.deepEqual(parseSamconfig(text, 'toml').params, { SubnetIds: 'CHANGEME' });
  });

  it('does not create a samconfig.toml that would hide a samconfig.yaml', async () => {
    folder.write('yaml/samconfig.yaml', 'version: 0.1\ndefault:\n  deploy:\n    parameters:\n      stack_name: api\n');
    const { uri, diagnostic } = await open('yaml');
    const titles = (await client.codeActions(uri, [diagnostic])).map((a) => a.title);
    assert.ok(!titles.some((t) => t.startsWith('Add a value')), JSON.stringify(titles));
  });

  it('offers live lookups for ids not in the template, as a command', async () => {
    const { uri, diagnostic } = await open('live', TEMPLATE.replace('!Ref SubnetIds', '[subnet-0a1b2c3d4e5f60001]'));
    const actions = await client.codeActions(uri, [diagnostic]);
    const live = actions.find((a: CodeAction) => a.title === 'Turn on live lookups');
    assert.equal(live?.command?.command, 'lambdaVpcLint.live.enable');
    assert.ok(!actions.some((a) => a.title.startsWith('Add a value')), 'no parameter to add');
  });

  it('carries the coverage in the status notification', async () => {
    const { uri } = await open('status');
    // The status follows the diagnostics.
    for (let i = 0; i < 100 && !client.statuses.some((s) => s.uri === uri && s.state === 'done'); i++) await sleep(20);
    const status = [...client.statuses].reverse().find((s) => s.uri === uri && s.state === 'done') as unknown as { coverage: { vpc: number; checked: number; unchecked: { resource: string; network: string; missing: string[]; range: { start: { line: number } } }[] } };
    assert.equal(status.coverage.vpc, 1);
    assert.equal(status.coverage.checked, 0);
    assert.deepEqual(status.coverage.unchecked.map((u) => [u.resource, u.network, u.range.start.line]), [['Api', 'unknown', 5]]);
    assert.match(status.coverage.unchecked[0]!.missing[0]!, /^subnets: parameter `SubnetIds` has no value/);
  });

  it('states the coverage in one line when hovering the function', async () => {
    const { uri } = await open('hover');
    const hover = await client.hover(uri, offsetOf(TEMPLATE, 'Api:', 1));
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /_Function 'Api': VPC network not checked \(2 missing facts, see network-unknown\)\._/);
  });
});

describe('language server: Serverless .env files', () => {
  const SLS = `service: s
useDotenv: true
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: ['\${env:SUBNET_A}']
      securityGroupIds: [sg-0a1b2c3d4e5f60001]
`;
  const folder = tempFolder({ 'serverless.yml': SLS, '.env': 'SUBNET_A=subnet-0aaa\n' });
  let client: LspClient;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 10 } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('resolves ${env:} from .env, watches .env files, and re-analyses when one changes', async () => {
    const uri = folder.uri('serverless.yml');
    await client.open(uri, SLS);
    const first = (await client.forVersion(uri, 1)).find((d) => d.code === 'network-unknown');
    assert.ok(client.registrations.some((r) => JSON.stringify(r.registerOptions ?? {}).includes('**/.env*')));
    assert.match(String(first?.message), /subnets: `subnet-0aaa` is not in the template/);
    const since = client.published.length;
    folder.write('.env', 'SUBNET_A=subnet-0bbb\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: folder.uri('.env'), type: 2 }] });
    const next = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => /subnet-0bbb/.test(String(d.message))), 10_000, since);
    assert.ok(next);
  });
});

describe('language server: network-unknown in an untrusted workspace', () => {
  const folder = tempFolder({ 'template.yaml': TEMPLATE.replace('!Ref SubnetIds', '[subnet-0a1b2c3d4e5f60001]') });
  let client: LspClient;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 10 }, initializationOptions: { workspaceTrusted: false } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('does not offer live lookups', async () => {
    const uri = folder.uri('template.yaml');
    await client.open(uri, readFileSync(join(folder.dir, 'template.yaml'), 'utf8'));
    const diagnostic = (await client.forVersion(uri, 1)).find((d) => d.code === 'network-unknown');
    assert.ok(diagnostic);
    const titles = (await client.codeActions(uri, [diagnostic])).map((a) => a.title);
    assert.ok(!titles.includes('Turn on live lookups'), JSON.stringify(titles));
    assert.ok(titles.includes('Ignore network-unknown for this resource'), 'the usual actions remain');
  });
});
