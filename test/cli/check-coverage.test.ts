/**
 * What `check` says it could not check, in every format: `functions[]` and `summary.functions` in JSON,
 * the text format's last line, `network-unknown` as a SARIF note; and `--rule network-unknown=error`
 * making an unchecked network fail a build.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildCli, cli, cliJson, REL } from './support';

const MIXED = `${REL}/coverage/mixed.yaml`;
const SAMCONFIG_DIR = `${REL}/coverage/with-samconfig`;
const UNCHECKED = "Function 'Unchecked' is in a VPC, but its network could not be checked: subnets: parameter `SubnetIds` has no value (give it a value with --param, a parameter file or samconfig.toml).";

interface JsonFunction {
  name: string;
  resource: string;
  vpc: boolean;
  network?: string;
  missing: string[];
  factSources: string[];
}
interface Report {
  files: { file: string; findings: { ruleId: string; severity: string; resource: string; message: string }[]; functions: JsonFunction[] }[];
  summary: { functions: { total: number; vpc: number; checked: number; partial: number; unknown: number } };
}

before(() => buildCli());

describe('check: what could not be checked', () => {
  it('lists every function in JSON, with its network state, missing facts and fact sources', () => {
    const { json } = cliJson<Report>(['check', '--format', 'json', MIXED]);
    assert.deepEqual(json.files[0]!.functions, [
      { name: 'Checked', resource: 'Checked', vpc: true, network: 'checked', missing: [], factSources: ['template'] },
      {
        name: 'unchecked-fn', resource: 'Unchecked', vpc: true, network: 'unknown',
        missing: ['subnets: parameter `SubnetIds` has no value (give it a value with --param, a parameter file or samconfig.toml)'],
        factSources: ['template'],
      },
      { name: 'Outside', resource: 'Outside', vpc: false, missing: [], factSources: ['template'] },
    ]);
    assert.deepEqual(json.summary.functions, { total: 3, vpc: 2, checked: 1, partial: 0, unknown: 1 });
    const notes = json.files[0]!.findings.filter((f) => f.ruleId === 'network-unknown');
    assert.deepEqual(notes.map((f) => [f.resource, f.severity, f.message]), [['Unchecked', 'info', UNCHECKED]]);
  });

  it('names the parameter file and --param values the network rests on', () => {
    const found = cliJson<Report>(['check', '--format', 'json', `${SAMCONFIG_DIR}/template.yaml`]);
    assert.deepEqual(found.json.files[0]!.functions[0]!.factSources, ['template', `params:${SAMCONFIG_DIR}/samconfig.toml`]);
    const given = cliJson<Report>(['check', '--format', 'json', '--param', 'SubnetIds=subnet-1', MIXED]);
    assert.deepEqual(given.json.files[0]!.functions[1]!.factSources, ['template', 'params:--param']);
    assert.deepEqual(given.json.files[0]!.functions[1]!.missing, ['subnets: `subnet-1` is not in the template (turn on live lookups with --live)']);
  });

  it('ends the text output with the count of VPC functions checked and not checked', () => {
    const run = cli(['check', MIXED]);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-1), '2 VPC functions: 1 checked, 1 not checked (see network-unknown)');
    assert.ok(lines.some((l) => l === `${MIXED}:28:7 info network-unknown ${UNCHECKED}`), run.stdout);
  });

  it('leaves the line out when network-unknown is turned off', () => {
    const run = cli(['check', '--rule', 'network-unknown=off', MIXED]);
    assert.doesNotMatch(run.stdout, /VPC functions/);
  });

  it('fails a build on an unchecked network with --rule network-unknown=error', () => {
    assert.equal(cli(['check', '--rule', 'network-unknown=error', MIXED]).code, 1);
    assert.equal(cli(['check', '--rule', 'network-unknown=error', '--param', 'SubnetIds=subnet-1', MIXED]).code, 1);
  });

  it('carries network-unknown in SARIF as a note', () => {
    const { json } = cliJson<{ runs: { results: { ruleId: string; level: string; message: { text: string } }[] }[] }>(['check', '--format', 'sarif', MIXED]);
    const results = json.runs[0]!.results.filter((r) => r.ruleId === 'network-unknown');
    assert.deepEqual(results.map((r) => [r.level, r.message.text]), [['note', UNCHECKED]]);
  });
});
