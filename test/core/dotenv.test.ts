/**
 * Serverless `useDotenv: true`: `.env.<stage>` else `.env` beside serverless.yml, read through the host,
 * so `${env:X}` resolves to the value the framework would load; dotenv's syntax and expansion.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { expandDotenv, parseDotenv } from '../../server/src/core/model/dotenv';
import { coverageOf } from '../../server/src/core/model/coverage';

const SLS = (useDotenv: string) => `service: s
${useDotenv}provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: ['\${env:SUBNET_A}']
      securityGroupIds: ['\${env:GROUP}']
`;

function missing(text: string, files: Record<string, string>, stage?: string): string[] {
  const result = analyze(text, { readFile: (rel) => files[rel], ...(stage ? { stage } : {}) });
  return coverageOf(result.model!)[0]!.missing.map((m) => m.text);
}

describe('.env files (useDotenv)', () => {
  it('parses dotenv syntax: export, quotes, comments, escapes', () => {
    assert.deepEqual(parseDotenv([
      '# a comment',
      'export A=1',
      'B = two words # trailing comment',
      "C='single # not a comment'",
      'D="line\\nbreak"',
      'E=',
      'not a line',
    ].join('\n')), { A: '1', B: 'two words', C: 'single # not a comment', D: 'line\nbreak', E: '' });
  });

  it('expands $VAR, ${VAR} and ${VAR:-default} from the same file, not an escaped \\$', () => {
    assert.deepEqual(expandDotenv({ BASE: 'subnet', A: '$BASE-a', B: '${BASE}-b', C: '${NOPE:-fallback}', D: '\\$BASE' }),
      { BASE: 'subnet', A: 'subnet-a', B: 'subnet-b', C: 'fallback', D: '$BASE' });
  });

  it('resolves ${env:} from .env with useDotenv: true', () => {
    const files = { '.env': 'SUBNET_A=subnet-0aaa\nGROUP=sg-0bbb\n' };
    assert.deepEqual(missing(SLS('useDotenv: true\n'), files), [
      'subnets: `subnet-0aaa` is not in the template (turn on live lookups with --live)',
      'security groups: `sg-0bbb` is not in the template (turn on live lookups with --live)',
    ]);
  });

  it('reads nothing without useDotenv', () => {
    const files = { '.env': 'SUBNET_A=subnet-0aaa\nGROUP=sg-0bbb\n' };
    assert.match(missing(SLS(''), files)[0]!, /`\$\{env:SUBNET_A\}` has no value here/);
  });

  it('prefers .env.<stage> and then reads no .env at all', () => {
    const files = { '.env': 'SUBNET_A=subnet-0aaa\nGROUP=sg-0bbb\n', '.env.prod': 'SUBNET_A=subnet-0ppp\n' };
    const prod = missing(SLS('useDotenv: true\n'), files, 'prod');
    assert.match(prod[0]!, /`subnet-0ppp` is not in the template/);
    assert.match(prod[1]!, /`\$\{env:GROUP\}` has no value here/, 'GROUP is only in .env, which is not loaded');
    assert.match(missing(SLS('useDotenv: true\n'), files, 'dev')[0]!, /`subnet-0aaa`/, 'no .env.dev: .env');
  });

  it('takes the stage from provider.stage, and lists the files as dependencies', () => {
    const text = SLS('useDotenv: true\n').replace('  name: aws\n', '  name: aws\n  stage: qa\n');
    const files = { '.env.qa': 'SUBNET_A=subnet-0qqq\n' };
    assert.match(missing(text, files)[0]!, /`subnet-0qqq`/);
    assert.ok(analyze(text, { readFile: (rel) => (files as Record<string, string>)[rel] }).dependencies.includes('.env.qa'));
  });
});
