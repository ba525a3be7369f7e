import { referencedIds } from '../model/needs';
import type { LambdaFunction, Model } from '../model/types';
import type { Node } from '../tree';
import { get, getPair, isMap } from '../tree';
import type { Related } from '../types';
import { namedList, plural } from './helpers';
import { defineRule } from '../engine/rule';

/** Resource types whose references to a group do not put anything in it: the rules of groups. */
const RULE_TYPES = new Set(['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress']);

/** A map's values except some keys, as one node to search for references. */
function without(node: Node | undefined, keys: string[]): Node | undefined {
  if (!isMap(node)) return node;
  return { ...node, pairs: node.pairs.filter((p) => !keys.includes(String(p.key.value))) };
}

/**
 * Security groups something other than a Lambda function's VPC configuration references: a database,
 * an instance, an endpoint, a launch template, a function's environment (code that starts tasks in it).
 * A group named as the source or destination of another group's rule is not counted: that puts nothing in it.
 */
function otherwiseReferenced(model: Model): Set<string> {
  const ids = new Set(model.securityGroups.keys());
  const out = new Set<string>();
  const scan = (node: Node | undefined) => {
    for (const ref of referencedIds(node, ids)) out.add(ref.id);
  };
  const functions = new Set(model.functions.map((f) => f.id));
  for (const r of model.resources.values()) {
    if (RULE_TYPES.has(r.type)) continue;
    if (functions.has(r.id)) scan(without(r.properties, ['VpcConfig', 'vpc']));
    else scan(r.properties);
  }
  for (const fn of model.functions) scan(fn.environment);
  scan(without(get(get(model.root, 'Globals'), 'Function'), ['VpcConfig']));
  return out;
}

export default defineRule({
  id: 'lambda-sg-ingress-unused',
  severity: 'info',
  category: 'advice',
  fixSafety: 'none',
  docs: {
    summary: 'A security group used only by Lambda functions that has ingress rules.',
    rationale:
      'Lambda uses the network interfaces of a VPC-attached function only for connections the function opens; nothing can open a connection ' +
      'to a function through them (invocations arrive through the Lambda API). Ingress rules on a group that only Lambda functions use therefore ' +
      'admit nothing: they suggest a path that does not exist, and they start admitting traffic the day the group is attached to something else. ' +
      'Replies to the function\'s own connections need no ingress rule, because security groups are stateful. A group named as the source of ' +
      'another group\'s rule (a database admitting the function\'s group) is still used only by Lambda.',
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
        SecurityGroupIds: [!GetAtt FnSecurityGroup.GroupId]
  FnSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
      VpcId: vpc-0a1b2c3d4e5f60001
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }
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
        SecurityGroupIds: [!GetAtt FnSecurityGroup.GroupId]
  FnSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
      VpcId: vpc-0a1b2c3d4e5f60001
`,
  },
  messages: {
    unusedIngress:
      "Security group '{sg}' is used only by Lambda ({fns}) yet has {count}: nothing can open a connection to a function through its VPC interface, so ingress rules there admit nothing now and open a path as soon as the group is attached to something else.",
  },
  check({ model, report }) {
    const users = new Map<string, LambdaFunction[]>();
    for (const fn of model.functions) {
      for (const variant of fn.variants) {
        for (const ref of variant.vpc?.securityGroupIds.items ?? []) {
          if (!ref.id || !model.securityGroups.has(ref.id)) continue;
          const list = users.get(ref.id) ?? [];
          if (!list.includes(fn)) list.push(fn);
          users.set(ref.id, list);
        }
      }
    }
    // Searching the whole template for other references is the costly part: only for groups with ingress rules.
    if (![...users.keys()].some((id) => model.securityGroups.get(id)!.ingress.length > 0)) return;
    const other = otherwiseReferenced(model);
    for (const [id, fns] of users) {
      const sg = model.securityGroups.get(id)!;
      if (other.has(id) || sg.ingress.length === 0) continue;
      const inline = getPair(sg.properties, 'SecurityGroupIngress')?.key;
      // Spans of a group read through `${file()}` all sit on the reference: point at the group then.
      const span = inline && sg.keySpan.end <= sg.node.start ? { start: inline.start, end: inline.end } : sg.keySpan;
      const standalone = [...new Set(sg.ingress.flatMap((r) => (r.resource ? [r.resource] : [])))];
      const related: Related[] = [
        ...standalone.map((r) => ({ message: `Ingress rule ${r} on ${id}`, span: model.resources.get(r)!.keySpan })),
        ...fns.map((fn) => ({ message: `Used by function ${fn.id}`, span: fn.anchor })),
      ];
      report({
        messageId: 'unusedIngress',
        data: {
          sg: id,
          fns: namedList('function', fns.map((f) => `'${f.id}'`)),
          count: plural(sg.ingress.length, 'ingress rule'),
        },
        resource: id,
        span,
        related,
      });
    }
  },
});
