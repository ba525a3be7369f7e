/**
 * Live facts for the language server: analysis at once with what is cached, lookups in the background,
 * one `onChange` when they bring facts, failures carried as a notice (a warning problem), refresh.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { EditorLiveFacts } from '../../server/src/live/editor';
import { startEc2Server } from '../support/ec2-server';
import type { AwsTestServer } from './support';
import { ACCESS_KEY_ID, PRIVATE_A, PRIVATE_B, SAM_PARAMS_TEMPLATE, SG, account, startAwsServer } from './support';

const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'live-test-secret' };
const params = { SubnetIds: `${PRIVATE_A},${PRIVATE_B}`, SecurityGroupId: SG };
let server: AwsTestServer;

before(async () => {
  server = await startAwsServer();
});

after(async () => {
  await server.close();
});

beforeEach(() => {
  server.data = account();
  server.requests.length = 0;
});

describe('EditorLiveFacts', () => {
  it('analyses with the cache, looks up in the background, then asks for one new analysis', async () => {
    let changes = 0;
    const live = new EditorLiveFacts(() => changes++, { credentials, maxAttempts: 1 });
    const view = { region: 'us-east-1', endpoint: server.url };
    const first = analyze(SAM_PARAMS_TEMPLATE, { params, live: live.facts(view) });
    assert.ok(!first.findings.some((f) => f.ruleId === 'no-egress-route'));
    const version = live.version;
    live.lookup(view, first.model);
    await live.settled();
    await Promise.resolve();
    assert.equal(changes, 1);
    assert.ok(live.version > version);
    const second = analyze(SAM_PARAMS_TEMPLATE, { params, live: live.facts(view) });
    assert.ok(second.findings.some((f) => f.ruleId === 'no-egress-route'));
    // Nothing left to look up: no call, no change.
    const calls = server.requests.length;
    live.lookup(view, second.model);
    await live.settled();
    assert.equal(server.requests.length, calls);
    assert.equal(changes, 1);
    live.refresh();
    await Promise.resolve();
    assert.equal(changes, 2);
    assert.equal(live.facts(view).subnets.length, 0);
    live.dispose();
  });

  it('carries a failed lookup as one warning problem, and no finding', async () => {
    const closed = await startEc2Server();
    const url = closed.url;
    await closed.close();
    const logged: string[] = [];
    const live = new EditorLiveFacts(() => {}, { credentials, maxAttempts: 1 }, (m) => logged.push(m));
    const view = { region: 'us-east-1', endpoint: url };
    live.lookup(view, analyze(SAM_PARAMS_TEMPLATE, { params, live: live.facts(view) }).model);
    await live.settled();
    const result = analyze(SAM_PARAMS_TEMPLATE, { params, live: live.facts(view) });
    assert.ok(!result.findings.some((f) => f.ruleId === 'no-egress-route'));
    const warnings = result.problems.filter((p) => p.severity === 'warning');
    assert.equal(warnings.length, 1, JSON.stringify(result.problems));
    assert.match(warnings[0]!.message, /^live lookups in us-east-1 failed \(ECONNREFUSED/);
    assert.equal(logged.length, 1);
    live.dispose();
  });
});
