/**
 * Parameter files: every format, per samconfig environment, SAM's quoting of `Key=Value` pairs, and the
 * loader's choice of files (named ones first, else a samconfig beside a SAM or CloudFormation template).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadParameterValues } from '../../server/src/params/load';
import { parseOverrides, parseSamconfig, readParameterData } from '../../server/src/params/parse';

describe('Key=Value overrides', () => {
  it('reads pairs separated by white space, with quoted values holding spaces and commas', () => {
    const r = parseOverrides(`A=1 B="x y" C='it''s' Subnets="subnet-1,subnet-2"\n  D=plain`);
    assert.deepEqual(r.params, { A: '1', B: 'x y', C: "it''s", Subnets: 'subnet-1,subnet-2', D: 'plain' });
    assert.deepEqual(r.problems, []);
  });

  it('undoes backslash escapes and keeps = inside values', () => {
    const r = parseOverrides(String.raw`Name=a\ b Quote=\"q\" Url=https://x.example.com/?a=1`);
    assert.deepEqual(r.params, { Name: 'a b', Quote: '"q"', Url: 'https://x.example.com/?a=1' });
  });

  it('accepts the ParameterKey=...,ParameterValue=... form', () => {
    const r = parseOverrides('ParameterKey=Env,ParameterValue=prod ParameterKey=Subnets,ParameterValue="subnet-1,subnet-2"');
    assert.deepEqual(r.params, { Env: 'prod', Subnets: 'subnet-1,subnet-2' });
  });

  it('reports words that are not pairs, and keeps the others', () => {
    const r = parseOverrides('A=1 stray B=2');
    assert.deepEqual(r.params, { A: '1', B: '2' });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /'stray' is not a Key=Value pair/);
  });

  it('gives an empty value for Key=', () => {
    assert.deepEqual(parseOverrides('Empty= Other=""').params, { Empty: '', Other: '' });
  });
});

describe('samconfig', () => {
  const toml = `version = 0.1
[default.global.parameters]
region = "eu-west-1"
parameter_overrides = "Shared=g Env=global"

[default.deploy.parameters]
stack_name = "app"
parameter_overrides = "Env=dev Subnets=\\"subnet-a,subnet-b\\" Name=\\"my app\\""

[prod.deploy.parameters]
region = "us-east-2"
parameter_overrides = ["Env=prod", "Subnets=subnet-c,subnet-d", "Name='prod app'"]
`;

  it('reads the default environment: global values, then deploy values over them, and the region', () => {
    const r = parseSamconfig(toml, 'toml');
    assert.equal(r.environment, 'default');
    assert.deepEqual(r.params, { Shared: 'g', Env: 'dev', Subnets: 'subnet-a,subnet-b', Name: 'my app' });
    assert.equal(r.region, 'eu-west-1');
    assert.deepEqual(r.environments, ['default', 'prod']);
    assert.deepEqual(r.problems, []);
  });

  it('reads another environment, with parameter_overrides as a list', () => {
    const r = parseSamconfig(toml, 'toml', 'prod');
    assert.deepEqual(r.params, { Env: 'prod', Subnets: 'subnet-c,subnet-d', Name: 'prod app' });
    assert.equal(r.region, 'us-east-2');
  });

  it('says when the environment is missing, naming the ones there are', () => {
    const r = parseSamconfig(toml, 'toml', 'staging');
    assert.deepEqual(r.params, {});
    assert.match(r.problems[0]!, /no environment 'staging' \(it has 'default', 'prod'\)/);
  });

  it('reads samconfig.yaml the same way', () => {
    const yaml = `version: 0.1
default:
  deploy:
    parameters:
      stack_name: app
      region: ap-southeast-2
      template_file: template.yaml
      parameter_overrides:
        - Env=dev
        - Subnets=subnet-a,subnet-b
`;
    const r = parseSamconfig(yaml, 'yaml');
    assert.deepEqual(r.params, { Env: 'dev', Subnets: 'subnet-a,subnet-b' });
    assert.equal(r.region, 'ap-southeast-2');
    assert.equal(r.templateFile, 'template.yaml');
  });

  it('falls back to sync when deploy has no parameter_overrides', () => {
    const r = parseSamconfig(`version = 0.1\n[default.sync.parameters]\nparameter_overrides = "Env=sync"\n`, 'toml');
    assert.deepEqual(r.params, { Env: 'sync' });
  });

  it('says why a broken file cannot be read, never throws', () => {
    const r = parseSamconfig('[default.deploy.parameters\nx = ', 'toml');
    assert.deepEqual(r.params, {});
    assert.match(r.problems[0]!, /cannot be read/);
  });
});

describe('other parameter files', () => {
  it('reads the CloudFormation list, joining list values and skipping UsePreviousValue', () => {
    const r = readParameterData([
      { ParameterKey: 'Subnets', ParameterValue: 'subnet-1,subnet-2' },
      { ParameterKey: 'Azs', ParameterValue: ['a', 'b'] },
      { ParameterKey: 'Port', ParameterValue: 5432 },
      { ParameterKey: 'Old', UsePreviousValue: true },
    ]);
    assert.equal(r.format, 'cloudformation-json');
    assert.deepEqual(r.params, { Subnets: 'subnet-1,subnet-2', Azs: 'a,b', Port: '5432' });
    assert.match(r.problems[0]!, /Old uses the stack's previous value/);
  });

  it('reads a plain map and CodePipeline\'s { "Parameters": { ... } }', () => {
    assert.deepEqual(readParameterData({ A: 'x', B: ['1', '2'], C: true }).params, { A: 'x', B: '1,2', C: 'true' });
    assert.deepEqual(readParameterData({ Parameters: { A: 'x' }, Tags: { T: 'y' } }).params, { A: 'x' });
  });

  it('reads a JSON list of Key=Value strings', () => {
    const r = readParameterData(['A=1', 'B="two words"']);
    assert.equal(r.format, 'overrides');
    assert.deepEqual(r.params, { A: '1', B: 'two words' });
  });
});

describe('loadParameterValues', () => {
  const files = (map: Record<string, string>) => (path: string) => map[path];

  it('finds samconfig.toml beside a SAM template and says which environment it used', () => {
    const r = loadParameterValues({
      templatePath: '/p/template.yaml',
      dialect: 'sam',
      readFile: files({ '/p/samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "A=1"\nregion = "us-west-2"\n' }),
    });
    assert.deepEqual(r.params, { A: '1' });
    assert.equal(r.region, 'us-west-2');
    assert.deepEqual(r.sources, [{ path: '/p/samconfig.toml', format: 'samconfig-toml', count: 1, discovered: true, environment: 'default' }]);
  });

  it('prefers samconfig.toml over samconfig.yaml, and reads the yaml one when it is alone', () => {
    const both = { '/p/samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "From=toml"\n', '/p/samconfig.yaml': 'version: 0.1\ndefault:\n  deploy:\n    parameters:\n      parameter_overrides: From=yaml\n' };
    assert.deepEqual(loadParameterValues({ templatePath: '/p/t.yaml', readFile: files(both) }).params, { From: 'toml' });
    const yamlOnly = { '/p/samconfig.yaml': both['/p/samconfig.yaml'] };
    assert.deepEqual(loadParameterValues({ templatePath: '/p/t.yaml', readFile: files(yamlOnly) }).params, { From: 'yaml' });
  });

  it('uses the environment asked for', () => {
    const r = loadParameterValues({
      templatePath: '/p/template.yaml',
      configEnv: 'prod',
      readFile: files({ '/p/samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "Env=dev"\n[prod.deploy.parameters]\nparameter_overrides = "Env=prod"\n' }),
    });
    assert.deepEqual(r.params, { Env: 'prod' });
    assert.equal(r.sources[0]!.environment, 'prod');
  });

  it('leaves a samconfig that names another template alone', () => {
    const r = loadParameterValues({
      templatePath: '/p/other.yaml',
      readFile: files({ '/p/samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\ntemplate_file = "template.yaml"\nparameter_overrides = "A=1"\n' }),
    });
    assert.deepEqual(r.params, {});
    assert.deepEqual(r.sources, []);
  });

  it('never reads a samconfig for a Serverless template', () => {
    const r = loadParameterValues({ templatePath: '/p/serverless.yml', dialect: 'serverless', readFile: files({ '/p/samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "A=1"\n' }) });
    assert.deepEqual(r.params, {});
  });

  it('reads named files instead, in order, relative to the base folder, later files winning', () => {
    const r = loadParameterValues({
      templatePath: '/p/template.yaml',
      baseDir: '/work',
      paramsFiles: ['params/dev.json', '/abs/overrides.env', 'params/extra.yaml'],
      readFile: files({
        '/p/samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "Ignored=1"\n',
        '/work/params/dev.json': JSON.stringify([{ ParameterKey: 'A', ParameterValue: '1' }, { ParameterKey: 'B', ParameterValue: '1' }]),
        '/abs/overrides.env': '# deploy overrides\nB=2 C="three words"\n\nD=4\n',
        '/work/params/extra.yaml': 'Parameters:\n  D: 5\n',
      }),
    });
    assert.deepEqual(r.params, { A: '1', B: '2', C: 'three words', D: '5' });
    assert.deepEqual(r.sources.map((s) => [s.path, s.format]), [['/work/params/dev.json', 'cloudformation-json'], ['/abs/overrides.env', 'overrides'], ['/work/params/extra.yaml', 'map']]);
  });

  it('reads a file of another name as YAML when it holds a map, else as Key=Value pairs', () => {
    const r = loadParameterValues({
      templatePath: '/p/template.yaml',
      paramsFiles: ['/p/dev.params', '/p/prod.params'],
      readFile: files({ '/p/dev.params': 'Env: dev\nSubnets: [subnet-1, subnet-2]\n', '/p/prod.params': 'Env=prod Other=x:y' }),
    });
    assert.deepEqual(r.params, { Env: 'prod', Subnets: 'subnet-1,subnet-2', Other: 'x:y' });
    assert.deepEqual(r.sources.map((s) => s.format), ['map', 'overrides']);
  });

  it('reads a named samconfig with the environment asked for', () => {
    const r = loadParameterValues({
      templatePath: '/p/template.yaml',
      paramsFiles: ['/cfg/samconfig-ci.toml'],
      configEnv: 'ci',
      readFile: files({ '/cfg/samconfig-ci.toml': 'version = 0.1\n[ci.deploy.parameters]\nparameter_overrides = "Env=ci"\n' }),
    });
    assert.deepEqual(r.params, { Env: 'ci' });
  });

  it('tells what it could not read or use', () => {
    const r = loadParameterValues({
      templatePath: '/p/template.yaml',
      paramsFiles: ['/missing.json', '/broken.json', '/p/samconfig.toml'],
      configEnv: 'prod',
      readFile: files({ '/broken.json': '{ nope', '/p/samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "A=1"\n' }),
    });
    assert.deepEqual(r.params, {});
    assert.equal(r.notices.length, 3);
    assert.match(r.notices[0]!, /\/missing.json: the parameter file cannot be read/);
    assert.match(r.notices[1]!, /\/broken.json: the parameter file cannot be read/);
    assert.match(r.notices[2]!, /no environment 'prod'/);
  });
});
