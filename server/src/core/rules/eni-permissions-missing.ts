import type { EditBuilder } from '../edits';
import { VPC_ACCESS_POLICY_ARN, judgedRoles } from '../model/eni-permissions';
import type { LambdaFunction, Role } from '../model/types';
import type { Fix, Related } from '../types';
import { functionsRelated, namedList } from './helpers';
import { defineRule } from '../engine/rule';

/** Appends the VPC access managed policy to the role's `ManagedPolicyArns`; undefined when that list is not a plain list. */
export function appendVpcAccessPolicy(role: Role): ((edits: EditBuilder) => Fix | undefined) | undefined {
  const props = role.resource?.properties;
  const list = role.managedPolicyArnsNode;
  if (!props || (list && list.kind !== 'seq')) return undefined;
  return (edits) => ({
    title: `Attach AWSLambdaVPCAccessExecutionRole to role '${role.id}'`,
    safety: 'safe',
    edits: [edits.appendToList(props, 'ManagedPolicyArns', { 'Fn::Sub': VPC_ACCESS_POLICY_ARN })],
  });
}

/** Related entries pointing at the `Role` of each VPC-attached function that uses the role. */
export function executionRoleRelated(functions: LambdaFunction[]): Related[] {
  return functionsRelated(functions.map((fn) => ({ fn, span: fn.role.span })), (fn) => `Execution role of VPC-attached function '${fn.id}'`);
}

export default defineRule({
  id: 'eni-permissions-missing',
  severity: 'error',
  category: 'iam',
  fixSafety: 'safe',
  docs: {
    summary: 'The execution role of a VPC-attached function does not allow Lambda to create, describe and delete network interfaces.',
    rationale:
      'Lambda creates the function\'s network interfaces in your subnets with the execution role\'s permissions, and checks them when the ' +
      'function is created or its VPC configuration changes: without `ec2:CreateNetworkInterface`, `ec2:DescribeNetworkInterfaces` and ' +
      '`ec2:DeleteNetworkInterface` the deployment fails ("The provided execution role does not have permissions to call ' +
      'CreateNetworkInterface on EC2"). The managed policy `AWSLambdaVPCAccessExecutionRole` grants them (as do `ec2:*` and `*`). ' +
      'Roles that SAM or the Serverless Framework generate get it automatically and are not checked; roles given by ARN or parameter ' +
      'cannot be seen and are not checked either, nor are roles with a policy whose content is unknown (a customer managed policy, an AWS ' +
      'managed policy that AWS does not publish). AWS managed policies are read by their published content.',
    invalid: `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
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
    missing: "Role '{role}' is the execution role of VPC-attached {functions} but does not allow {actions}: Lambda cannot create the function's network interfaces and the deployment fails. Attach AWSLambdaVPCAccessExecutionRole.",
  },
  check({ model, report }) {
    for (const { role, functions, conditions, grant, missingCore: missing } of judgedRoles(model)) {
      if (missing.length === 0) continue;
      report({
        messageId: 'missing',
        data: { role: role.id, functions: namedList('function', functions.map((f) => `'${f.id}'`)), actions: missing.join(', ') },
        resource: role.id,
        span: role.managedPolicyArnsNode ?? role.resource!.keySpan,
        related: executionRoleRelated(functions),
        assumed: grant.params,
        conditions,
        fix: appendVpcAccessPolicy(role),
      });
    }
  },
});
