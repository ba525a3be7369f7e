import { attachedVariants, inheritedRelated, ownSpan } from './helpers';
import { defineRule } from '../engine/rule';

export default defineRule({
  id: 'sg-ref-returns-name',
  severity: 'warning',
  category: 'vpc-config',
  fixSafety: 'safe',
  docs: {
    summary: '`!Ref` of a security group without `VpcId` in `SecurityGroupIds`: the reference returns the group\'s name, not its id.',
    rationale:
      'For an `AWS::EC2::SecurityGroup` declared without `VpcId` (an EC2-Classic / default-VPC group), `Ref` returns the group name ' +
      'rather than the `sg-...` id. Lambda\'s `SecurityGroupIds` takes ids only, so the deployment fails with an invalid security ' +
      'group id. `!GetAtt <Group>.GroupId` returns the id whatever the group declares.',
    invalid: `Resources:
  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [!Ref LambdaSg]
`,
    valid: `Resources:
  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [!GetAtt LambdaSg.GroupId]
`,
    fix: 'Replaces the reference with `!GetAtt <Group>.GroupId`, which is the id in every case.',
  },
  messages: {
    refReturnsName: "Function '{fn}' lists security group '{sg}' with Ref, but '{sg}' has no VpcId, so Ref returns its name, not its id: Lambda rejects it. Use !GetAtt {sg}.GroupId.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      for (const ref of vpc.securityGroupIds.items) {
        const sg = ref.id ? model.securityGroups.get(ref.id) : undefined;
        if (!sg || sg.vpc || ref.attr !== undefined) continue;
        const inherited = ownSpan(fn, ref.span) === fn.anchor;
        report({
          messageId: 'refReturnsName',
          data: { fn: fn.id, sg: sg.id },
          resource: fn.id,
          span: ownSpan(fn, ref.span),
          related: [
            ...(inherited ? [{ message: `Ref of '${sg.id}' is here`, span: ref.span }] : []),
            { message: `Security group '${sg.id}' has no VpcId`, span: sg.keySpan },
            ...inheritedRelated(vpc),
          ],
          assumed: [ref.param],
          conditions: [...variant.conditions, ...(ref.conditions ?? [])],
          fix: (edits) => ({
            title: `Use !GetAtt ${sg.id}.GroupId`,
            safety: 'safe',
            edits: [edits.replace(ref.span, { 'Fn::GetAtt': [sg.id, 'GroupId'] })],
          }),
        });
      }
    }
  },
});
