import type { EditBuilder } from '../edits';
import { ENI_CORE_ACTIONS, eniGrant, judgedRoles, missingActions } from '../model/eni-permissions';
import { referencedIds } from '../model/needs';
import type { LambdaFunction, Model, PolicySource } from '../model/types';
import { get } from '../tree';
import type { Fix } from '../types';
import { dependsOnFix } from './helpers';
import { defineRule } from '../engine/rule';

/** Everything the function waits for: its `DependsOn`, transitively, and the resources its properties reference. */
function dependencies(model: Model, fn: LambdaFunction): Set<string> {
  const out = new Set(referencedIds(fn.properties, model.resources).map((r) => r.id));
  const seen = new Set<string>();
  const queue = [...fn.dependsOn];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.add(id);
    queue.push(...(model.resources.get(id)?.dependsOn ?? []));
  }
  return out;
}

function fixFor(fn: LambdaFunction, policies: string[]): ((edits: EditBuilder) => Fix | undefined) | undefined {
  return fn.type === 'serverless:function' ? undefined : dependsOnFix(fn, policies);
}

export default defineRule({
  id: 'eni-policy-race',
  severity: 'warning',
  category: 'iam',
  fixSafety: 'safe',
  docs: {
    summary: 'A VPC-attached function that gets its network interface permissions only from a separate policy resource it does not `DependsOn`.',
    rationale:
      'A function waits for its role (it references it), but nothing makes it wait for an `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` ' +
      'or `AWS::IAM::RolePolicy` that attaches itself to that role through `Roles` / `RoleName`. CloudFormation then creates the function ' +
      'and the policy in parallel, and the create fails intermittently with "The provided execution role does not have permissions to call ' +
      'CreateNetworkInterface on EC2". On delete, the policy can go before Lambda has released the function\'s network interfaces, which ' +
      'are then left behind and block the deletion of the subnets and security groups. A `DependsOn` on the policy orders both. A managed ' +
      'policy the role lists in its own `ManagedPolicyArns` is waited for already.',
    invalid: `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
  EniPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: eni
      Roles: [!Ref FnRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses]
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
  EniPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: eni
      Roles: [!Ref FnRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses]
            Resource: '*'
  Fn:
    Type: AWS::Lambda::Function
    DependsOn: EniPolicy
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt FnRole.Arn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
    fix: 'Adds the policy resource to the function\'s `DependsOn` (creating it, or turning a single value into a list). Not offered for Serverless functions, which have no `DependsOn` of their own.',
  },
  messages: {
    race: "Function '{fn}' gets its network interface permissions only from {policies}, attached to role '{role}' by a separate resource the function does not DependsOn: CloudFormation may create the function first (\"does not have permissions to call CreateNetworkInterface\") and delete the policy before Lambda has released the function's network interfaces.",
  },
  check({ model, report }) {
    const complete = (sources: PolicySource[]) => missingActions(eniGrant(sources), ENI_CORE_ACTIONS).length === 0;
    for (const { role, functions, grant: all, missingCore } of judgedRoles(model)) {
      if (missingCore.length > 0) continue;
      const isSeparate = (s: PolicySource) => s.kind === 'policy-resource' && !s.viaRole && s.resource !== undefined;
      const own = role.sources.filter((s) => !isSeparate(s));
      const ownMissing = missingActions(eniGrant(own), ENI_CORE_ACTIONS);
      if (ownMissing.length === 0) continue;
      const contributing = role.sources.filter((s) => isSeparate(s) && ownMissing.some((a) => all.allowed.get(a)?.includes(s)));
      for (const fn of functions) {
        const deps = dependencies(model, fn);
        const waited = contributing.filter((s) => deps.has(s.resource!));
        if (complete([...own, ...waited])) continue;
        const pending = contributing.filter((s) => !deps.has(s.resource!));
        // One policy that completes the permissions is enough; otherwise wait for all of them.
        const enough = pending.find((s) => complete([...own, ...waited, s]));
        const add = (enough ? [enough] : pending).map((s) => s.resource!);
        const dependsOn = get(fn.node, 'DependsOn');
        const conditions = fn.variants.find((v) => v.vpc)?.conditions ?? [];
        report({
          messageId: 'race',
          data: { fn: fn.id, role: role.id, policies: pending.map((s) => `'${s.resource}'`).join(', ') },
          resource: fn.id,
          span: dependsOn ? { start: dependsOn.start, end: dependsOn.end } : fn.anchor,
          related: [
            ...pending.map((s) => ({ message: `'${s.resource}' grants the network interface permissions`, span: s.span })),
            { message: `Execution role '${role.id}'`, span: fn.role.span ?? role.resource!.keySpan },
          ],
          assumed: all.params,
          conditions: fn.variants.some((v) => v.vpc && v.conditions.length === 0) ? [] : conditions,
          fix: fixFor(fn, add),
        });
      }
    }
  },
});
