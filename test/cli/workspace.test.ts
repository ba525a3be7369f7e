/**
 * `check` over repositories that split the network and the functions across templates: `--workspace`,
 * `--stack-name`, samconfig stack names, nested stacks, `${cf:}`; findings in the file that defines the
 * resource, once; and never a read outside the directories the command was given.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { WorkspaceFiles } from '../../server/src/workspace';
import type { JsonFile, JsonFinding, JsonReport } from './support';
import { buildCli, cli, cliJson, ROOT } from './support';

const MULTI = join(ROOT, 'test', 'fixtures', 'multi-template');
const at = (fixture: string) => ({ cwd: join(MULTI, fixture) });

function copy(fixture: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'lvl-ws-')));
  cpSync(join(MULTI, fixture), dir, { recursive: true });
  return dir;
}

const fileOf = (json: JsonReport, file: string): JsonFile | undefined => json.files.find((f) => f.file === file);
const findings = (json: JsonReport, rule: string): (JsonFinding & { file: string })[] =>
  json.files.flatMap((f) => f.findings.filter((x) => x.ruleId === rule).map((x) => ({ ...x, file: f.file })));
type Related = JsonFinding['related'][number] & { file?: string };

describe('check across templates', () => {
  before(buildCli);

  it('exports: the ACL of an imported subnet is reported in the network template, linked to the function', () => {
    const { code, json } = cliJson<JsonReport>(['check', 'app/template.yaml', '--workspace', 'network', '--format', 'json'], at('exact'));
    assert.equal(code, 1);
    const nacl = findings(json, 'nacl-blocks-traffic');
    assert.equal(nacl.length, 1);
    assert.equal(nacl[0]!.file, 'network/vpc.yaml');
    assert.equal(nacl[0]!.resource, 'PrivateAcl');
    assert.deepEqual(nacl[0]!.range.start, { line: 111, character: 2 });
    const related = nacl[0]!.related as Related[];
    assert.equal(related[0]!.file, 'app/template.yaml');
    assert.deepEqual(related[0]!.path, ['Resources', 'Api']);
    assert.equal(fileOf(json, 'app/template.yaml')!.findings.length, 0);
  });

  it('SARIF: the result is located in the network template, its related location in the function\'s', () => {
    const run = cli(['check', 'app/template.yaml', '--workspace', 'network', '--format', 'sarif'], at('exact'));
    const sarif = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; relatedLocations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const nacl = sarif.runs[0]!.results.find((r) => r.ruleId === 'nacl-blocks-traffic')!;
    assert.equal(nacl.locations[0]!.physicalLocation.artifactLocation.uri, 'network/vpc.yaml');
    assert.equal(nacl.locations[0]!.physicalLocation.region.startLine, 112);
    assert.equal(nacl.relatedLocations[0]!.physicalLocation.artifactLocation.uri, 'app/template.yaml');
    assert.equal(nacl.relatedLocations[0]!.physicalLocation.region.startLine, 5);
  });

  it('the same run without the network template cannot follow the function', () => {
    const { json } = cliJson<JsonReport>(['check', 'app/template.yaml', '--format', 'json'], at('exact'));
    assert.equal(findings(json, 'nacl-blocks-traffic').length, 0);
    assert.equal(json.files.length, 1);
    const alone = (json.files[0] as unknown as { functions: { network: string; factSources: string[] }[] }).functions[0]!;
    assert.equal(alone.network, 'unknown');
    assert.equal(findings(json, 'network-unknown').length, 1);
  });

  it('with the network template, the function is checked and its facts come from that template', () => {
    const { json } = cliJson<JsonReport>(['check', 'app/template.yaml', '--workspace', 'network', '--format', 'json'], at('exact'));
    const fn = (fileOf(json, 'app/template.yaml') as unknown as { functions: { network: string; factSources: string[] }[] }).functions[0]!;
    assert.equal(fn.network, 'checked');
    assert.deepEqual(fn.factSources, ['template', 'workspace:network/vpc.yaml']);
    assert.equal(findings(json, 'network-unknown').length, 0);
  });

  it('a shared resource found through two importing templates is reported once; text output names both files', () => {
    const dir = copy('exact');
    mkdirSync(join(dir, 'app2'));
    writeFileSync(join(dir, 'app2/template.yaml'), readFileSync(join(dir, 'app/template.yaml'), 'utf8'));
    const { json } = cliJson<JsonReport>(['check', '.', '--format', 'json'], { cwd: dir });
    assert.equal(findings(json, 'nacl-blocks-traffic').length, 1);
    assert.equal(json.summary.errors, 1);
    const text = cli(['check', '.'], { cwd: dir }).stdout;
    assert.match(text, /^network\/vpc\.yaml:112:3 error nacl-blocks-traffic /m);
    assert.match(text, /related app\/template\.yaml:5:3 Function Api runs in/);
  });

  it('stack names from samconfig pick the exporter; --stack-name FILE=NAME overrides them', () => {
    const args = ['check', 'app/template.yaml', '--workspace', 'network', '--workspace', 'staging', '--format', 'json'];
    const { json } = cliJson<JsonReport>(args, at('stack-name'));
    const stuck = findings(json, 'missing-endpoint');
    assert.equal(stuck.length, 1);
    assert.equal(stuck[0]!.severity, 'error');
    assert.ok((stuck[0]!.related as Related[]).some((r) => r.file === 'network/template.yaml'));
    const renamed = cliJson<JsonReport>([...args, '--stack-name', 'network/template.yaml=net-other'], at('stack-name')).json;
    assert.equal(findings(renamed, 'missing-endpoint').length, 0);
  });

  it('a wildcard match is assumed and says which template it assumed; two matches say nothing', () => {
    const { json } = cliJson<JsonReport>(['check', 'app/template.yaml', '--workspace', '.', '--format', 'json'], at('wildcard'));
    const stuck = findings(json, 'missing-endpoint');
    assert.equal(stuck.length, 1);
    assert.equal(stuck[0]!.severity, 'warning');
    assert.match(stuck[0]!.message, /\(assuming the export of network\/vpc\.yaml, whose stack name is not known\)/);
    assert.equal(findings(cliJson<JsonReport>(['check', 'app', '--workspace', '.', '--format', 'json'], at('ambiguous')).json, 'missing-endpoint').length, 0);
  });

  it('nested stacks: parameters flow into the child; a SAM application\'s outputs flow back', () => {
    const nested = cliJson<JsonReport>(['check', '.', '--format', 'json'], at('nested')).json;
    assert.equal(findings(nested, 'missing-endpoint')[0]?.file, 'stacks/functions.yaml');
    const app = cliJson<JsonReport>(['check', 'template.yaml', '--format', 'json'], at('sam-app')).json;
    assert.equal(findings(app, 'missing-endpoint')[0]?.file, 'template.yaml');
  });

  it('${cf:stack.Output} reads the template deployed as that stack', () => {
    const { json } = cliJson<JsonReport>(['check', 'service/serverless.yml', '--workspace', 'network', '--format', 'json'], at('cf'));
    assert.equal(findings(json, 'missing-endpoint')[0]?.file, 'service/serverless.yml');
  });

  it('a missing exporter and a cycle of imports end quietly, with no internal error', () => {
    for (const fixture of ['missing', 'cycle']) {
      const { code, json } = cliJson<JsonReport>(['check', '.', '--format', 'json'], at(fixture));
      assert.equal(code, 0, fixture);
      assert.equal(json.summary.problems, 0, fixture);
      assert.equal(findings(json, 'missing-endpoint').length, 0, fixture);
    }
  });

  it('a TemplateURL outside the directories named is neither read nor shown', () => {
    const run = cli(['check', 'app', '--format', 'json'], at('outside'));
    assert.equal(run.code, 0);
    assert.doesNotMatch(run.stdout + run.stderr, /PRIVATE-MARKER/);
    const json = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(json.files.map((f) => f.file), ['app/template.yaml']);
    assert.equal(findings(json, 'missing-endpoint').length, 0);
    // With its directory given to the command, the same template is read and the function followed.
    const wider = cliJson<JsonReport>(['check', 'app', '--workspace', 'private', '--format', 'json'], at('outside')).json;
    assert.equal(findings(wider, 'missing-endpoint').length, 1);
  });

  it('rejects a --stack-name that is not a stack name, and a --workspace that is not a directory', () => {
    const bad = cli(['check', 'template.yaml', '--stack-name', 'a=b c'], at('missing'));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'b c' is not a stack name/);
    const missing = cli(['check', 'template.yaml', '--workspace', 'nowhere'], at('missing'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--workspace 'nowhere': not a directory/);
  });
});

describe('the workspace reads only inside its directories', () => {
  const outsideTemplate = (marker: string) => `AWSTemplateFormatVersion: '2010-09-09'\nDescription: ${marker}\nResources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties: { VpcId: vpc-1, CidrBlock: 10.0.0.0/24 }\n`;
  const parent = (url: string) => `Resources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${url}\n`;

  it('follows a local TemplateURL inside, not one outside: relative, absolute or through a symbolic link', () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'lvl-ws-')));
    const inside = join(base, 'repo');
    const outside = join(base, 'secret');
    mkdirSync(join(inside, 'stacks'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'creds.yaml'), outsideTemplate('OUTSIDE'));
    writeFileSync(join(inside, 'stacks', 'child.template.txt'), outsideTemplate('INSIDE'));
    symlinkSync(outside, join(inside, 'link'));
    writeFileSync(join(inside, 'a.yaml'), parent('../secret/creds.yaml'));
    writeFileSync(join(inside, 'b.yaml'), parent(join(outside, 'creds.yaml')));
    writeFileSync(join(inside, 'c.yaml'), parent('link/creds.yaml'));
    writeFileSync(join(inside, 'd.yaml'), parent('stacks/child.template.txt'));
    const files = new WorkspaceFiles({ roots: [inside], display: (p) => p }).load();
    assert.equal(files.has(join(outside, 'creds.yaml')), false);
    assert.equal(files.has(join(inside, 'link', 'creds.yaml')), false);
    // A nested template inside is read even when its name is not a template file's.
    assert.equal(files.has(join(inside, 'stacks', 'child.template.txt')), true);
    assert.equal(files.size, 5);
  });
});
