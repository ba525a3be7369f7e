/**
 * `check --format sarif` from the built CLI: the log validates against the SARIF 2.1.0 schema shipped in
 * test/fixtures (draft-07, Ajv), the rules carry their docs and help URI, results carry 1-based regions
 * that agree with the JSON output's 0-based ranges, related locations and fixes; problems are
 * `toolExecutionNotifications`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runCheckWith } from '../../server/src/cli/check';
import { ruleDocUrl } from '../../server/src/product';
import { defineRule } from '../../server/src/core/engine/rule';
import vpcConfigIncomplete from '../../server/src/core/rules/vpc-config-incomplete';
import { allRules } from '../../server/src/core/rules/registry';
import type { JsonRange } from './support';
import { buildCli, cli, cliJson, memoryIo, only, REL, ROOT } from './support';

const VCI = 'vpc-config-incomplete';
const SAM = `${REL}/templates/sam-incomplete.yaml`;
const GLOBALS = `${REL}/templates/globals-inherited.yaml`;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface PhysicalLocation {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Region };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: PhysicalLocation[];
  relatedLocations?: (PhysicalLocation & { id: number; message: { text: string } })[];
  fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: Region; insertedContent: { text: string } }[] }[]; properties: { safety: string } }[];
  properties: { resource: string; path: (string | number)[] };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string }; helpUri: string; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: string;
    invocations: { executionSuccessful: boolean; exitCode: number; toolExecutionNotifications: (Partial<PhysicalLocation> & { level: string; message: { text: string }; locations: PhysicalLocation[] })[]; ruleConfigurationOverrides?: { descriptor: { id: string; index: number }; configuration: { level?: string; enabled?: boolean } }[] }[];
    results: SarifResult[];
  }[];
}

const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function sarif(args: string[]): { code: number | null; log: SarifLog } {
  const { code, json } = cliJson<SarifLog>(['check', '--format', 'sarif', ...args]);
  const valid = validate(json);
  assert.ok(valid, `valid SARIF 2.1.0: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  return { code, log: json };
}

/** A 0-based LSP range as a SARIF region: 1-based lines and columns, end column exclusive. */
function toRegion(range: JsonRange): Region {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

before(() => buildCli());

describe('check --format sarif', () => {
  it('the schema itself is the draft-07 SARIF 2.1.0 schema, and rejects a broken log', () => {
    assert.equal((schema as { $schema: string }).$schema, 'http://json-schema.org/draft-07/schema#');
    assert.match((schema as { title: string }).title, /SARIF\) Version 2\.1\.0/);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false, 'driver.name is required');
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false);
  });

  it('validates, with every rule described and its documentation linked', () => {
    const { code, log } = sarif([`${REL}/templates`, `${REL}/broken`, `${REL}/explain`, `${REL}/fix`]);
    assert.equal(code, 1);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'lambda-vpc-lint');
    assert.equal(driver.version, VERSION);
    assert.match(driver.informationUri, /^https:\/\//);
    assert.deepEqual(driver.rules.map((r) => r.id), allRules.map((r) => r.id));
    for (const [i, rule] of driver.rules.entries()) {
      const def = allRules[i]!;
      assert.equal(rule.helpUri, ruleDocUrl(def.id));
      assert.match(rule.helpUri, new RegExp(`/docs/rules/${def.id}\\.md$`));
      assert.equal(rule.shortDescription.text, def.docs.summary);
      assert.equal(rule.fullDescription.text, def.docs.rationale);
      assert.equal(rule.defaultConfiguration.level, { error: 'error', warning: 'warning', info: 'note' }[def.severity]);
    }
    for (const result of log.runs[0]!.results) assert.equal(driver.rules[result.ruleIndex]!.id, result.ruleId);
    assert.equal(log.runs[0]!.columnKind, 'utf16CodeUnits');
    assert.deepEqual(log.runs[0]!.originalUriBaseIds, { SRCROOT: { uri: `${pathToFileURL(ROOT).href}/` } });
    // broken/ holds templates that do not parse.
    assert.equal(log.runs[0]!.invocations[0]!.executionSuccessful, false);
    assert.equal(log.runs[0]!.invocations[0]!.exitCode, 1);
    const clean = sarif([`${REL}/templates/sam-incomplete.yaml`]);
    assert.equal(clean.log.runs[0]!.invocations[0]!.executionSuccessful, true);
    assert.deepEqual(clean.log.runs[0]!.invocations[0]!.toolExecutionNotifications, []);
  });

  it('gives results with relative locations and 1-based regions that match the JSON ranges', () => {
    const args = [...only(VCI), SAM, GLOBALS, `${REL}/templates/nested`];
    const { log } = sarif(args);
    const { json } = cliJson(['check', '--format', 'json', ...args]);
    const results = log.runs[0]!.results;
    const findings = json.files.flatMap((f) => f.findings.map((finding) => ({ file: f.file, finding })));
    assert.equal(results.length, findings.length);
    assert.equal(results.length, 3);
    for (const [i, result] of results.entries()) {
      const { file, finding } = findings[i]!;
      assert.equal(result.ruleId, finding.ruleId);
      assert.equal(result.message.text, finding.message);
      assert.equal(result.level, { error: 'error', warning: 'warning', info: 'note' }[finding.severity]);
      assert.deepEqual(result.locations[0]!.physicalLocation.artifactLocation, { uri: file.slice(0).replace(/^\.\//, ''), uriBaseId: 'SRCROOT' });
      assert.deepEqual(result.locations[0]!.physicalLocation.region, toRegion(finding.range));
      assert.deepEqual(result.properties, { resource: finding.resource, path: finding.path });
    }
    assert.deepEqual(results[0]!.locations[0]!.physicalLocation.region, { startLine: 29, startColumn: 11, endLine: 30, endColumn: 25 });
    assert.equal(results[2]!.level, 'warning', 'the Serverless finding is a warning');
  });

  it('gives related locations and fixes as artifact changes with replacements', () => {
    const { log } = sarif([...only(VCI), SAM, GLOBALS]);
    const [sam, globals] = log.runs[0]!.results;
    assert.ok(sam && globals);
    assert.equal(globals.relatedLocations?.length, 1);
    const related = globals.relatedLocations![0]!;
    assert.equal(related.message.text, 'VPC settings inherited from here');
    assert.deepEqual(related.physicalLocation.artifactLocation, { uri: GLOBALS, uriBaseId: 'SRCROOT' });
    assert.deepEqual(related.physicalLocation.region, { startLine: 7, startColumn: 7, endLine: 7, endColumn: 70 });
    assert.equal(globals.fixes, undefined);

    assert.equal(sam.relatedLocations, undefined);
    assert.equal(sam.fixes?.length, 1);
    const fix = sam.fixes![0]!;
    assert.equal(fix.description.text, 'Add SecurityGroupIds with a new security group ApiSecurityGroup in Vpc');
    assert.equal(fix.properties.safety, 'unsafe');
    assert.equal(fix.artifactChanges.length, 1);
    assert.deepEqual(fix.artifactChanges[0]!.artifactLocation, { uri: SAM, uriBaseId: 'SRCROOT' });
    const [replacement] = fix.artifactChanges[0]!.replacements;
    assert.ok(replacement);
    // An insertion: an empty region at the end of line 30, where the JSON edit is.
    assert.deepEqual(replacement.deletedRegion, { startLine: 30, startColumn: 25, endLine: 30, endColumn: 25 });
    assert.match(replacement.insertedContent.text, /SecurityGroupIds:\n\s+- !GetAtt ApiSecurityGroup.GroupId/);
    // Applied to the file, the replacement writes the key after the last subnet.
    const lines = readFileSync(join(ROOT, SAM), 'utf8').split('\n');
    const at = lines[replacement.deletedRegion.startLine - 1]!;
    lines[replacement.deletedRegion.startLine - 1] = at.slice(0, replacement.deletedRegion.startColumn - 1) + replacement.insertedContent.text + at.slice(replacement.deletedRegion.endColumn - 1);
    assert.match(lines.join('\n'), /- !Ref SubnetB\n {8}SecurityGroupIds:\n {10}- !GetAtt ApiSecurityGroup.GroupId\n/);
  });

  it('maps info to note, and records --rule overrides on the invocation', () => {
    const { code, log } = sarif([...only(VCI), '--rule', `${VCI}=info`, SAM]);
    assert.equal(code, 0);
    assert.equal(log.runs[0]!.results[0]!.level, 'note');
    const overrides = log.runs[0]!.invocations[0]!.ruleConfigurationOverrides!;
    const vci = overrides.find((o) => o.descriptor.id === VCI);
    assert.deepEqual(vci, { descriptor: { id: VCI, index: allRules.findIndex((r) => r.id === VCI) }, configuration: { level: 'note' } });
    assert.ok(overrides.filter((o) => o.descriptor.id !== VCI).every((o) => o.configuration.enabled === false));
  });

  it('reports problems as tool execution notifications, not results, and the run as unsuccessful', () => {
    const { code, log } = sarif([...only(VCI), `${REL}/broken`, `${REL}/templates/notes.yaml`]);
    assert.equal(code, 1);
    assert.equal(log.runs[0]!.invocations[0]!.executionSuccessful, false);
    assert.equal(log.runs[0]!.invocations[0]!.exitCode, 1);
    assert.deepEqual(log.runs[0]!.results, []);
    const notifications = log.runs[0]!.invocations[0]!.toolExecutionNotifications;
    assert.deepEqual(notifications.map((n) => [n.level, n.locations[0]!.physicalLocation.artifactLocation.uri, n.locations[0]!.physicalLocation.region.startLine]), [
      ['error', `${REL}/broken/broken.json`, 2],
      ['error', `${REL}/broken/broken.yaml`, 6],
      ['error', `${REL}/templates/notes.yaml`, 1],
    ]);
    assert.match(notifications[1]!.message.text, /Flow sequence/);
    assert.equal(notifications[2]!.message.text, 'This file is not a CloudFormation, SAM or Serverless template.');
  });

  it('marks the run unsuccessful when the exit code is 2, and prints no log for a usage-level failure', async () => {
    const throws = defineRule({ ...vpcConfigIncomplete, id: 'always-throws', check: () => { throw new Error('boom'); } });
    const io = memoryIo(ROOT);
    const code = await runCheckWith(['--format', 'sarif', SAM], io, [vpcConfigIncomplete, throws]);
    assert.equal(code, 2);
    const log = JSON.parse(io.out) as SarifLog;
    assert.ok(validate(log), ajv.errorsText(validate.errors));
    assert.deepEqual(log.runs[0]!.invocations[0]!.executionSuccessful, false);
    assert.equal(log.runs[0]!.invocations[0]!.exitCode, 2);
    assert.deepEqual(log.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => [n.level, n.message.text]), [['error', "Internal error in rule 'always-throws': boom"]]);
    assert.deepEqual(log.runs[0]!.results.map((r) => r.ruleId), [VCI]);

    const missing = cli(['check', '--format', 'sarif', `${REL}/templates/missing.yaml`]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stdout, '');
  });

  it('uses an absolute file URI for a file outside the working directory', () => {
    const { log } = sarif([...only(VCI), join(ROOT, SAM)]);
    // ROOT is the working directory: still relative.
    assert.equal(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, SAM);
    const outside = cliJson<SarifLog>(['check', '--format', 'sarif', ...only(VCI), join(ROOT, SAM)], { cwd: join(ROOT, 'test', 'cli') });
    assert.ok(validate(outside.json));
    assert.deepEqual(outside.json.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation, { uri: pathToFileURL(join(ROOT, SAM)).href });
  });
});
