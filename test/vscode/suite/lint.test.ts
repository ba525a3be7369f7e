/**
 * The language server as a user meets it in the editor: a finding on the fixture's bad SAM template, silence on
 * a Kubernetes manifest, the quick fix applied through the code-action provider, and the snippets the server
 * offers (a whole template in an empty file, resources under Resources) producing templates without findings.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, codeOf, describeDiagnostics, fileUri, openEditor, ours, sleep, waitFor, waitForFinding, waitForNoFindings } from './util';

const RULE = 'vpc-config-incomplete';

describe('language server in the editor', () => {
  before(async function () {
    this.timeout(120_000);
    await activateExtension();
  });

  afterEach(async () => {
    // Revert what a test left unsaved, so closing asks nothing.
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it(`reports ${RULE} on bad.yaml`, async () => {
    const uri = fileUri('bad.yaml');
    await openEditor(uri);
    const finding = await waitForFinding(uri, RULE, 90_000);
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Error);
    assert.match(finding.message, /SecurityGroupIds/);
    // On the SubnetIds of OrdersFunction's VpcConfig.
    const doc = await vscode.workspace.openTextDocument(uri);
    const vpcConfigLine = doc.getText().split('\n').findIndex((l) => l.includes('VpcConfig:'));
    assert.ok(finding.range.start.line >= vpcConfigLine, `finding on line ${finding.range.start.line + 1}, above VpcConfig`);
  });

  it('reports nothing on k8s.yaml (not a template)', async () => {
    // bad.yaml first, so the server is known to be up and answering.
    const bad = fileUri('bad.yaml');
    await openEditor(bad);
    await waitForFinding(bad, RULE, 90_000);
    const uri = fileUri('k8s.yaml');
    await openEditor(uri);
    await sleep(3_000);
    assert.deepEqual(ours(uri), [], describeDiagnostics(uri));
    assert.deepEqual(vscode.languages.getDiagnostics(uri), [], describeDiagnostics(uri));
  });

  it('applies the quick fix through the code-action provider, and the finding goes', async () => {
    const uri = fileUri('bad.yaml');
    const editor = await openEditor(uri);
    const finding = await waitForFinding(uri, RULE, 90_000);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      finding.range,
      vscode.CodeActionKind.QuickFix.value,
      // The server builds a fix's edit on codeAction/resolve: ask VS Code to resolve the actions it returns.
      10,
    );
    // CodeActions (not bare Commands). vscode.executeCodeActionProvider does not hand back each action's
    // diagnostics, so the fix is told from the "ignore" and "show documentation" actions by its title.
    const codeActions = (actions ?? []).filter((a): a is vscode.CodeAction => !(typeof (a as vscode.Command).command === 'string'));
    const listed = codeActions.map((a) => `${a.title} [${a.kind?.value ?? '-'}${a.isPreferred ? ', preferred' : ''}]`).join(' | ') || 'none';
    const fixes = codeActions.filter((a) => (a.edit || a.command) && !/^(Ignore|Show documentation)\b/i.test(a.title));
    assert.ok(fixes.length > 0, `no quick fix for ${RULE}; actions: ${listed}`);
    const fix = fixes.find((a) => /SecurityGroupIds/.test(a.title)) ?? fixes.find((a) => a.isPreferred) ?? fixes[0]!;
    const before = editor.document.getText();
    if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), `applyEdit refused "${fix.title}"`);
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitFor(() => (editor.document.getText() !== before ? true : undefined), 10_000, () => `"${fix.title}" changed nothing`);
    const fixed = () => `after "${fix.title}":\n${editor.document.getText()}`;
    assert.match(editor.document.getText(), /SecurityGroupIds/, fixed());
    await waitForNoFindings(uri, 30_000, 2_000, (d) => codeOf(d) === RULE).catch((err: Error) => {
      throw new Error(`${err.message}\n${fixed()}`);
    });
    // The fix leaves valid YAML: no parse problem either.
    assert.deepEqual(ours(uri).map((d) => d.message), [], fixed());
  });

  describe('snippets from the language server', () => {
    /** The snippet completions at a position, as the editor's Ctrl+Space gets them. */
    async function snippetsAt(uri: vscode.Uri, at: vscode.Position): Promise<vscode.CompletionItem[]> {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
      return (list?.items ?? []).filter((i) => i.kind === vscode.CompletionItemKind.Snippet && i.insertText instanceof vscode.SnippetString);
    }
    const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);

    it('offers the whole-template snippet in an empty file; inserted, it is a template without findings', async () => {
      const uri = fileUri('empty-template.yaml');
      writeFileSync(uri.fsPath, '');
      const editor = await openEditor(uri);
      const offered = await waitFor(async () => {
        const items = await snippetsAt(uri, new vscode.Position(0, 0));
        return items.length > 0 ? items : undefined;
      }, 60_000, () => 'no snippet offered in the empty file');
      assert.deepEqual(offered.map(labelOf), ['lambda-vpc-sam-template']);
      assert.ok(await editor.insertSnippet(offered[0]!.insertText as vscode.SnippetString, new vscode.Position(0, 0)), 'insertSnippet refused');
      await vscode.commands.executeCommand('leaveSnippet');
      assert.match(editor.document.getText(), /^AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n/);
      await waitForNoFindings(uri, 30_000, 2_000);
    });

    for (const format of ['yaml', 'json', 'serverless'] as const) {
      it(`offers its ${format} snippets where a resource goes; each inserted yields no findings`, async function () {
        this.timeout(240_000);
        // Looked up here: the constants are defined below, after the tests are collected.
        const bad = format === 'json' ? BAD_JSON : format === 'serverless' ? BAD_SERVERLESS : null;
        const empty = format === 'json' ? EMPTY_JSON : format === 'serverless' ? EMPTY_SERVERLESS : EMPTY_YAML;
        const json = format === 'json';
        const uri = fileUri(`snippet-${format}.${json ? 'json' : 'yaml'}`);
        // The file starts as a template with a finding, so the server is seen analysing this very file; then it
        // becomes an empty template, and each snippet goes where resources (or Serverless functions) go.
        writeFileSync(uri.fsPath, bad ?? readFileSync(fileUri('bad.yaml').fsPath, 'utf8'));
        let editor = await openEditor(uri);
        const language = json ? 'json' : 'yaml';
        // The server takes YAML and JSON documents only: a file association must not have made it another language.
        if (editor.document.languageId !== language) editor = await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(editor.document, language));
        await waitForFinding(uri, RULE, 90_000).catch((err: Error) => {
          throw new Error(`${err.message} (language ${editor.document.languageId})`);
        });
        const all = () => new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
        assert.ok(await editor.edit((e) => e.replace(all(), empty.text.replace('|', ''))));
        const at = editor.document.positionAt(empty.text.indexOf('|'));
        await waitForNoFindings(uri, 30_000, 1_000);
        const offered = await waitFor(async () => {
          const items = await snippetsAt(uri, at);
          return items.length > 0 ? items : undefined;
        }, 30_000, () => `no snippet offered at ${at.line}:${at.character}`);
        assert.ok(offered.length >= (format === 'serverless' ? 1 : 7), offered.map(labelOf).join(', '));
        for (const item of offered) {
          assert.ok(await editor.edit((e) => e.replace(all(), empty.text.replace('|', ''))));
          assert.ok(await editor.insertSnippet(item.insertText as vscode.SnippetString, at), `insertSnippet refused ${labelOf(item)}`);
          // Leave snippet mode: the placeholders keep their defaults.
          await vscode.commands.executeCommand('leaveSnippet');
          // A snippet names the VPC, subnets and database of the template it goes into: here, alone, those ids are
          // undefined, which unresolved-reference rightly says; every other rule must stay quiet.
          await waitForNoFindings(uri, 30_000, 2_000, (d) => codeOf(d) !== 'unresolved-reference').catch((err: Error) => {
            throw new Error(`${labelOf(item)}: ${err.message}\n${editor.document.getText()}`);
          });
          assert.ok(editor.document.getText().length > empty.text.length, `${labelOf(item)} inserted nothing`);
        }
      });
    }
  });
});

/** Templates with one vpc-config-incomplete finding each, and empty templates with `|` where the snippet goes. */
const BAD_JSON = `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Role": "arn:aws:iam::123456789012:role/r", "VpcConfig": { "SubnetIds": ["subnet-1", "subnet-2"] } }
    }
  }
}
`;
const BAD_SERVERLESS = `service: e2e
provider:
  name: aws
  runtime: nodejs20.x
functions:
  api:
    handler: handler.main
    vpc:
      subnetIds: [subnet-1, subnet-2]
`;
const EMPTY_YAML = { text: "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  |\n" };
const EMPTY_JSON = { text: '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Transform": "AWS::Serverless-2016-10-31",\n  "Resources": {\n    |\n  }\n}\n' };
const EMPTY_SERVERLESS = { text: 'service: e2e\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  |\n' };
