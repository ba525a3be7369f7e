import { vpcDnsEdits } from '../endpoint-fixes';
import { endpointUsers } from '../model/endpoints';
import { endpointsInVpc } from '../model/queries';
import { get, getPair } from '../tree';
import { commonConditions, endpointUserRelated, namedList } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (dns: string) => `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt FnRole.Arn
      Code: { ZipFile: "exports.handler = async () => 1" }
      Environment:
        Variables: { QUEUE_URL: !Ref Queue }
      VpcConfig:
        SubnetIds: [!Ref SubnetA, !Ref SubnetB]
        SecurityGroupIds: [!GetAtt FnSg.GroupId]
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
  Queue:
    Type: AWS::SQS::Queue
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24 }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: Lambda, VpcId: !Ref Vpc }
  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.sqs
      VpcEndpointType: Interface
      SubnetIds: [!Ref SubnetA, !Ref SubnetB]
      SecurityGroupIds: [!GetAtt FnSg.GroupId]
${dns}`;

export default defineRule({
  id: 'endpoint-private-dns-disabled',
  severity: 'warning',
  category: 'endpoints',
  fixSafety: 'unsafe',
  docs: {
    summary: 'An interface endpoint for a service a function needs leaves PrivateDnsEnabled absent or false.',
    rationale:
      'SDKs call a service by its public name (`sqs.us-east-1.amazonaws.com`). Only with private DNS does that name resolve, inside the VPC, to the interface endpoint\'s addresses; ' +
      'without it the endpoint is reachable only through its own `vpce-...` names, which SDKs do not use unless told to. ' +
      'CloudFormation\'s default for `PrivateDnsEnabled` is false, unlike the console\'s. So the function\'s calls still go to the public address: ' +
      'they hang in a subnet with no way out, and with a NAT they bypass the endpoint (and its policy) and pay NAT data processing. ' +
      'The rule stays silent when another endpoint in the VPC already serves the service (a gateway endpoint, or an interface endpoint with private DNS).',
    invalid: TEMPLATE(''),
    valid: TEMPLATE('      PrivateDnsEnabled: true\n'),
    fix:
      'Sets `PrivateDnsEnabled: true`, and the VPC\'s `EnableDnsSupport` / `EnableDnsHostnames` to true when they are not (private DNS fails to deploy without both). ' +
      'Unsafe: private DNS changes how the whole VPC resolves the service\'s public name, not only for this function. Every instance, container and function in the VPC ' +
      'then reaches the service through this endpoint, so the endpoint\'s security group and policy must admit them all; and it fails to deploy when another endpoint or a private hosted zone already claims the name.',
  },
  messages: {
    unset:
      "Interface endpoint '{endpoint}' ({service}) does not set PrivateDnsEnabled, and CloudFormation's default is false: {functions} still {resolve} the public {service} name, so {their} calls bypass the endpoint through a NAT or hang in a subnet with no way out.",
    disabled:
      "Interface endpoint '{endpoint}' ({service}) has PrivateDnsEnabled false: {functions} still {resolve} the public {service} name, so {their} calls bypass the endpoint through a NAT or hang in a subnet with no way out.",
  },
  check({ model, report }) {
    for (const endpoint of model.endpoints.values()) {
      const vpcId = endpoint.vpc.id;
      if (endpoint.endpointType !== 'Interface' || !endpoint.service || !vpcId) continue;
      const dns = endpoint.privateDns;
      if (dns.state === 'unknown' || dns.value === true) continue;
      const users = endpointUsers(model, endpoint);
      if (users.length === 0) continue;
      const served = endpointsInVpc(model, vpcId).some((e) => e !== endpoint && e.service === endpoint.service && (e.endpointType !== 'Interface' || e.privateDns.value !== false));
      if (served) continue;
      const functions = [...new Set(users.map((u) => u.fn))];
      const props = endpoint.properties;
      const dnsPair = getPair(props, 'PrivateDnsEnabled');
      const anchor = dnsPair?.value ?? get(props, 'VpcEndpointType');
      const vpc = model.vpcs.get(vpcId);
      report({
        messageId: dnsPair ? 'disabled' : 'unset',
        data: {
          endpoint: endpoint.id,
          service: endpoint.service,
          functions: namedList('function', functions.map((f) => f.id)),
          resolve: functions.length === 1 ? 'resolves' : 'resolve',
          their: functions.length === 1 ? 'its' : 'their',
        },
        resource: endpoint.id,
        span: anchor ? { start: anchor.start, end: anchor.end } : endpoint.keySpan,
        related: users.filter((u, i) => users.findIndex((v) => v.fn === u.fn) === i).map(endpointUserRelated),
        assumed: [dns.param],
        conditions: [...commonConditions(users.map((u) => u.variant.conditions)), ...(endpoint.condition ? [endpoint.condition] : [])],
        fix: props
          ? (edits) => ({
              title: `Set PrivateDnsEnabled: true on ${endpoint.id}`,
              safety: 'unsafe',
              edits: [...(vpc ? vpcDnsEdits(edits, vpc) : []), edits.setKey(props, 'PrivateDnsEnabled', true)],
            })
          : undefined,
      });
    }
  },
});
