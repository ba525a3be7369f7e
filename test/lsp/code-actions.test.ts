/**
 * Code actions against the built server: the rule's fix (preferred, plain or as a snippet), the two
 * suppressions, the documentation command, fix all; each edit is applied to the document and the
 * diagnostics that come back are checked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, SnippetTextEdit, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { allRules } from '../../server/src/core/rules/registry';
import { DEFAULT_CAPABILITIES, LspClient, buildServer, tempFolder } from './harness';
import { SAM_MISSING_GROUPS } from './fixtures';

const RULE = 'vpc-config-incomplete';
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

describe('language server: code actions', () => {
  const folder = tempFolder();
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

  async function openWithFinding(name: string, text: string): Promise<{ uri: string; diagnostic: Diagnostic }> {
    const uri = folder.uri(name);
    await client.open(uri, text, name.endsWith('.json') ? 'json' : 'yaml');
    const diagnostics = await client.forVersion(uri, 1);
    const diagnostic = diagnostics.find((d) => d.code === RULE);
    assert.ok(diagnostic, `${name}: ${JSON.stringify(codes(diagnostics))}`);
    return { uri, diagnostic };
  }

  async function applyAndCheck(uri: string, action: CodeAction | undefined): Promise<Diagnostic[]> {
    assert.ok(action?.edit, 'an action with an edit');
    const version = await client.applyEdit(uri, action.edit);
    return client.forVersion(uri, version);
  }

  it('offers the fix (preferred), both suppressions and the documentation, in that order', async () => {
    const { uri, diagnostic } = await openWithFinding('order.yaml', SAM_MISSING_GROUPS);
    const actions = await client.codeActions(uri, [diagnostic]);
    assert.deepEqual(actions.map((a) => a.title), [
      'Add SecurityGroupIds (to fill in)',
      `Ignore ${RULE} for this resource`,
      `Ignore ${RULE} on this line`,
      `Show documentation for ${RULE}`,
    ]);
    assert.equal(actions[0]!.isPreferred, true);
    assert.ok(actions.slice(1).every((a) => !a.isPreferred));
    assert.ok(actions.every((a) => a.kind === 'quickfix'));
    const docs = actions[3]!;
    assert.equal(docs.command?.command, 'lambdaVpcLint.showRuleDocumentation');
    assert.deepEqual(docs.command?.arguments, [RULE, `https://github.com/lambda-vpc-lint/lambda-vpc-lint/blob/main/docs/rules/${RULE}.md`]);
  });

  it("applies the rule's fix: the finding is gone from the next diagnostics", async () => {
    const { uri, diagnostic } = await openWithFinding('fix.yaml', SAM_MISSING_GROUPS);
    const [fix] = await client.codeActions(uri, [diagnostic]);
    const after = await applyAndCheck(uri, fix);
    assert.ok(!codes(after).includes(RULE), JSON.stringify(codes(after)));
    assert.match(client.text(uri), /\n {8}SecurityGroupIds:\n {10}- sg-CHANGEME\n/);
  });

  it('sends the fix as a snippet edit to a client that takes them', async () => {
    const snippetClient = new LspClient({
      workspaceFolder: folder.dir,
      settings: { debounceMs: 10 },
      capabilities: { ...DEFAULT_CAPABILITIES, workspace: { ...DEFAULT_CAPABILITIES.workspace, workspaceEdit: { documentChanges: true, snippetEditSupport: true } } },
    });
    try {
      await snippetClient.initialize();
      const uri = folder.uri('snippet.yaml');
      await snippetClient.open(uri, SAM_MISSING_GROUPS);
      const diagnostic = (await snippetClient.forVersion(uri, 1)).find((d) => d.code === RULE)!;
      const [fix] = await snippetClient.codeActions(uri, [diagnostic]);
      const change = fix!.edit!.documentChanges![0] as TextDocumentEdit;
      assert.equal(change.textDocument.version, 1);
      const edit = change.edits[0] as SnippetTextEdit;
      assert.equal(edit.snippet.kind, 'snippet');
      assert.match(edit.snippet.value, /- \$\{1\}\n/);
      // Inserted at column 0, so an editor's snippet re-indentation (by the insertion line's indent) adds nothing.
      assert.equal(edit.range.start.character, 0);
      assert.ok(!edit.snippet.value.startsWith('\n'));
      // Applied with the tab stop left empty, nothing passes for a security group: the finding stays.
      const version = await snippetClient.applyEdit(uri, fix!.edit!);
      assert.match(snippetClient.text(uri), /\n {8}SecurityGroupIds:\n {10}- \n/);
      assert.ok(codes(await snippetClient.forVersion(uri, version)).includes(RULE));
    } finally {
      await snippetClient.stop();
    }
  });

  it('ignores the rule for the resource with a Metadata entry', async () => {
    const { uri, diagnostic } = await openWithFinding('ignore-resource.yaml', SAM_MISSING_GROUPS);
    const action = (await client.codeActions(uri, [diagnostic])).find((a) => a.title.startsWith('Ignore') && a.title.endsWith('for this resource'));
    const after = await applyAndCheck(uri, action);
    assert.ok(!codes(after).includes(RULE));
    assert.match(client.text(uri), /\n {4}Metadata:\n {6}lambda-vpc-lint:\n {8}ignore:\n {10}- vpc-config-incomplete\n/);
  });

  it('merges into an existing Metadata map and ignore list', async () => {
    const withMetadata = SAM_MISSING_GROUPS.replace('    Type: AWS::Serverless::Function\n', '    Type: AWS::Serverless::Function\n    Metadata:\n      BuildMethod: esbuild\n');
    const { uri, diagnostic } = await openWithFinding('merge-metadata.yaml', withMetadata);
    let action = (await client.codeActions(uri, [diagnostic])).find((a) => a.title.endsWith('for this resource'));
    assert.ok(!codes(await applyAndCheck(uri, action)).includes(RULE));
    assert.match(client.text(uri), /Metadata:\n {6}BuildMethod: esbuild\n {6}lambda-vpc-lint:\n {8}ignore:\n {10}- vpc-config-incomplete\n/);

    const withList = SAM_MISSING_GROUPS.replace('    Type: AWS::Serverless::Function\n', '    Type: AWS::Serverless::Function\n    Metadata:\n      lambda-vpc-lint:\n        ignore: [single-az]\n');
    const second = await openWithFinding('merge-list.yaml', withList);
    action = (await client.codeActions(second.uri, [second.diagnostic])).find((a) => a.title.endsWith('for this resource'));
    assert.ok(!codes(await applyAndCheck(second.uri, action)).includes(RULE));
    assert.match(client.text(second.uri), /ignore: \[single-az, vpc-config-incomplete\]/);
  });

  it('ignores the rule for a resource of a JSON template, and offers no comment there', async () => {
    const json = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::123456789012:role/r', VpcConfig: { SecurityGroupIds: ['sg-1'] } } } },
    }, null, 2);
    const { uri, diagnostic } = await openWithFinding('ignore.json', json);
    const actions = await client.codeActions(uri, [diagnostic]);
    assert.ok(!actions.some((a) => a.title.endsWith('on this line')));
    const after = await applyAndCheck(uri, actions.find((a) => a.title.endsWith('for this resource')));
    assert.ok(!codes(after).includes(RULE));
    const parsed = JSON.parse(client.text(uri)) as { Resources: { Fn: { Metadata: unknown } } };
    assert.deepEqual(parsed.Resources.Fn.Metadata, { 'lambda-vpc-lint': { ignore: [RULE] } });
  });

  it('ignores the rule on the line with an indented comment, or adds it to the comment there', async () => {
    const { uri, diagnostic } = await openWithFinding('ignore-line.yaml', SAM_MISSING_GROUPS);
    const action = (await client.codeActions(uri, [diagnostic])).find((a) => a.title.endsWith('on this line'));
    assert.ok(!codes(await applyAndCheck(uri, action)).includes(RULE));
    assert.match(client.text(uri), /\n {10}# lambda-vpc-lint-disable-next-line vpc-config-incomplete\n {10}- subnet-0a1b2c3d4e5f60001\n/);

    const commented = SAM_MISSING_GROUPS.replace('          - subnet-0a1b2c3d4e5f60001\n', '          # lambda-vpc-lint-disable-next-line single-az\n          - subnet-0a1b2c3d4e5f60001\n');
    const second = await openWithFinding('ignore-line-merge.yaml', commented);
    const merge = (await client.codeActions(second.uri, [second.diagnostic])).find((a) => a.title.endsWith('on this line'));
    assert.ok(!codes(await applyAndCheck(second.uri, merge)).includes(RULE));
    assert.match(client.text(second.uri), /# lambda-vpc-lint-disable-next-line single-az, vpc-config-incomplete\n/);
  });

  it('moves a stale diagnostic to the current text before fixing', async () => {
    const { uri, diagnostic } = await openWithFinding('stale.yaml', SAM_MISSING_GROUPS);
    // Lines added above the finding after the diagnostic was published.
    const v2 = await client.change(uri, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '# one\n# two\n' }]);
    assert.equal(v2, 2);
    const [fix] = await client.codeActions(uri, [diagnostic]);
    assert.equal(fix!.title, 'Add SecurityGroupIds (to fill in)');
    const after = await applyAndCheck(uri, fix);
    assert.ok(!codes(after).includes(RULE));
    assert.match(client.text(uri), /- subnet-0a1b2c3d4e5f60002\n {8}SecurityGroupIds:\n {10}- sg-CHANGEME\n/);
  });

  it('runs the documentation command itself when the client does not (window/showDocument)', async () => {
    await client.connection.sendRequest('workspace/executeCommand', { command: 'lambdaVpcLint.showRuleDocumentation', arguments: [RULE, `https://github.com/lambda-vpc-lint/lambda-vpc-lint/blob/main/docs/rules/${RULE}.md`] });
    assert.deepEqual(client.shownDocuments, [`https://github.com/lambda-vpc-lint/lambda-vpc-lint/blob/main/docs/rules/${RULE}.md`]);
    // A client that runs it (VS Code) says so, and the server leaves it out of its commands.
    const vscodeLike = new LspClient({ initializationOptions: { clientCommands: ['lambdaVpcLint.showRuleDocumentation'] } });
    try {
      const result = await vscodeLike.initialize();
      assert.deepEqual(result.capabilities.executeCommandProvider, { commands: ['lambdaVpcLint.live.refresh', 'lambdaVpcLint.live.enable'] });
    } finally {
      await vscodeLike.stop();
    }
  });

  it('sends quick fixes without edits to a client that resolves them, and builds the edit on codeAction/resolve', async () => {
    const resolving = new LspClient({
      workspaceFolder: folder.dir,
      settings: { debounceMs: 10 },
      capabilities: {
        ...DEFAULT_CAPABILITIES,
        textDocument: { ...DEFAULT_CAPABILITIES.textDocument, codeAction: { ...DEFAULT_CAPABILITIES.textDocument!.codeAction, dataSupport: true, resolveSupport: { properties: ['edit'] } } },
      },
    });
    try {
      const init = await resolving.initialize();
      assert.equal((init.capabilities.codeActionProvider as { resolveProvider?: boolean }).resolveProvider, true);
      const uri = folder.uri('resolve.yaml');
      await resolving.open(uri, SAM_MISSING_GROUPS);
      const diagnostic = (await resolving.forVersion(uri, 1)).find((d) => d.code === RULE)!;
      const actions = await resolving.codeActions(uri, [diagnostic]);
      const fix = actions.find((a) => a.title === 'Add SecurityGroupIds (to fill in)')!;
      const ignore = actions.find((a) => a.title === `Ignore ${RULE} for this resource`)!;
      assert.equal(fix.edit, undefined);
      assert.equal(ignore.edit, undefined);
      const resolved = await resolving.connection.sendRequest('codeAction/resolve', fix) as CodeAction;
      assert.equal(resolved.title, fix.title);
      assert.ok(resolved.edit, 'the resolved action has an edit');
      const version = await resolving.applyEdit(uri, resolved.edit);
      assert.ok(!codes(await resolving.forVersion(uri, version)).includes(RULE));
      assert.match(resolving.text(uri), /\n {8}SecurityGroupIds:\n {10}- sg-CHANGEME\n/);
      // The suppression offered for version 1 no longer has a finding to suppress: it resolves to no edit.
      const stale = await resolving.connection.sendRequest('codeAction/resolve', ignore) as CodeAction;
      assert.equal(stale.edit, undefined);
    } finally {
      await resolving.stop();
    }
  });

  it('resolves the resource suppression of a stale diagnostic against the current text', async () => {
    const resolving = new LspClient({
      workspaceFolder: folder.dir,
      settings: { debounceMs: 10 },
      capabilities: {
        ...DEFAULT_CAPABILITIES,
        textDocument: { ...DEFAULT_CAPABILITIES.textDocument, codeAction: { ...DEFAULT_CAPABILITIES.textDocument!.codeAction, dataSupport: true, resolveSupport: { properties: ['edit'] } } },
      },
    });
    try {
      await resolving.initialize();
      const uri = folder.uri('resolve-stale.yaml');
      await resolving.open(uri, SAM_MISSING_GROUPS);
      const diagnostic = (await resolving.forVersion(uri, 1)).find((d) => d.code === RULE)!;
      const ignore = (await resolving.codeActions(uri, [diagnostic])).find((a) => a.title === `Ignore ${RULE} for this resource`)!;
      await resolving.change(uri, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '# one\n' }]);
      await resolving.forVersion(uri, 2);
      const resolved = await resolving.connection.sendRequest('codeAction/resolve', ignore) as CodeAction;
      assert.ok(resolved.edit);
      const version = await resolving.applyEdit(uri, resolved.edit);
      assert.ok(!codes(await resolving.forVersion(uri, version)).includes(RULE));
      assert.match(resolving.text(uri), /lambda-vpc-lint:\n {8}ignore:\n {10}- vpc-config-incomplete\n/);
    } finally {
      await resolving.stop();
    }
  });

  it('offers no fix-all action when the only fixes are unsafe', async () => {
    const { uri, diagnostic } = await openWithFinding('fixall-unsafe.yaml', SAM_MISSING_GROUPS);
    const actions = await client.codeActions(uri, [diagnostic], ['source.fixAll.lambdaVpcLint']);
    assert.deepEqual(actions, []);
    // Only the requested kinds come back.
    const quick = await client.codeActions(uri, [diagnostic], ['quickfix']);
    assert.ok(quick.length > 0 && quick.every((a) => a.kind === 'quickfix'));
  });

  // Fix on save: every rule with safe fixes, on its own documentation example.
  const safeRules = allRules.filter((r) => r.fixSafety === 'safe' && r.docs.summary !== 'TODO');
  it('has rules with safe fixes to apply on save', () => assert.ok(safeRules.length > 0));
  for (const rule of safeRules) {
    it(`source.fixAll applies the safe fix of ${rule.id} to its documented example`, async () => {
      const uri = folder.uri(`fixall-${rule.id}.yaml`);
      await client.open(uri, rule.docs.invalid);
      const before = await client.forVersion(uri, 1);
      const finding = before.find((d) => d.code === rule.id);
      assert.ok(finding, `${rule.id} reports on its invalid example: ${JSON.stringify(codes(before))}`);
      const actions = await client.codeActions(uri, [], ['source.fixAll']);
      assert.equal(actions.length, 1);
      assert.equal(actions[0]!.kind, 'source.fixAll.lambdaVpcLint');
      const after = await applyAndCheck(uri, actions[0]);
      assert.ok(!codes(after).includes(rule.id), `${rule.id} after fix all: ${JSON.stringify(codes(after))}\n${client.text(uri)}`);
      assert.ok(!after.some((d) => (d.data as { kind?: string })?.kind === 'problem'), 'the fixed text parses');
    });
  }
});
