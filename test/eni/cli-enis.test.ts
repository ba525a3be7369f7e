/**
 * `lambda-vpc-lint enis` as a real process (`node dist/cli.js enis ...`) against the loopback EC2 server,
 * with fake credentials in the environment and empty shared config files, so nothing on the machine and no
 * network beyond 127.0.0.1 is involved. Checks the text and JSON contracts, the filters, region and profile
 * resolution, and exit 2 with the SDK error code (and no stack trace) on failures.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBuilt } from '../support/build';
import { startEc2Server } from '../support/ec2-server';
import type { Ec2TestServer } from '../support/ec2-server';
import { sampleAccount } from './sample-account';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

let server: Ec2TestServer;
let home: string;
let emptyFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(over: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    USERPROFILE: home,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: emptyFile,
    AWS_SHARED_CREDENTIALS_FILE: emptyFile,
    // Never ask an instance metadata service for credentials: tests touch loopback only.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    NO_COLOR: '1',
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Asynchronous on purpose: the server runs in this process and must keep answering while the CLI waits. */
function runCli(args: string[], env: NodeJS.ProcessEnv = baseEnv()): Promise<Run> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [CLI, 'enis', ...args], { env, cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

const endpointArgs = () => ['--endpoint', server.url];

function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
}

before(async () => {
  await ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'lvl-enis-'));
  emptyFile = join(home, 'empty');
  writeFileSync(emptyFile, '');
  server = await startEc2Server({ accessKeyId: 'AKIDTEST' });
});

