/**
 * Deployed stacks in the live session, real SDK against the loopback server: each stack is described
 * once until the refresh, a missing stack is remembered as missing, nested stacks are found through
 * their parent's resources in the same fetch, and a failed call is retried only after a while.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { emptyLiveRequest } from '../../server/src/core/live';
import type { LiveRequest } from '../../server/src/core/live';
import { LiveSession } from '../../server/src/live/session';
import type { AwsTestServer } from './support';
import { ACCESS_KEY_ID, PRIVATE_A, SG, failCloudFormation, stackArn, startAwsServer } from './support';

const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'live-test-secret' };
let server: AwsTestServer;
let clock = 1_000_000;

const session = () => new LiveSession({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1, now: () => clock });
const request = (part: Partial<LiveRequest>): LiveRequest => ({ ...emptyLiveRequest(), ...part });
const described = () => server.requests.filter((r) => r.action === 'DescribeStacks').map((r) => r.params.get('StackName'));

before(async () => {
  server = await startAwsServer();
});

after(async () => {
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
  server.clearFaults();
  server.stacks = [
    { name: 'app-prod', parameters: [{ key: 'SubnetIds', value: PRIVATE_A }, { key: 'Secret', value: 'hunter2', noEcho: true }], resources: [{ logicalId: 'Network', type: 'AWS::CloudFormation::Stack', physicalId: stackArn('app-prod-Network-1X') }] },
    { name: 'app-prod-Network-1X', outputs: { LambdaSg: SG } },
  ];
});

describe('live session: deployed stacks', () => {
  it('describes a stack and its nested stack in one fetch, then not again until the refresh', async () => {
    const s = session();
    try {
      const first = await s.fetch(request({ stacks: ['app-prod'], nestedStacks: ['app-prod/Network'] }));
      assert.deepEqual(first.failures, []);
      const facts = s.facts();
      assert.deepEqual(facts.stacks?.['app-prod'], { name: 'app-prod', parameters: { SubnetIds: PRIVATE_A }, hidden: ['Secret'], outputs: {}, nested: { Network: 'app-prod-Network-1X' } });
      assert.deepEqual(facts.stacks?.['app-prod-Network-1X']?.outputs, { LambdaSg: SG });
      assert.doesNotMatch(JSON.stringify(facts), /hunter2|\*\*\*\*/);
      assert.deepEqual(described(), ['app-prod', stackArn('app-prod-Network-1X')]);

      clock += 60 * 60_000;
      const again = request({ stacks: ['app-prod'], nestedStacks: ['app-prod/Network'] });
      assert.deepEqual(s.pending(again), emptyLiveRequest(), 'kept for the session, past the facts\' time to live');
      s.refresh();
      assert.deepEqual(s.pending(again), again);
    } finally {
      s.dispose();
    }
  });

  it('remembers a missing stack as missing: one failure, no second call, no nested lookup', async () => {
    const s = session();
    try {
      const result = await s.fetch(request({ stacks: ['gone'], nestedStacks: ['gone/Network'] }));
      assert.equal(result.failures.length, 1);
      assert.equal(result.failures[0]!.code, 'ValidationError');
      assert.deepEqual(s.pending(request({ stacks: ['gone'], nestedStacks: ['gone/Network'] })), emptyLiveRequest());
      assert.equal(s.facts().stacks?.gone, undefined);
      assert.equal(server.requests.filter((r) => r.action === 'ListStackResources').length, 0);
    } finally {
      s.dispose();
    }
  });

  it('AccessDenied leaves the stack unknown, to be asked again after the retry delay', async () => {
    failCloudFormation(server, 'DescribeStacks', 'AccessDenied', { times: 1 });
    const s = session();
    try {
      const result = await s.fetch(request({ stacks: ['app-prod'] }));
      assert.equal(result.failures[0]!.code, 'AccessDenied');
      assert.equal(result.failures[0]!.kind, 'access');
      assert.deepEqual(s.pending(request({ stacks: ['app-prod'] })).stacks, []);
      clock += 31_000;
      assert.deepEqual(s.pending(request({ stacks: ['app-prod'] })).stacks, ['app-prod']);
      await s.fetch(request({ stacks: ['app-prod'] }));
      assert.deepEqual(s.facts().stacks?.['app-prod']?.parameters, { SubnetIds: PRIVATE_A });
    } finally {
      s.dispose();
    }
  });

  it('sends no name that is not a stack name', () => {
    const s = session();
    assert.deepEqual(s.pending(request({ stacks: ['a b', '../x', ''], nestedStacks: ['app prod/Network', 'app-prod/Net-work'] })), emptyLiveRequest());
    s.dispose();
  });
});
