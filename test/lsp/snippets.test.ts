/**
 * The snippets as the language server offers them: a whole template in an empty file; resource
 * snippets only where a resource can go, with the template's own resources as choices; none inside a
 * list item, a `!Ref` value or a resource's properties.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-protocol';
import { InsertTextFormat } from 'vscode-languageserver-protocol';
import { NETWORK } from './fixtures';
import { LspClient, buildServer, offsetOf, tempFolder } from './harness';

const newText = (item: CompletionItem | undefined) => (item?.textEdit as TextEdit | undefined)?.newText;
const snippets = (items: CompletionItem[]) => items.filter((i) => i.insertTextFormat === InsertTextFormat.Snippet).map((i) => i.label).sort();

describe('language server: snippets where they fit', () => {
  const folder = tempFolder({});
  let client: LspClient;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 10 } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('offers the whole-template snippet, and only it, in an empty file', async () => {
    const uri = folder.uri('empty.yaml');
    await client.open(uri, 'lam');
    const items = await client.completion(uri, 3);
    assert.deepEqual(snippets(items), ['lambda-vpc-sam-template']);
    const whole = items[0]!;
    assert.match(newText(whole)!, /^AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n/);
    assert.deepEqual((whole.textEdit as TextEdit).range, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
    const json = folder.uri('empty.json');
    await client.open(json, '\n', 'json');
    const jsonItems = await client.completion(json, 1);
    assert.deepEqual(snippets(jsonItems), ['lambda-vpc-sam-template']);
    assert.match(newText(jsonItems[0])!, /^\{\n {2}"AWSTemplateFormatVersion": "2010-09-09",/);
  });

  it('offers resource snippets at resource indentation under Resources, with the template resources as choices', async () => {
    const uri = folder.uri('network.yaml');
    const text = `${NETWORK}  lam`;
    await client.open(uri, text);
    await client.forVersion(uri, 1);
    const items = await client.completion(uri, text.length);
    assert.deepEqual(snippets(items), ['lambda-sg-db-ingress', 'lambda-vpc-cfn-function', 'lambda-vpc-sam-function', 'nat-per-az', 'vpc-endpoint-dynamodb', 'vpc-endpoint-interface', 'vpc-endpoint-s3']);
    const sam = newText(items.find((i) => i.label === 'lambda-vpc-sam-function'))!;
    // Two subnet placeholders start at different subnets; the security group is the template's one.
    assert.match(sam, /- !Ref \$\{7\|SubnetA,SubnetB\|\}\n/);
    assert.match(sam, /- !Ref \$\{8\|SubnetB,SubnetA\|\}\n/);
    assert.match(sam, /- !GetAtt \$\{9\|LambdaSg\|\}\.GroupId/);
    // No database in the template: that placeholder keeps its name.
    assert.match(sam, /DB_HOST: !GetAtt \$\{6:Database\}\.Endpoint\.Address/);
    const cfn = newText(items.find((i) => i.label === 'lambda-vpc-cfn-function'))!;
    assert.match(cfn, /VpcId: !Ref \$\{8\|Vpc\|\}/);
    // The function's own name stays a mirrored placeholder.
    assert.match(cfn, /Role: !GetAtt \$\{1:Function\}Role\.Arn/);
  });

  it('offers resource snippets on the empty line of an empty Resources, in YAML and in JSON', async () => {
    const yaml = folder.uri('empty-resources.yaml');
    const yamlText = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  \n";
    await client.open(yaml, yamlText);
    await client.forVersion(yaml, 1);
    assert.equal(snippets(await client.completion(yaml, yamlText.indexOf('  \n') + 2)).length, 7);
    const json = folder.uri('empty-resources.json');
    const jsonText = '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Transform": "AWS::Serverless-2016-10-31",\n  "Resources": {\n    \n  }\n}\n';
    await client.open(json, jsonText, 'json');
    await client.forVersion(json, 1);
    const items = await client.completion(json, jsonText.indexOf('    \n') + 4);
    assert.deepEqual(snippets(items), ['lambda-sg-db-ingress', 'lambda-vpc-cfn-function', 'lambda-vpc-sam-function', 'nat-per-az', 'vpc-endpoint-dynamodb', 'vpc-endpoint-interface', 'vpc-endpoint-s3']);
    assert.match(newText(items.find((i) => i.label === 'vpc-endpoint-s3'))!, /^"\$\{1:S3GatewayEndpoint\}": \{/);
  });

  it('offers no snippet inside a subnet list item, a !Ref value or a resource', async () => {
    const uri = folder.uri('inside.yaml');
    await client.open(uri, NETWORK);
    await client.forVersion(uri, 1);
    const item = offsetOf(NETWORK, '          - !Ref SubnetB') + '          - '.length;
    assert.deepEqual(snippets(await client.completion(uri, item)), []);
    const ref = offsetOf(NETWORK, '          - !Ref SubnetB') + '          - !Ref Sub'.length;
    assert.deepEqual(snippets(await client.completion(uri, ref)), []);
    const prop = offsetOf(NETWORK, '      GroupDescription: lambda') + '      Group'.length;
    assert.deepEqual(snippets(await client.completion(uri, prop)), []);
  });

  it('offers the Serverless function snippet under functions, and no whole template in a file with content', async () => {
    const uri = folder.uri('serverless.yml');
    const text = 'service: api\nprovider:\n  name: aws\nfunctions:\n  lam';
    await client.open(uri, text);
    await client.forVersion(uri, 1);
    assert.deepEqual(snippets(await client.completion(uri, text.length)), ['lambda-vpc-serverless-function']);
  });
});

describe('language server: completion on a snippet placeholder', () => {
  const folder = tempFolder({});
  let client: LspClient;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 10 } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it("offers the template's route tables on a placeholder name that no resource has", async () => {
    const uri = folder.uri('endpoint.yaml');
    const text = `${NETWORK}  PrivateTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  S3GatewayEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      VpcEndpointType: Gateway
      RouteTableIds:
        - !Ref PrivateRouteTableA
`;
    await client.open(uri, text);
    await client.forVersion(uri, 1);
    const at = offsetOf(text, '!Ref PrivateRouteTableA') + '!Ref PrivateRouteTableA'.length;
    const items = await client.completion(uri, at);
    const table = items.find((i) => i.label === 'PrivateTable');
    assert.equal(newText(table), '!Ref PrivateTable');
    // Matched against the placeholder's text, which the editor filters with.
    assert.ok(table?.filterText?.startsWith('!Ref PrivateRouteTableA'), table?.filterText);
    // A prefix of a real name keeps the plain filter text.
    const prefix = offsetOf(text, '!Ref PrivateRouteTableA') + '!Ref Pri'.length;
    const typed = (await client.completion(uri, prefix)).find((i) => i.label === 'PrivateTable');
    assert.equal(typed?.filterText, '!Ref PrivateTable');
  });
});
