/**
 * The language server as a user meets it in the editor: a finding on the fixture's bad SAM template, silence on
 * a Kubernetes manifest, the quick fix applied through the code-action provider, and the extension's own
 * snippets producing templates without findings.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, codeOf, describeDiagnostics, fileUri, openEditor, ours, sleep, waitFor, waitForFinding, waitForNoFindings } from './util';

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

  describe('snippets', () => {
    // Read while mocha collects the tests, so each snippet is a test of its own.
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const extensionPath = extension?.extensionPath ?? '';
    const contributed: { language: string; path: string }[] = extension?.packageJSON?.contributes?.snippets ?? [];
    const snippets: { name: string; language: string; body: string; description: string }[] = [];
    for (const entry of contributed) {
      const file = JSON.parse(readFileSync(join(extensionPath, entry.path), 'utf8')) as Record<string, { body: string | string[]; description?: string }>;
      for (const [name, s] of Object.entries(file)) {
        snippets.push({ name, language: entry.language, body: Array.isArray(s.body) ? s.body.join('\n') : s.body, description: s.description ?? '' });
      }
    }

    it('contributes snippets for YAML and JSON', () => {
      assert.ok(snippets.some((s) => s.language === 'yaml'), 'no YAML snippet in contributes.snippets');
      assert.ok(snippets.some((s) => s.language === 'json'), 'no JSON snippet in contributes.snippets');
    });

    for (const [i, snippet] of snippets.entries()) {
      it(`"${snippet.name}" (${snippet.language}) inserted into an empty template yields no findings`, async () => {
        const json = snippet.language === 'json';
        const serverless = !json && /serverless/i.test(`${snippet.name} ${snippet.description}`);
        const uri = fileUri(`snippet-${i}.${json ? 'json' : 'yaml'}`);
        // The file starts as a template with a finding, so the server is seen analysing this very file; then it
        // becomes an empty template, and the snippet goes where resources (or Serverless functions) go.
        writeFileSync(uri.fsPath, json ? BAD_JSON : serverless ? BAD_SERVERLESS : readFileSync(fileUri('bad.yaml').fsPath, 'utf8'));
        const editor = await openEditor(uri);
        await waitForFinding(uri, RULE, 90_000);
        const empty = json ? EMPTY_JSON : serverless ? EMPTY_SERVERLESS : EMPTY_YAML;
        const all = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
        assert.ok(await editor.edit((e) => e.replace(all, empty.text)));
        const at = editor.document.positionAt(empty.text.indexOf('|'));
        assert.ok(await editor.edit((e) => e.delete(new vscode.Range(at, at.translate(0, 1)))));
        assert.ok(await editor.insertSnippet(new vscode.SnippetString(snippet.body), at), 'insertSnippet refused');
        // Leave snippet mode: the placeholders keep their defaults.
        await vscode.commands.executeCommand('leaveSnippet');
        await waitForNoFindings(uri, 30_000, 2_000);
        assert.ok(editor.document.getText().length > empty.text.length, 'the snippet inserted nothing');
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
