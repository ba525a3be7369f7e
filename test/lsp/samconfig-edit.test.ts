/** Adding a parameter value to samconfig.toml text (server/src/lsp/samconfig-edit.ts): only the one insertion. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSamconfig } from '../../server/src/params';
import { addParameterOverride, namesIn } from '../../server/src/lsp/samconfig-edit';

function apply(text: string, env: string, name = 'SubnetIds'): string | undefined {
  const at = addParameterOverride(text, env, name, 'CHANGEME');
  return at && text.slice(0, at.offset) + at.text + text.slice(at.offset);
}

describe('samconfig.toml edit', () => {
  it('adds the table at the end when the environment has none', () => {
    const text = 'version = 0.1\n[default.deploy.parameters]\nstack_name = "a"\n';
    const next = apply(text, 'staging')!;
    assert.equal(next, `${text}\n[staging.deploy.parameters]\nparameter_overrides = "SubnetIds=CHANGEME"\n`);
    assert.deepEqual(parseSamconfig(next, 'toml', 'staging').params, { SubnetIds: 'CHANGEME' });
  });

  it('adds the key under the header when the table has none, keeping CRLF line ends', () => {
    const text = 'version = 0.1\r\n[default.deploy.parameters] # main\r\nstack_name = "a"\r\n[default.build.parameters]\r\ncached = true\r\n';
    assert.equal(apply(text, 'default'), 'version = 0.1\r\n[default.deploy.parameters] # main\r\nparameter_overrides = "SubnetIds=CHANGEME"\r\nstack_name = "a"\r\n[default.build.parameters]\r\ncached = true\r\n');
  });

  it('reads quoted table names and literal strings', () => {
    const text = "[\"default\".deploy.parameters]\nparameter_overrides = 'A=1'\n";
    assert.equal(apply(text, 'default'), "[\"default\".deploy.parameters]\nparameter_overrides = 'A=1 SubnetIds=CHANGEME'\n");
  });

  it('leaves a parameter the overrides already name, in either form', () => {
    assert.equal(apply('[default.deploy.parameters]\nparameter_overrides = "SubnetIds=subnet-1 B=2"\n', 'default'), undefined);
    assert.equal(apply('[default.deploy.parameters]\nparameter_overrides = ["ParameterKey=SubnetIds,ParameterValue=subnet-1"]\n', 'default'), undefined);
    assert.deepEqual(namesIn('ParameterKey=A,ParameterValue=1 B=2 C="x y"'), ['A', 'B', 'C']);
  });

  it('appends to an empty array and to one on several lines', () => {
    assert.equal(apply('[default.deploy.parameters]\nparameter_overrides = []\n', 'default'), '[default.deploy.parameters]\nparameter_overrides = ["SubnetIds=CHANGEME"]\n');
    assert.equal(apply('[default.deploy.parameters]\nparameter_overrides = [\n  "A=1",\n  "B=2"\n]\n', 'default'), '[default.deploy.parameters]\nparameter_overrides = [\n  "A=1",\n  "B=2", "SubnetIds=CHANGEME"\n]\n');
  });
});
