/** Where completion thinks the cursor is (`|`), in half-typed YAML and JSON. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cursorContext } from '../../server/src/lsp/cursor-context';

function at(source: string, format: 'yaml' | 'json' = 'yaml') {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const ctx = cursorContext(text, offset, format);
  return ctx && { path: ctx.path.join('.'), position: ctx.position, typed: ctx.typed, replaced: text.slice(ctx.replace.start, ctx.replace.end), flow: ctx.flow };
}

describe('cursor context', () => {
  const fn = 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig:\n';

  it('a block sequence item, empty or half-typed', () => {
    assert.deepEqual(at(`${fn}        SubnetIds:\n          - |\n`), { path: 'Resources.Fn.Properties.VpcConfig.SubnetIds.[]', position: 'item', typed: '', replaced: '', flow: false });
    assert.deepEqual(at(`${fn}        SubnetIds:\n          - !Ref Pri|vate\n`), { path: 'Resources.Fn.Properties.VpcConfig.SubnetIds.[]', position: 'item', typed: '!Ref Pri', replaced: '!Ref Private', flow: false });
  });

  it('a sequence at the same indentation as its key', () => {
    assert.equal(at(`${fn}        SubnetIds:\n        - |\n`)?.path, 'Resources.Fn.Properties.VpcConfig.SubnetIds.[]');
  });

  it('a flow sequence on the key line', () => {
    assert.deepEqual(at(`${fn}        SubnetIds: [!Ref A, |]\n`), { path: 'Resources.Fn.Properties.VpcConfig.SubnetIds.[]', position: 'item', typed: '', replaced: '', flow: true });
  });

  it('a value after its key, and a key being typed', () => {
    assert.deepEqual(at('Resources:\n  Ep:\n    Properties:\n      ServiceName: com|\n'), { path: 'Resources.Ep.Properties.ServiceName', position: 'value', typed: 'com', replaced: 'com', flow: false });
    assert.deepEqual(at(`${fn}        SubnetIds: []\n        Sec|\n`), { path: 'Resources.Fn.Properties.VpcConfig', position: 'key', typed: 'Sec', replaced: 'Sec', flow: false });
  });

  it('a key inside a list of maps, after a sibling on the dash line', () => {
    assert.equal(at('Resources:\n  Sg:\n    Properties:\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          From|\n')?.path, 'Resources.Sg.Properties.SecurityGroupIngress.[]');
  });

  it('skips comments and blank lines, and gives up inside a comment', () => {
    assert.equal(at(`${fn}        # the subnets\n\n        SubnetIds:\n          # two AZs\n          - |\n`)?.path, 'Resources.Fn.Properties.VpcConfig.SubnetIds.[]');
    assert.equal(at(`${fn}        SubnetIds: # |\n`), undefined);
  });

  it('JSON: arrays, values, keys and strings', () => {
    const json = '{ "Resources": { "Fn": { "Properties": { "VpcConfig": { "SubnetIds": [ |';
    assert.deepEqual(at(json, 'json'), { path: 'Resources.Fn.Properties.VpcConfig.SubnetIds.[]', position: 'item', typed: '', replaced: '', flow: true });
    assert.deepEqual(at('{ "Resources": { "Ep": { "Properties": { "ServiceName": "com.am|" } } } }', 'json'), { path: 'Resources.Ep.Properties.ServiceName', position: 'value', typed: '"com.am', replaced: '"com.am"', flow: true });
    assert.deepEqual(at('{ "Resources": { "Fn": { "Properties": { "VpcConfig": { "SubnetIds": [], "Se|" } } } } }', 'json')?.position, 'key');
    assert.equal(at('{ "a": [ { "b": 1 }, { "c": [ "x", | ] } ] }', 'json')?.path, 'a.[].c.[]');
  });
});