after(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

beforeEach(() => {
  server.data = sampleAccount();
  server.clearFaults();
  server.requests.length = 0;
});

interface JsonEni {
  id: string;
  function: string | null;
  status: string;
  vpcId: string | null;
  subnetId: string | null;
  availabilityZone: string | null;
  privateIp: string | null;
  ipv6: string[];
  securityGroups: { id: string; name: string | null }[];
  interfaceType: string | null;
  description: string;
  region: string;
}

interface JsonOutput {
  version: number;
  enis: JsonEni[];
  subnets: { id: string; vpcId: string | null; availabilityZone: string | null; cidr: string | null; availableIps: number | null }[];
}

async function runJson(args: string[]): Promise<JsonOutput> {
  const run = await runCli([...endpointArgs(), '--format', 'json', ...args]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout) as JsonOutput;
}

describe('lambda-vpc-lint enis', () => {
  it('prints no SDK runtime warning (NodeVersionSupportWarning) when the environment does not turn it off', async () => {
    const env = baseEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined });
    const run = await runCli([...endpointArgs(), '--region', 'us-east-1'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /NodeVersionSupportWarning|Warning/);
    assert.equal(run.stderr, '');
  });

  it('prints a table of the Lambda interfaces and their subnets', async () => {
    const run = await runCli([...endpointArgs(), '--region', 'us-east-1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, /^REGION\s+VPC\s+SUBNET\s+AZ\s+FUNCTION\s+ENI\s+STATUS\s+PRIVATE IP\s+IPV6\s+SECURITY GROUPS$/);
    const rows = lines.filter((l) => /\beni-\d+\b/.test(l));
    assert.deepEqual(
      rows.map((l) => l.match(/\beni-\d+\b/)![0]),
      ['eni-0001', 'eni-0003', 'eni-0002', 'eni-0004'],
    );
    assert.match(rows[0]!, /^us-east-1\s+vpc-0a1\s+subnet-0a1a\s+us-east-1a\s+orders-api\s+eni-0001\s+in-use\s+10\.0\.1\.23\s+2600:1f18:aaaa:1::17\s+sg-0aaa \(orders-lambda\), sg-0bbb \(db-clients\)$/);
    assert.match(rows[1]!, /report-gen-v2\s+eni-0003\s+available \(orphan\)\s+10\.0\.1\.77/);
    assert.match(run.stdout, /^us-east-1\s+subnet-0a1a \(private-a\)\s+vpc-0a1\s+us-east-1a\s+10\.0\.1\.0\/24\s+248\s+2$/m);
    assert.match(run.stdout, /^us-east-1\s+subnet-0b2a\s+vpc-0b2\s+us-east-1a\s+10\.1\.1\.0\/28\s+9\s+1$/m);
    assert.match(run.stdout, /^4 Lambda network interfaces \(1 orphan\) in 3 subnets, 1 region\.$/m);
    assert.doesNotMatch(run.stdout, /eni-0100|eni-0101/);
  });

  it('prints the documented JSON shape', async () => {
    const out = await runJson(['--region', 'us-east-1']);
    assert.deepEqual(Object.keys(out), ['version', 'enis', 'subnets']);
    assert.equal(out.version, 1);
    assert.deepEqual(out.enis.map((e) => e.id), ['eni-0001', 'eni-0003', 'eni-0002', 'eni-0004']);
    for (const e of out.enis) {
      assert.deepEqual(Object.keys(e), [
        'id',
        'function',
        'status',
        'vpcId',
        'subnetId',
        'availabilityZone',
        'privateIp',
        'ipv6',
        'securityGroups',
        'interfaceType',
        'description',
        'region',
      ]);
    }
    assert.deepEqual(out.enis[0], {
      id: 'eni-0001',
      function: 'orders-api',
      status: 'in-use',
      vpcId: 'vpc-0a1',
      subnetId: 'subnet-0a1a',
      availabilityZone: 'us-east-1a',
      privateIp: '10.0.1.23',
      ipv6: ['2600:1f18:aaaa:1::17'],
      securityGroups: [
        { id: 'sg-0aaa', name: 'orders-lambda' },
        { id: 'sg-0bbb', name: 'db-clients' },
      ],
      interfaceType: 'lambda',
      description: 'AWS Lambda VPC ENI-orders-api-11111111-2222-3333-4444-555555555555',
      region: 'us-east-1',
    });
    assert.deepEqual(out.subnets, [
      { id: 'subnet-0a1a', vpcId: 'vpc-0a1', availabilityZone: 'us-east-1a', cidr: '10.0.1.0/24', availableIps: 248 },
      { id: 'subnet-0a1b', vpcId: 'vpc-0a1', availabilityZone: 'us-east-1b', cidr: '10.0.2.0/24', availableIps: 250 },
      { id: 'subnet-0b2a', vpcId: 'vpc-0b2', availabilityZone: 'us-east-1a', cidr: '10.1.1.0/28', availableIps: 9 },
    ]);
  });

  it('--orphans keeps only interfaces in status available', async () => {
    const out = await runJson(['--region', 'us-east-1', '--orphans']);
    assert.deepEqual(out.enis.map((e) => [e.id, e.status]), [['eni-0003', 'available']]);
    assert.deepEqual(out.subnets.map((s) => s.id), ['subnet-0a1a']);
  });

  it('--vpc narrows to one VPC', async () => {
    const out = await runJson(['--region', 'us-east-1', '--vpc', 'vpc-0b2']);
    assert.deepEqual(out.enis.map((e) => e.id), ['eni-0004']);
    assert.deepEqual(out.subnets.map((s) => s.id), ['subnet-0b2a']);
  });

  it('--function narrows to one function, by exact name', async () => {
    const out = await runJson(['--region', 'us-east-1', '--function', 'orders-api']);
    assert.deepEqual(out.enis.map((e) => [e.id, e.function]), [
      ['eni-0001', 'orders-api'],
      ['eni-0002', 'orders-api'],
    ]);
    const none = await runCli([...endpointArgs(), '--region', 'us-east-1', '--function', 'orders']);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, 'No Lambda network interface matches the filter in us-east-1.\n');
  });

  it('reads every --region given', async () => {
    const out = await runJson(['--region', 'us-east-1', '--region=eu-west-1']);
    assert.deepEqual([...new Set(out.enis.map((e) => e.region))], ['us-east-1', 'eu-west-1']);
    assert.deepEqual(out.enis.filter((e) => e.region === 'eu-west-1').map((e) => e.id), ['eni-0201']);
    assert.deepEqual([...new Set(server.requests.map((r) => r.region))].sort(), ['eu-west-1', 'us-east-1']);
  });

  it('AuthFailure: exit 2, the SDK code and message on stderr, no stack trace', async () => {
    server.fail({ type: 'error', code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' });
    const run = await runCli([...endpointArgs(), '--region', 'us-east-1']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^lambda-vpc-lint enis: us-east-1: AuthFailure: AWS was not able to validate the provided access credentials/m);
    assertNoStack(run.stderr);
    assert.doesNotMatch(run.stdout, /eni-/);
  });

  it('uses the credentials from the environment (a wrong key is refused)', async () => {
    const run = await runCli([...endpointArgs(), '--region', 'us-east-1'], baseEnv({ AWS_ACCESS_KEY_ID: 'AKIDWRONG' }));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /AuthFailure/);
    assert.ok(server.requests.every((r) => r.accessKeyId === 'AKIDWRONG'));
  });

  it('no credentials at all: exit 2 saying so, without contacting the endpoint', async () => {
    const run = await runCli([...endpointArgs(), '--region', 'us-east-1'], baseEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /CredentialsProviderError: no credentials/);
    assertNoStack(run.stderr);
    assert.equal(server.requests.length, 0);
  });

  it('UnauthorizedOperation in one region: the other region is still printed, exit 2', async () => {
    server.fail({ type: 'error', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' }, { region: 'eu-west-1' });
    const run = await runCli([...endpointArgs(), '--region', 'us-east-1', '--region', 'eu-west-1', '--format', 'json']);
    assert.equal(run.code, 2);
    const out = JSON.parse(run.stdout) as JsonOutput;
    assert.equal(out.enis.length, 4);
    assert.ok(out.enis.every((e) => e.region === 'us-east-1'));
    assert.match(run.stderr, /eu-west-1: UnauthorizedOperation: You are not authorized to perform this operation\./);
  });

  it('without --region: the SDK region from the profile, or exit 2 when there is none', async () => {
    const none = await runCli(endpointArgs(), baseEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined }));
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no region configured/);
    assert.equal(server.requests.length, 0);

    const config = join(home, 'config-with-region');
    writeFileSync(config, '[default]\nregion = eu-west-1\n');
    const withRegion = await runCli([...endpointArgs(), '--format', 'json'], baseEnv({ AWS_CONFIG_FILE: config }));
    assert.equal(withRegion.code, 0, withRegion.stderr);
    assert.deepEqual((JSON.parse(withRegion.stdout) as JsonOutput).enis.map((e) => e.id), ['eni-0201']);
  });

  it('--profile takes the region and credentials of that profile', async () => {
    const config = join(home, 'config-profiles');
    const credentials = join(home, 'credentials-profiles');
    writeFileSync(config, '[default]\nregion = us-east-1\n[profile audit]\nregion = eu-west-1\n');
    writeFileSync(credentials, '[audit]\naws_access_key_id = AKIDTEST\naws_secret_access_key = test\n');
    const env = baseEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
    });
    const run = await runCli([...endpointArgs(), '--profile', 'audit', '--format', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as JsonOutput).enis.map((e) => e.region), ['eu-west-1']);
    assert.ok(server.requests.every((r) => r.accessKeyId === 'AKIDTEST'));
  });

  it('usage errors exit 2; --help exits 0', async () => {
    const badFormat = await runCli(['--format', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be 'text' or 'json'/);
    const badEndpoint = await runCli(['--endpoint', 'ftp://127.0.0.1', '--region', 'us-east-1']);
    assert.equal(badEndpoint.code, 2);
    assert.match(badEndpoint.stderr, /not an http\(s\) URL/);
    const missing = await runCli(['--region']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'lambda-vpc-lint enis: --region needs a value\nsee lambda-vpc-lint enis --help\n');
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const option of ['--region', '--profile', '--endpoint', '--vpc', '--function', '--orphans', '--format']) {
      assert.ok(help.stdout.includes(option), option);
    }
  });
});
