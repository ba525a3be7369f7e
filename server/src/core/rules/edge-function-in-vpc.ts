import type { EditBuilder } from '../edits';
import type { LambdaFunction, VpcAttachment } from '../model/types';
import type { Node } from '../tree';
import { get, getPair, pathTo } from '../tree';
import type { Edit, Fix } from '../types';
import { inheritedRelated, ownSpan } from './helpers';
import { defineRule } from '../engine/rule';

function fixOf(root: Node, fn: LambdaFunction, vpc: VpcAttachment): ((edits: EditBuilder) => Fix | undefined) | undefined {
  if (fn.type === 'serverless:function') {
    // A function read from another file through `${file()}` cannot be edited here.
    if (pathTo(root, fn.keySpan)?.join('.') !== `functions.${fn.id}`) return undefined;
    return (edits) => {
      const edit = getPair(fn.node, 'vpc') ? edits.setKey(fn.node, 'vpc', null) : edits.addKey(fn.node, 'vpc', null);
      // `vpc: ~` is the framework's documented opt-out.
      const text = edits.format === 'yaml' ? edit.text.replace(/null$/, '~') : edit.text;
      return { title: `Opt '${fn.id}' out of provider.vpc (vpc: ~)`, safety: 'unsafe', edits: [{ ...edit, text }] };
    };
  }
  const props = fn.properties;
  if (!props) return undefined;
  const local = getPair(props, 'VpcConfig') !== undefined;
  const inherited = fn.type === 'AWS::Serverless::Function' && vpc.inheritedFrom !== undefined;
  if (!local && !inherited) return undefined;
  return (edits) => {
    const out: Edit[] = [];
    if (local) out.push(edits.removeKey(props, 'VpcConfig'));
    if (inherited) {
      // A resource attribute beside Type and Properties, as SAM reads it.
      const ignore = get(fn.node, 'IgnoreGlobals');
      if (ignore && ignore.kind !== 'seq' && ignore.kind !== 'scalar') return undefined;
      out.push(edits.appendToList(fn.node, 'IgnoreGlobals', 'VpcConfig'));
    }
    const title = inherited ? `Ignore the Globals VpcConfig for '${fn.id}'` : `Remove the VpcConfig of '${fn.id}'`;
    return { title, safety: 'unsafe', edits: out };
  };
}

export default defineRule({
  id: 'edge-function-in-vpc',
  severity: 'error',
  category: 'platform',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A function used by CloudFront as Lambda@Edge (directly, or through a version or alias) that has a VpcConfig.',
    rationale:
      'Lambda@Edge replicates the function to CloudFront\'s edge locations, where it cannot reach a VPC: CloudFront rejects a ' +
      '`LambdaFunctionAssociations` entry whose function has a VPC configuration, so the distribution fails to deploy. The ' +
      'configuration is often inherited without anyone meaning it, from SAM `Globals` or the Serverless `provider.vpc`.',
    invalid: `Resources:
  EdgeFn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/edge
      Code: { ZipFile: "exports.handler = async (e) => e.Records[0].cf.request" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
  EdgeFnVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref EdgeFn
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https
          LambdaFunctionAssociations:
            - EventType: viewer-request
              LambdaFunctionARN: !Ref EdgeFnVersion
`,
    valid: `Resources:
  EdgeFn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/edge
      Code: { ZipFile: "exports.handler = async (e) => e.Records[0].cf.request" }
  EdgeFnVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref EdgeFn
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https
          LambdaFunctionAssociations:
            - EventType: viewer-request
              LambdaFunctionARN: !Ref EdgeFnVersion
`,
    fix:
      'Removes the function\'s own `VpcConfig`; for a SAM function that inherits one from `Globals`, adds `VpcConfig` to its ' +
      '`IgnoreGlobals` resource attribute (beside `Type` and `Properties`); for a Serverless function, sets `vpc: ~`. Unsafe: if the same function also runs regionally and needs the ' +
      'VPC, split it instead.',
  },
  messages: {
    edgeInVpc: "Function '{fn}' is used by CloudFront as Lambda@Edge but has a VpcConfig: edge functions cannot access a VPC, and CloudFront rejects the association.",
    edgeInVpcInherited: "Function '{fn}' is used by CloudFront as Lambda@Edge but inherits a VpcConfig from {from}: edge functions cannot access a VPC, and CloudFront rejects the association.",
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      if (fn.edgeAssociations.length === 0) continue;
      const attached = fn.variants.filter((v) => v.vpc && (v.vpc.subnetIds.state === 'unknown' || v.vpc.subnetIds.items.length > 0));
      const variant = attached.find((v) => v.conditions.length === 0) ?? attached[0];
      if (!variant?.vpc) continue;
      const vpc = variant.vpc;
      const span = ownSpan(fn, vpc.vpcConfigNode);
      const inherited = span === fn.anchor && vpc.inheritedFrom !== undefined;
      report({
        messageId: inherited ? 'edgeInVpcInherited' : 'edgeInVpc',
        data: { fn: fn.id, from: fn.type === 'serverless:function' ? 'provider.vpc' : 'Globals' },
        resource: fn.id,
        span,
        related: [
          ...fn.edgeAssociations.map((s) => ({ message: 'Associated with CloudFront here', span: s })),
          ...inheritedRelated(vpc),
        ],
        assumed: [vpc.subnetIds.param],
        conditions: variant.conditions,
        fix: fixOf(model.root, fn, vpc),
      });
    }
  },
});
