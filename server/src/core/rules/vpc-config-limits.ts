import type { Node } from '../tree';
import { attachedVariants, inheritedRelated, listBranches, ownSpan } from './helpers';
import { defineRule } from '../engine/rule';
import type { RefList } from '../model/types';

const MAX_SUBNETS = 16;
const MAX_GROUPS = 5;

export default defineRule({
  id: 'vpc-config-limits',
  severity: 'error',
  category: 'vpc-config',
  fixSafety: 'none',
  docs: {
    summary: 'A VpcConfig with more than 16 subnets or more than 5 security groups.',
    rationale:
      'Lambda accepts at most 16 subnet ids and 5 security group ids in a function\'s VpcConfig and rejects anything more at deploy time ' +
      '(a `ValidationException` from CreateFunction / UpdateFunctionConfiguration). The count is taken after SAM `Globals` and ' +
      'Serverless `provider.vpc` are merged in, because SAM prepends the global list items to the function\'s own.',
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
        SecurityGroupIds: [sg-01, sg-02, sg-03, sg-04, sg-05, sg-06]
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
        SecurityGroupIds: [sg-01, sg-02, sg-03, sg-04, sg-05]
`,
  },
  messages: {
    tooManySubnets: "Function '{fn}' lists {count} subnets: Lambda accepts at most 16 in a VpcConfig and rejects the deployment.",
    tooManyGroups: "Function '{fn}' lists {count} security groups: Lambda accepts at most 5 in a VpcConfig and rejects the deployment.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      const lists: [RefList, Node | undefined, number, 'tooManySubnets' | 'tooManyGroups'][] = [
        [vpc.subnetIds, vpc.subnetIdsNode, MAX_SUBNETS, 'tooManySubnets'],
        [vpc.securityGroupIds, vpc.securityGroupIdsNode, MAX_GROUPS, 'tooManyGroups'],
      ];
      for (const [list, node, max, messageId] of lists) {
        if (list.state === 'unknown') continue;
        const branches = listBranches(list.items);
        const over = branches.filter((b) => b.items.length > max);
        if (over.length === 0) continue;
        const worst = over.reduce((a, b) => (b.items.length > a.items.length ? b : a));
        report({
          messageId,
          data: { fn: fn.id, count: worst.items.length },
          resource: fn.id,
          span: ownSpan(fn, node),
          related: inheritedRelated(vpc),
          assumed: [list.param],
          conditions: [...variant.conditions, ...(over.length === branches.length ? [] : worst.conditions)],
        });
      }
    }
  },
});
