/** In an untrusted workspace the server gets `parameterFile` from the user's settings only. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restrictUntrusted } from '../../client/src/trusted-settings';

describe('settings in untrusted workspaces', () => {
  const items = [{ section: 'lambdaVpcLint', scopeUri: 'file:///w/template.yaml' }, { section: 'editor' }];
  const fromWorkspace = [{ enable: true, parameterFile: '/etc/shadow', debounceMs: 50 }, { tabSize: 2 }];

  it('passes everything through in a trusted workspace', () => {
    assert.deepEqual(restrictUntrusted(items, fromWorkspace, true, () => 'user.json'), fromWorkspace);
  });

  it("replaces the workspace's parameterFile with the user's value, or nothing", () => {
    const seen: [string, string | undefined][] = [];
    const user = (key: string, scope: string | undefined) => {
      seen.push([key, scope]);
      return key === 'parameterFile' ? '~/params.json' : undefined;
    };
    assert.deepEqual(restrictUntrusted(items, fromWorkspace, false, user), [{ enable: true, parameterFile: '~/params.json', debounceMs: 50 }, { tabSize: 2 }]);
    assert.deepEqual(seen, [['parameterFile', 'file:///w/template.yaml']]);
    assert.deepEqual(restrictUntrusted(items, fromWorkspace, false, () => undefined)[0], { enable: true, parameterFile: '', debounceMs: 50 });
  });
});
