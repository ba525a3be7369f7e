/**
 * The server's side of live lookups without a process: the settings it reads (`environment`,
 * `live.enabled`, `live.cacheSeconds`, `eni.profile`, `aws.endpoint`), the cache key they enter, and
 * `LiveHost`, which loads the AWS bundle only when the setting is on in a trusted workspace.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerAwsModule } from '../../server/src/lsp/live-host';
import { LiveHost } from '../../server/src/lsp/live-host';
import { analysisKey, normalizeSettings, stageOf } from '../../server/src/lsp/settings';

describe('server settings for parameter files and live lookups', () => {
  it('reads environment, live, the profile and the endpoint, and falls back on anything else', () => {
    const s = normalizeSettings({ environment: ' prod ', live: { enabled: true, cacheSeconds: 5 }, eni: { profile: 'dev' }, aws: { endpoint: 'http://127.0.0.1:4566' } });
    assert.equal(s.environment, 'prod');
    assert.deepEqual(s.live, { enabled: true, cacheSeconds: 30 }, 'at least 30 seconds');
    assert.equal(s.profile, 'dev');
    assert.equal(s.endpoint, 'http://127.0.0.1:4566');
    const d = normalizeSettings({ environment: 3, live: { enabled: 'yes' }, eni: 'x', aws: null });
    assert.equal(d.environment, undefined);
    assert.deepEqual(d.live, { enabled: false, cacheSeconds: 300 });
    assert.equal(d.profile, undefined);
    assert.equal(d.endpoint, undefined);
  });

  it('takes the environment for the Serverless stage unless the stage is set', () => {
    assert.equal(stageOf(normalizeSettings({ environment: 'prod' })), 'prod');
    assert.equal(stageOf(normalizeSettings({ environment: 'prod', stage: 'qa' })), 'qa');
    assert.equal(stageOf(normalizeSettings({})), undefined);
  });

  it('changes the cache key with the environment, the notices and the live facts', () => {
    const base = normalizeSettings({});
    const key = analysisKey(base, { A: '1' });
    assert.notEqual(analysisKey(normalizeSettings({ environment: 'prod' }), { A: '1' }), key);
    assert.notEqual(analysisKey(base, { A: '1' }, { notices: ['x'] }), key);
    const view = { region: 'us-east-1' };
    assert.notEqual(analysisKey(base, { A: '1' }, { live: { view, version: 1 } }), analysisKey(base, { A: '1' }, { live: { view, version: 2 } }));
    assert.equal(analysisKey(base, { A: '1' }), key);
  });
});

describe('LiveHost', () => {
  /** A stand-in for dist/server-aws.js that counts how often it is loaded and what it creates. */
  function fakeAws() {
    const made: { ttlMs: number | undefined; disposed: boolean; refreshed: number }[] = [];
    let loads = 0;
    class FakeFacts {
      record: (typeof made)[number];
      version = 0;
      constructor(_onChange: () => void, options: { ttlMs?: number }) {
        this.record = { ttlMs: options.ttlMs, disposed: false, refreshed: 0 };
        made.push(this.record);
      }
      refresh() {
        this.record.refreshed++;
      }
      dispose() {
        this.record.disposed = true;
      }
    }
    const module = { EditorLiveFacts: FakeFacts, resolveDefaultRegion: async (profile?: string) => (profile === 'eu' ? 'eu-west-1' : undefined) } as unknown as ServerAwsModule;
    return { made, loads: () => loads, load: () => (loads++, module) };
  }

  it('loads nothing while the setting is off or the workspace untrusted', () => {
    const aws = fakeAws();
    const host = new LiveHost(() => {}, () => {}, aws.load);
    assert.equal(host.facts(normalizeSettings({})), undefined);
    host.trusted = false;
    assert.equal(host.facts(normalizeSettings({ live: { enabled: true } })), undefined);
    assert.equal(host.refresh(), false);
    assert.equal(aws.loads(), 0);
  });

  it('creates one instance with the cache time, again when it changes, and refreshes it', () => {
    const aws = fakeAws();
    const host = new LiveHost(() => {}, () => {}, aws.load);
    const on = normalizeSettings({ live: { enabled: true, cacheSeconds: 60 } });
    const first = host.facts(on);
    assert.ok(first);
    assert.equal(host.facts(on), first);
    assert.deepEqual(aws.made.map((m) => m.ttlMs), [60_000]);
    assert.equal(host.refresh(), true);
    assert.equal(aws.made[0]!.refreshed, 1);
    host.facts(normalizeSettings({ live: { enabled: true, cacheSeconds: 120 } }));
    assert.deepEqual(aws.made.map((m) => [m.ttlMs, m.disposed]), [[60_000, true], [120_000, false]]);
    assert.equal(aws.loads(), 1);
  });

  it("resolves the SDK's region once per profile, and builds the view from the settings", async () => {
    const aws = fakeAws();
    const host = new LiveHost(() => {}, () => {}, aws.load);
    await host.resolveRegion('eu');
    await host.resolveRegion(undefined);
    assert.equal(host.defaultRegion('eu'), 'eu-west-1');
    assert.equal(host.defaultRegion(undefined), undefined);
    assert.deepEqual(host.view(normalizeSettings({ eni: { profile: 'eu' }, aws: { endpoint: 'http://127.0.0.1:1' } }), 'eu-west-1'), { region: 'eu-west-1', profile: 'eu', endpoint: 'http://127.0.0.1:1' });
    assert.deepEqual(host.view(normalizeSettings({}), 'us-east-1'), { region: 'us-east-1' });
  });

  it('turns itself off, with one log line, when the AWS bundle cannot be loaded', () => {
    const logged: string[] = [];
    const host = new LiveHost(() => {}, (m) => logged.push(m), () => {
      throw new Error("Cannot find module './server-aws'");
    });
    const on = normalizeSettings({ live: { enabled: true } });
    assert.equal(host.facts(on), undefined);
    assert.equal(host.facts(on), undefined);
    assert.equal(host.active(on), false);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /could not be loaded: Cannot find module/);
  });
});
