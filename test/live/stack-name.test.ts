/**
 * Which deployed stack a template is read from: a name given (for every template or one file), the
 * samconfig environment's `stack_name`, Serverless `provider.stackName` or `<service>-<stage>`; never
 * a guess when a variable cannot be resolved.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StackNameOptions } from '../../server/src/live/stack-name';
import { discoverStackName, parseStackNameArgument } from '../../server/src/live/stack-name';

const DIR = '/repo/app';

function discover(options: Partial<StackNameOptions> & { files?: Record<string, string> }) {
  const files = options.files ?? {};
  return discoverStackName({
    templatePath: `${DIR}/template.yaml`,
    dialect: 'sam',
    readFile: (path) => files[path],
    ...options,
  });
}

describe('discoverStackName', () => {
  it('takes a name given for every template, or for this file (the last that applies wins)', () => {
    assert.deepEqual(discover({ given: ['app-prod'] }), { name: 'app-prod', source: '--stack-name' });
    assert.deepEqual(discover({ given: ['app-prod', 'template.yaml=app-one'], baseDir: DIR }), { name: 'app-one', source: '--stack-name' });
    assert.deepEqual(discover({ given: ['other.yaml=app-other'], baseDir: DIR }), undefined);
  });

  it('reads stack_name of the chosen samconfig environment (deploy, else global)', () => {
    const toml = 'version = 0.1\n[default.deploy.parameters]\nstack_name = "app-dev"\n[prod.global.parameters]\nstack_name = "app-prod"\n';
    const files = { [`${DIR}/samconfig.toml`]: toml };
    assert.deepEqual(discover({ files }), { name: 'app-dev', source: 'samconfig.toml [default]' });
    assert.deepEqual(discover({ files, configEnv: 'prod' }), { name: 'app-prod', source: 'samconfig.toml [prod]' });
    assert.equal(discover({ files, configEnv: 'qa' }), undefined);
    const yaml = 'version: 0.1\ndefault:\n  deploy:\n    parameters:\n      stack_name: app-yaml\n';
    assert.deepEqual(discover({ files: { [`${DIR}/samconfig.yaml`]: yaml } }), { name: 'app-yaml', source: 'samconfig.yaml [default]' });
  });

  it('ignores a samconfig about another template, and a stack_name that is not a stack name', () => {
    const other = 'version = 0.1\n[default.deploy.parameters]\nstack_name = "app"\ntemplate_file = "other.yaml"\n';
    assert.equal(discover({ files: { [`${DIR}/samconfig.toml`]: other } }), undefined);
    const bad = 'version = 0.1\n[default.deploy.parameters]\nstack_name = "my stack"\n';
    assert.equal(discover({ files: { [`${DIR}/samconfig.toml`]: bad } }), undefined);
  });

  it('Serverless: <service>-<stage>, the stage from --stage, else provider.stage, else dev', () => {
    const serverless = (text: string, stage?: string) => discover({ templatePath: `${DIR}/serverless.yml`, dialect: 'serverless', text, ...(stage ? { stage } : {}) });
    assert.deepEqual(serverless('service: orders\nprovider:\n  name: aws\n'), { name: 'orders-dev', source: 'serverless.yml service-stage' });
    assert.deepEqual(serverless('service: orders\nprovider:\n  stage: prod\n'), { name: 'orders-prod', source: 'serverless.yml service-stage' });
    assert.deepEqual(serverless("service: orders\nprovider:\n  stage: ${opt:stage, 'qa'}\n", 'live'), { name: 'orders-live', source: 'serverless.yml service-stage' });
    assert.deepEqual(serverless('service:\n  name: orders\n'), { name: 'orders-dev', source: 'serverless.yml service-stage' });
  });

  it('Serverless: provider.stackName wins, with ${sls:stage} and ${self:service} resolved', () => {
    const text = 'service: orders\nprovider:\n  stage: prod\n  stackName: ${self:service}-api-${sls:stage}\n';
    assert.deepEqual(discover({ templatePath: `${DIR}/serverless.yml`, dialect: 'serverless', text }), { name: 'orders-api-prod', source: 'serverless.yml provider.stackName' });
  });

  it('Serverless: a variable it cannot resolve gives no name rather than a wrong one', () => {
    const text = 'service: orders-${env:TEAM}\nprovider:\n  stage: prod\n';
    assert.equal(discover({ templatePath: `${DIR}/serverless.yml`, dialect: 'serverless', text }), undefined);
    const stackName = 'service: orders\nprovider:\n  stackName: ${param:stack}\n';
    assert.equal(discover({ templatePath: `${DIR}/serverless.yml`, dialect: 'serverless', text: stackName }), undefined);
  });

  it('not a template: no name', () => {
    assert.equal(discover({ dialect: undefined, files: { [`${DIR}/samconfig.toml`]: 'version = 0.1\n[default.deploy.parameters]\nstack_name = "x"\n' } }), undefined);
  });
});

describe('parseStackNameArgument', () => {
  it('splits FILE=NAME and refuses what is not a stack name', () => {
    assert.deepEqual(parseStackNameArgument('app-prod'), { name: 'app-prod' });
    assert.deepEqual(parseStackNameArgument('infra/template.yaml=app-prod'), { file: 'infra/template.yaml', name: 'app-prod' });
    assert.ok('error' in parseStackNameArgument('=app'));
    assert.ok('error' in parseStackNameArgument('app prod'));
    assert.ok('error' in parseStackNameArgument('t.yaml=1app'));
  });
});
