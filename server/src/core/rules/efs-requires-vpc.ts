import type { FunctionVariant } from '../model/types';
import { intrinsicName } from '../tree';
import { ownSpan } from './helpers';
import { defineRule } from '../engine/rule';

/** Whether Lambda deploys this variant outside any VPC. */
function outsideVpc(variant: FunctionVariant): 'none' | 'dropped' | undefined {
  const vpc = variant.vpc;
  if (!vpc) return 'none';
  const empty = (list: typeof vpc.subnetIds) => list.state !== 'unknown' && list.items.length === 0;
  if (empty(vpc.subnetIds) && empty(vpc.securityGroupIds)) return 'none';
  if (variant.dropsIncompleteConfig && (empty(vpc.subnetIds) || empty(vpc.securityGroupIds))) return 'dropped';
  return undefined;
}

export default defineRule({
  id: 'efs-requires-vpc',
  severity: 'error',
  category: 'platform',
  fixSafety: 'none',
  docs: {
    summary: 'A function that mounts an EFS file system (`FileSystemConfigs`) but is not attached to a VPC.',
    rationale:
      'Lambda reaches an EFS file system through its mount targets, which live in VPC subnets, so a function with `FileSystemConfigs` ' +
      'must have a VpcConfig in the VPC of those mount targets; Lambda rejects the configuration otherwise. In a Serverless service, a ' +
      '`vpc` with only subnets or only security groups is dropped by the framework, which leaves a `fileSystemConfig` function outside the VPC too.',
    invalid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      FileSystemConfigs:
        - Arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0
          LocalMountPath: /mnt/data
`,
    valid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      FileSystemConfigs:
        - Arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0
          LocalMountPath: /mnt/data
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
  },
  messages: {
    noVpc: "Function '{fn}' mounts a file system (FileSystemConfigs) but is not attached to a VPC: Lambda reaches EFS only through mount targets in a VPC and rejects the configuration.",
    vpcDropped: "Function '{fn}' mounts a file system but its vpc has only {present}: the Serverless Framework drops the incomplete vpc, and Lambda rejects a file system on a function outside a VPC.",
  },
  check({ model, report }) {
    for (const fn of model.functions) {
      const fs = fn.fileSystemConfigs;
      // A value under Fn::If may be absent exactly where the VpcConfig is: only plain values are judged.
      if (!fs || intrinsicName(fs) || (fs.kind === 'seq' && fs.items.length === 0) || fs.kind === 'scalar') continue;
      const outside = fn.variants.map((v) => ({ v, kind: outsideVpc(v) })).filter((x) => x.kind);
      const hit = outside.find((x) => x.v.conditions.length === 0) ?? outside[0];
      if (!hit) continue;
      const vpc = hit.v.vpc;
      report({
        messageId: hit.kind === 'dropped' ? 'vpcDropped' : 'noVpc',
        data: { fn: fn.id, present: vpc && vpc.subnetIds.items.length > 0 ? 'subnetIds' : 'securityGroupIds' },
        resource: fn.id,
        span: ownSpan(fn, fs),
        related: vpc ? [{ message: 'The VPC settings in effect', span: vpc.span }] : [],
        assumed: vpc ? [vpc.subnetIds.param, vpc.securityGroupIds.param] : [],
        conditions: hit.v.conditions,
      });
    }
  },
});
