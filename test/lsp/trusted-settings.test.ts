/**
 * In an untrusted workspace the server gets `parameterFile`, `eni.profile`, `aws.endpoint` and `live.stackName` from the
 * user's settings only, and live lookups are off whatever any settings file says.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restrictUntrusted } from '../../client/src/trusted-settings';

describe('settings in untrusted workspaces', () => {
  const items = [{ section: 'lambdaVpcLint', scopeUri: 'file:///w/template.yaml' }, { section: 'editor' }];
  const fromWorkspace = [{ enable: true, parameterFile: '/etc/shadow', debounceMs: 50 }, { tabSize: 2 }];

  it('passes everything through in a trusted workspace', () => {
    assert.deepEqual(restrictUntrusted(items, fromWorkspace, true, () => 'user.json'), fromWorkspace);
  });

  it("replaces the workspace's parameterFile, profile and endpoint with the user's values, or nothing", () => {
    const seen: [string, string | undefined][] = [];
    const user = (key: string, scope: string | undefined) => {
      seen.push([key, scope]);
      return key === 'parameterFile' ? '~/params.json' : key === 'eni.profile' ? 'dev' : undefined;
    };
    assert.deepEqual(restrictUntrusted(items, fromWorkspace, false, user), [
      { enable: true, parameterFile: '~/params.json', debounceMs: 50, eni: { profile: 'dev' }, aws: { endpoint: '' }, live: { enabled: false, stackName: '' } },
      { tabSize: 2 },
    ]);
    assert.deepEqual(seen, [['parameterFile', 'file:///w/template.yaml'], ['eni.profile', 'file:///w/template.yaml'], ['aws.endpoint', 'file:///w/template.yaml'], ['live.stackName', 'file:///w/template.yaml']]);
    assert.equal((restrictUntrusted(items, fromWorkspace, false, () => undefined)[0] as { parameterFile: string }).parameterFile, '');
  });

  it('turns live lookups off, keeping the other keys of their group, and leaves the input alone', () => {
    const values = [{
      live: { enabled: true, cacheSeconds: 60, stackName: 'someone-elses-stack' },
      eni: { profile: 'attacker', regions: ['eu-west-1'] },
      aws: { endpoint: 'https://collector.example.com' },
    }];
    const before = JSON.stringify(values);
    const [out] = restrictUntrusted(items.slice(0, 1), values, false, (key) => (key === 'aws.endpoint' ? 'http://127.0.0.1:4566' : undefined)) as Record<string, unknown>[];
    assert.deepEqual(out, {
      live: { enabled: false, cacheSeconds: 60, stackName: '' },
      eni: { profile: '', regions: ['eu-west-1'] },
      aws: { endpoint: 'http://127.0.0.1:4566' },
      parameterFile: '',
    });
    assert.equal(JSON.stringify(values), before);
    // Trusted: live lookups stay as configured.
    assert.deepEqual(restrictUntrusted(items.slice(0, 1), values, true, () => undefined), values);
  });
});
