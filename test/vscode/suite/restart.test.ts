/**
 * The language server process dying is not the end: the client starts it again, and findings come back
 * for what is open and for edits made after. The test finds the server process by its bundle path and
 * the IPC flag the client starts it with, and kills it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { activateExtension, fileUri, openEditor, sleep, waitFor, waitForFinding } from './util';

const RULE = 'vpc-config-incomplete';

/** Process ids of this extension's language servers (`node .../dist/server.js --node-ipc ...`). */
function serverPids(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => /[/\\]dist[/\\]server\.js\b/.test(line) && line.includes('--node-ipc'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
}

describe('language server restart', () => {
  before(async function () {
    this.timeout(120_000);
    await activateExtension();
  });

  after(async () => {
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('comes back after its process is killed, and analyses new edits', async function () {
    this.timeout(150_000);
    const uri = fileUri('bad.yaml');
    const editor = await openEditor(uri);
    const before = await waitForFinding(uri, RULE, 90_000);
    const pids = await waitFor(() => (serverPids().length > 0 ? serverPids() : undefined), 30_000, () => 'no language server process found');
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const restarted = await waitFor(() => serverPids().find((pid) => !pids.includes(pid)), 60_000, () => `no new server process after killing ${pids.join(', ')}`);
    assert.ok(!pids.includes(restarted));
    await sleep(1_000);
    // An edit the old process never saw: two lines above the finding move it down by two.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# restarted\n# server\n'));
    const after = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(uri).find((x) => (typeof x.code === 'object' ? x.code.value : x.code) === RULE);
      return d && d.range.start.line === before.range.start.line + 2 ? d : undefined;
    }, 60_000, () => `the finding did not come back on line ${before.range.start.line + 3}`);
    assert.match(after.message, /SecurityGroupIds/);
  });
});
