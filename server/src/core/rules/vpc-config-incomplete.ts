import { toSnippet } from '../edits';
import type { MapNode } from '../tree';
import type { Fix } from '../types';
import { attachedVariants, inheritedRelated } from './helpers';
import { defineRule } from '../engine/rule';

export default defineRule({
  id: 'vpc-config-incomplete',
  severity: 'error',
  category: 'vpc-config',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A VpcConfig that has subnets but no security groups, or security groups but no subnets.',
    rationale:
      'Lambda rejects such a configuration at deploy time ("SubnetIds and SecurityIds must coexist or be both empty list"). ' +
      'The check runs after SAM `Globals` and Serverless `provider.vpc` are merged in, because that is what is deployed. ' +
      'The Serverless Framework does not fail: it silently drops the whole VPC configuration, so the function deploys outside the VPC and cannot reach private resources.',
    invalid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
`,
    valid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
    fix: 'Inserts the missing key with placeholder ids (`sg-CHANGEME`, `subnet-CHANGEME1`/`2`) for you to replace; unsafe, so `--fix` leaves it to you.',
  },
  messages: {
    missingGroups: "Function '{fn}' has SubnetIds but no SecurityGroupIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty).",
    missingSubnets: "Function '{fn}' has SecurityGroupIds but no SubnetIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty).",
    serverlessDropped: "Function '{fn}' has {present} but no {missing} after merging provider.vpc: the Serverless Framework drops the whole VPC config and the function deploys outside the VPC.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      const subnets = vpc.subnetIds;
      const groups = vpc.securityGroupIds;
      if (subnets.state === 'unknown' || groups.state === 'unknown') continue;
      const hasSubnets = subnets.items.length > 0;
      const hasGroups = groups.items.length > 0;
      if (hasSubnets === hasGroups) continue;
      const serverless = variant.dropsIncompleteConfig;
      const subnetKey = serverless ? 'subnetIds' : 'SubnetIds';
      const groupKey = serverless ? 'securityGroupIds' : 'SecurityGroupIds';
      const missing = hasSubnets ? groupKey : subnetKey;
      const present = hasSubnets ? subnetKey : groupKey;
      const presentNode = hasSubnets ? vpc.subnetIdsNode : vpc.securityGroupIdsNode;
      const span = vpc.inheritedFrom ? fn.anchor : (presentNode ?? vpc.vpcConfigNode ?? fn.anchor);
      const map = vpc.vpcConfigNode?.kind === 'map' && !vpc.inheritedFrom ? (vpc.vpcConfigNode as MapNode) : undefined;
      report({
        messageId: serverless ? 'serverlessDropped' : hasSubnets ? 'missingGroups' : 'missingSubnets',
        data: { fn: fn.id, present, missing },
        severity: serverless ? 'warning' : undefined,
        resource: fn.id,
        span: { start: span.start, end: span.end },
        related: inheritedRelated(vpc),
        assumed: [subnets.param, groups.param],
        conditions: variant.conditions,
        fix: map
          ? (edits): Fix => {
              const placeholders = hasSubnets ? ['sg-CHANGEME'] : ['subnet-CHANGEME1', 'subnet-CHANGEME2'];
              const edit = edits.addKey(map, missing, placeholders);
              const snippet = toSnippet(edit.text, placeholders);
              return { title: `Add ${missing} (placeholder to replace)`, safety: 'unsafe', edits: [{ ...edit, snippet }] };
            }
          : undefined,
      });
    }
  },
});
