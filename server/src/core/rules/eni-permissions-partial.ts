import { ENI_ADDRESS_ACTIONS, judgedRoles, missingActions } from '../model/eni-permissions';
import type { Span } from '../tree';
import { appendVpcAccessPolicy, executionRoleRelated } from './eni-permissions-missing';
import { namedList } from './helpers';
import { defineRule } from '../engine/rule';

export default defineRule({
  id: 'eni-permissions-partial',
  severity: 'info',
  category: 'iam',
  fixSafety: 'safe',
  docs: {
    summary: 'The execution role of a VPC-attached function allows creating network interfaces but not assigning and unassigning their private IP addresses.',
    rationale:
      'Lambda manages a VPC function\'s network interfaces with the execution role: besides creating, describing and deleting them, ' +
      'it assigns and unassigns their private IP addresses (`ec2:AssignPrivateIpAddresses`, `ec2:UnassignPrivateIpAddresses`), which ' +
      'the Lambda documentation lists among the required permissions and `AWSLambdaVPCAccessExecutionRole` includes. Hand-written ' +
      'policies copied from older examples, and the `AWSLambdaMSKExecutionRole` managed policy, stop at create/describe/delete. ' +
      'Attaching the managed VPC access policy keeps the role in step with what Lambda needs.',
    invalid: `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
      Policies:
        - PolicyName: eni
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface]
                Resource: '*'
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt FnRole.Arn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
    valid: `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
      Policies:
        - PolicyName: eni
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface]
                Resource: '*'
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt FnRole.Arn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
    fix: 'Appends `!Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole` to the role\'s `ManagedPolicyArns`, creating the key when the role has none.',
  },
  messages: {
    partial: "Role '{role}' lets Lambda create network interfaces for VPC-attached {functions} but does not allow {actions}, which Lambda also uses to manage them. Attach AWSLambdaVPCAccessExecutionRole.",
  },
  check({ model, report }) {
    for (const { role, functions, conditions, grant, missingCore } of judgedRoles(model)) {
      if (missingCore.length > 0) continue;
      const missing = missingActions(grant, ENI_ADDRESS_ACTIONS);
      if (missing.length === 0) continue;
      // Point at the statement in the role that grants the interface actions, when there is one.
      const roleNode = role.resource!.node;
      const statement = grant.statements.get('ec2:CreateNetworkInterface')?.find((st) => st.span.start >= roleNode.start && st.span.end <= roleNode.end);
      const span: Span = statement ? { start: statement.span.start, end: statement.span.end } : (role.managedPolicyArnsNode ?? role.resource!.keySpan);
      report({
        messageId: 'partial',
        data: { role: role.id, functions: namedList('function', functions.map((f) => `'${f.id}'`)), actions: missing.join(', ') },
        resource: role.id,
        span,
        related: [
          ...grant.allowed.get('ec2:CreateNetworkInterface')!.filter((s) => s.kind !== 'inline').map((s) => ({ message: `Network interface permissions come from ${s.resource ?? s.name ?? 'here'}`, span: s.span })),
          ...executionRoleRelated(functions),
        ],
        assumed: grant.params,
        conditions,
        fix: appendVpcAccessPolicy(role),
      });
    }
  },
});
