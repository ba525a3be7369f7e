/** What the status bar shows for each analysis state (client/src/status-model.ts, no VS Code needed). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backgroundColorId, statusView } from '../../client/src/status-model';

const uri = 'file:///t.yaml';

describe('status bar model', () => {
  it('is hidden for documents that are not templates, and before any report', () => {
    assert.equal(statusView(undefined, 'running'), undefined);
    assert.equal(statusView({ uri, version: 1, state: 'not-template' }, 'running'), undefined);
    assert.equal(statusView({ uri, version: null, state: 'closed' }, 'running'), undefined);
  });

  it('spins while an analysis is pending', () => {
    assert.equal(statusView({ uri, version: 2, state: 'pending', dialect: 'sam' }, 'running')?.text, '$(sync~spin) VPC Lint');
  });

  it('counts findings by severity, with the problems among the errors', () => {
    const view = statusView({ uri, version: 3, state: 'done', dialect: 'sam', durationMs: 4.2, counts: { error: 1, warning: 2, info: 0, problems: 1 } }, 'running')!;
    assert.equal(view.text, 'VPC Lint $(error) 2 $(warning) 2');
    assert.equal(view.tone, 'error');
    assert.equal(view.tooltip, 'lambda-vpc-lint: SAM template analysed in 4.2 ms: 1 error, 2 warnings, 0 info; 1 problem reading the file. Click to open the Problems view.');
    assert.equal(view.command, 'workbench.actions.view.problems');
    const clean = statusView({ uri, version: 3, state: 'done', dialect: 'cloudformation', counts: { error: 0, warning: 0, info: 0, problems: 0 } }, 'running')!;
    assert.equal(clean.text, '$(pass) VPC Lint');
    assert.equal(clean.tone, 'normal');
    assert.equal(statusView({ uri, version: 3, state: 'done', counts: { error: 0, warning: 1, info: 3, problems: 0 } }, 'running')!.tone, 'warning');
  });

  it('says when the analysis failed or was skipped, and why', () => {
    const failed = statusView({ uri, version: 1, state: 'failed', reason: 'TypeError: x' }, 'running')!;
    assert.equal(failed.tone, 'error');
    assert.match(failed.tooltip, /TypeError: x/);
    assert.match(statusView({ uri, version: 1, state: 'skipped', reason: 'This file is 6 MB' }, 'running')!.tooltip, /skipped this file: This file is 6 MB/);
  });

  it('offers a restart when the server stopped, whatever the document', () => {
    const view = statusView(undefined, 'stopped')!;
    assert.equal(view.command, 'lambdaVpcLint.restartServer');
    assert.equal(view.tone, 'error');
  });

  it('keeps the normal background unless severity colours are configured', () => {
    assert.equal(backgroundColorId('error', false), undefined);
    assert.equal(backgroundColorId('warning', false), undefined);
    assert.equal(backgroundColorId('error', true), 'statusBarItem.errorBackground');
    assert.equal(backgroundColorId('warning', true), 'statusBarItem.warningBackground');
    assert.equal(backgroundColorId('normal', true), undefined);
  });
});
