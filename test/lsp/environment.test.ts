/**
 * The environment picker's data: what the server lists (samconfig environments, Serverless `params`
 * stages), the picks the client offers, and the status bar item.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentPicks, environmentView, typedPick } from '../../client/src/environment-model';
import { collectEnvironments, serverlessStages } from '../../server/src/lsp/environments';

describe('environments found', () => {
  it('lists samconfig environments (TOML and YAML) and Serverless stages, each once with its sources', () => {
    const toml = { path: '/w/api/samconfig.toml', text: 'version = 0.1\n[default.deploy.parameters]\nstack_name = "a"\n[prod.deploy.parameters]\nstack_name = "b"\n' };
    const yaml = { path: '/w/web/samconfig.yaml', text: 'version: 0.1\nstaging:\n  deploy:\n    parameters:\n      stack_name: c\n' };
    const broken = { path: '/w/x/samconfig.toml', text: '[[[' };
    const sls = { path: '/w/fn/serverless.yml', text: 'service: fn\nparams:\n  default:\n    a: 1\n  prod:\n    a: 2\n  dev:\n    a: 3\nresources:\n  Resources:\n    T:\n      Type: AWS::SNS::Topic\n      Properties:\n        TopicName: !Ref AWS::StackName\n' };
    const label = (p: string) => p.slice('/w/'.length);
    assert.deepEqual(collectEnvironments([toml, yaml, broken], [sls], label), [
      { name: 'default', sources: ['api/samconfig.toml'] },
      { name: 'prod', sources: ['api/samconfig.toml', 'fn/serverless.yml params'] },
      { name: 'staging', sources: ['web/samconfig.yaml'] },
      { name: 'dev', sources: ['fn/serverless.yml params'] },
    ]);
  });

  it('finds no stage in a Serverless file without params, or one that does not parse', () => {
    assert.deepEqual(serverlessStages('service: a\nprovider:\n  stage: prod\n'), []);
    assert.deepEqual(serverlessStages('service: a\nparams: [1]\n'), []);
    assert.deepEqual(serverlessStages('service: a\nparams:\n  prod: {\n'), []);
  });
});

describe('environment picks', () => {
  const found = [{ name: 'default', sources: ['samconfig.toml'] }, { name: 'prod', sources: ['samconfig.toml', 'serverless.yml params'] }];

  it('offers what was found and the default, marking the current one; no made-up suggestions', () => {
    const picks = environmentPicks(found, 'prod');
    assert.deepEqual(picks.map((p) => [p.label, p.description ?? '', p.value]), [
      ['default', '', 'default'],
      ['prod', 'current', 'prod'],
      ['Default', '', ''],
    ]);
    assert.deepEqual(environmentPicks([], undefined).map((p) => p.label), ['Default']);
    assert.equal(picks[1]!.detail, 'samconfig.toml, serverless.yml params');
    // Nothing chosen: the default is current.
    assert.equal(environmentPicks([], undefined).at(-1)!.description, 'current');
  });

  it('keeps a current environment that no file has', () => {
    assert.deepEqual(environmentPicks(found, 'qa')[0], { label: 'qa', description: 'current', detail: 'not found in any samconfig or Serverless file', value: 'qa' });
  });

  it('offers a typed name that is new and valid', () => {
    const picks = environmentPicks(found, undefined);
    assert.deepEqual(typedPick(' qa ', picks), { label: 'qa', description: 'use this environment', value: 'qa' });
    assert.equal(typedPick('prod', picks), undefined);
    assert.equal(typedPick('no spaces', picks), undefined);
    assert.equal(typedPick('', picks), undefined);
  });
});

describe('environment status item', () => {
  const status = { uri: 'file:///w/template.yaml', version: 1, state: 'done' as const, dialect: 'sam', environments: true };

  it('shows the environment of a template, and runs the picker', () => {
    const view = environmentView(status, 'prod')!;
    assert.equal(view.text, '$(layers) prod');
    assert.equal(view.command, 'lambdaVpcLint.selectEnvironment');
    assert.match(view.tooltip, /'prod' \(samconfig environment\)/);
    assert.equal(environmentView(status, '')!.text, '$(layers) default');
    assert.match(environmentView({ ...status, dialect: 'serverless' }, undefined)!.tooltip, /provider\.stage, else dev/);
  });

  it('hides for a template no environment changes (no samconfig), unless one is chosen', () => {
    const alone = { ...status, environments: undefined };
    assert.equal(environmentView(alone, undefined), undefined);
    assert.equal(environmentView(alone, ' '), undefined);
    assert.equal(environmentView(alone, 'prod')!.text, '$(layers) prod');
  });

  it('hides for documents that are not templates', () => {
    assert.equal(environmentView(undefined, 'prod'), undefined);
    assert.equal(environmentView({ ...status, state: 'not-template' }, 'prod'), undefined);
    assert.equal(environmentView({ ...status, state: 'closed', version: null }, 'prod'), undefined);
  });
});
