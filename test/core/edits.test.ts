/** The edit builder: values written in the style of the text around them, and snippet escaping. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EditBuilder, applyEdits, toSnippet } from '../../server/src/core/edits';
import { parseTemplate } from '../../server/src/core/parse';
import type { MapNode } from '../../server/src/core/tree';
import { getPath } from '../../server/src/core/tree';

function builder(text: string, fileName?: string) {
  const parsed = parseTemplate(text, fileName);
  return { edits: new EditBuilder(text, parsed.format, parsed.root!), root: parsed.root! };
}

describe('EditBuilder', () => {
  it('adds a key in YAML block style with the map\'s indentation and short-form tags', () => {
    const text = 'Resources:\n  Sg:\n    Properties:\n      VpcId: !Ref Vpc\n';
    const { edits, root } = builder(text);
    const props = getPath(root, ['Resources', 'Sg', 'Properties']) as MapNode;
    const out = applyEdits(text, [edits.addKey(props, 'SecurityGroupEgress', [{ IpProtocol: 'tcp', DestinationSecurityGroupId: { 'Fn::GetAtt': ['Db', 'GroupId'] } }])]);
    assert.equal(out, 'Resources:\n  Sg:\n    Properties:\n      VpcId: !Ref Vpc\n      SecurityGroupEgress:\n        - IpProtocol: tcp\n          DestinationSecurityGroupId: !GetAtt Db.GroupId\n');
  });

  it('writes long forms in YAML that uses no short tags', () => {
    const text = 'Resources:\n  Fn:\n    Properties:\n      Role:\n        Fn::GetAtt: [R, Arn]\n';
    const { edits, root } = builder(text);
    const props = getPath(root, ['Resources', 'Fn', 'Properties']) as MapNode;
    const out = applyEdits(text, [edits.addKey(props, 'DependsOn', { Ref: 'X' })]);
    assert.match(out, /DependsOn:\n {8}Ref: X\n$/);
  });

  it('writes JSON with the file\'s indentation', () => {
    const text = '{\n    "Resources": {\n        "Fn": {\n            "Type": "AWS::Lambda::Function"\n        }\n    }\n}\n';
    const { edits, root } = builder(text, 't.json');
    const fn = getPath(root, ['Resources', 'Fn']) as MapNode;
    const out = applyEdits(text, [edits.addKey(fn, 'DependsOn', ['A'])]);
    assert.equal(out, '{\n    "Resources": {\n        "Fn": {\n            "Type": "AWS::Lambda::Function",\n            "DependsOn": [\n                "A"\n            ]\n        }\n    }\n}\n');
    assert.doesNotThrow(() => JSON.parse(out));
  });

  it('appends to flow and block lists, and turns a scalar into a list', () => {
    const text = 'A: [x]\nB:\n  - y\nC: z\n';
    const { edits, root } = builder(text);
    const out = applyEdits(text, [edits.appendToList(root as MapNode, 'A', 'x2'), edits.appendToList(root as MapNode, 'B', 'y2'), edits.appendToList(root as MapNode, 'C', 'z2')]);
    assert.equal(out, 'A: [x, x2]\nB:\n  - y\n  - y2\nC: [z, z2]\n');
  });

  it('quotes strings YAML would read as something else', () => {
    const text = 'A: 1\n';
    const { edits, root } = builder(text);
    const out = applyEdits(text, [edits.addKey(root as MapNode, 'B', ['true', '0.0.0.0/0', 'a: b', '10'])]);
    assert.equal(out, "A: 1\nB:\n  - 'true'\n  - 0.0.0.0/0\n  - 'a: b'\n  - '10'\n");
  });

  it('keeps CRLF line endings', () => {
    const text = 'A:\r\n  b: 1\r\n';
    const { edits, root } = builder(text);
    const out = applyEdits(text, [edits.addKey(getPath(root, ['A']) as MapNode, 'c', 2)]);
    assert.equal(out, 'A:\r\n  b: 1\r\n  c: 2\r\n');
  });

  it('chooses logical ids that do not collide', () => {
    const { edits } = builder('A: 1\n');
    const reserved = new Set<string>();
    const taken = new Set(['NatGateway', 'NatGateway2']);
    assert.equal(edits.uniqueId('NatGateway', taken, reserved), 'NatGateway3');
    assert.equal(edits.uniqueId('NatGateway', taken, reserved), 'NatGateway4');
  });
});

describe('toSnippet', () => {
  it('numbers the placeholders and escapes the rest', () => {
    assert.equal(toSnippet("Ids: [sg-X] # !Sub '${AWS::Region}' \\ }", ['sg-X']), "Ids: [${1}] # !Sub '\\${AWS::Region\\}' \\\\ \\}");
  });
});
