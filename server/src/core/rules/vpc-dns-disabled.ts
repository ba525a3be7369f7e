import { vpcDnsEdits } from '../endpoint-fixes';
import { endpointsInVpc, functionVpcId } from '../model/queries';
import { getPair } from '../tree';
import { attachedVariants, commonConditions } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (vpc: string) => `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [!GetAtt FnSg.GroupId]
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
${vpc}  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: Lambda, VpcId: !Ref Vpc }
  SecretsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.secretsmanager
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds: [!Ref SubnetA]
      SecurityGroupIds: [!GetAtt FnSg.GroupId]
`;

export default defineRule({
  id: 'vpc-dns-disabled',
  severity: 'error',
  category: 'endpoints',
  fixSafety: 'safe',
  docs: {
    summary: 'An interface endpoint has PrivateDnsEnabled: true in a VPC whose EnableDnsSupport is false or whose EnableDnsHostnames is not true.',
    rationale:
      'Private DNS for an interface endpoint is a private hosted zone that AWS attaches to the VPC, and EC2 accepts it only when the VPC has both DNS attributes on. ' +
      'A template VPC has `EnableDnsSupport: true` by default but `EnableDnsHostnames: false` (the console turns it on, CloudFormation does not), ' +
      'so a stack that adds a private-DNS endpoint to a plain `AWS::EC2::VPC` fails to create the endpoint and rolls back. ' +
      'The rule reads only known values: an attribute given by an unresolvable parameter or a condition stays silent.',
    invalid: TEMPLATE(''),
    valid: TEMPLATE('      EnableDnsSupport: true\n      EnableDnsHostnames: true\n'),
    fix:
      'Sets `EnableDnsSupport` and `EnableDnsHostnames` to true on the VPC. Safe: both are in-place updates, the Amazon DNS server is what Lambda already relies on, ' +
      'and DNS host names only add names for instances with public addresses. When the value came from a parameter\'s default, the fix replaces the parameter reference and is offered as unsafe.',
  },
  messages: {
    hostnames:
      "VPC '{vpc}' does not have EnableDnsHostnames: true, but interface endpoint{s} {endpoints} {set} PrivateDnsEnabled: true: the deployment fails, because private DNS needs EnableDnsSupport and EnableDnsHostnames both true.",
    support:
      "VPC '{vpc}' has EnableDnsSupport false, but interface endpoint{s} {endpoints} {set} PrivateDnsEnabled: true: the deployment fails, because private DNS needs EnableDnsSupport and EnableDnsHostnames both true.",
    both:
      "VPC '{vpc}' has EnableDnsSupport false and EnableDnsHostnames not true, but interface endpoint{s} {endpoints} {set} PrivateDnsEnabled: true: the deployment fails, because private DNS needs both true.",
  },
  check({ model, report }) {
    // Only templates with a VPC-attached function are this tool's business.
    const attached = [...attachedVariants(model)];
    if (attached.length === 0) return;
    for (const vpc of model.vpcs.values()) {
      const support = vpc.enableDnsSupport;
      const hostnames = vpc.enableDnsHostnames;
      const supportOff = support.state !== 'unknown' && support.value === false;
      const hostnamesOff = hostnames.state !== 'unknown' && hostnames.value !== true;
      if (!supportOff && !hostnamesOff) continue;
      const endpoints = endpointsInVpc(model, vpc.id).filter((e) => e.endpointType === 'Interface' && e.privateDns.state !== 'unknown' && e.privateDns.value === true);
      if (endpoints.length === 0) continue;
      // One endpoint that certainly has private DNS is enough; otherwise the finding rests on their defaults or conditions.
      const known = endpoints.some((e) => e.privateDns.state === 'known');
      const always = endpoints.some((e) => !e.condition);
      const props = vpc.properties;
      const node = (hostnamesOff ? getPair(props, 'EnableDnsHostnames') : undefined) ?? (supportOff ? getPair(props, 'EnableDnsSupport') : undefined);
      const assumed = [supportOff ? support.param : undefined, hostnamesOff ? hostnames.param : undefined, ...(known ? [] : endpoints.map((e) => e.privateDns.param))];
      const overridesParameter = (supportOff && support.state === 'assumed') || (hostnamesOff && hostnames.state === 'assumed');
      report({
        messageId: supportOff && hostnamesOff ? 'both' : supportOff ? 'support' : 'hostnames',
        data: {
          vpc: vpc.id,
          s: endpoints.length === 1 ? '' : 's',
          endpoints: endpoints.map((e) => e.id).join(', '),
          set: endpoints.length === 1 ? 'sets' : 'set',
        },
        resource: vpc.id,
        span: node ? { start: node.value.start, end: node.value.end } : vpc.keySpan,
        related: [
          ...endpoints.map((e) => ({ message: `Interface endpoint ${e.id} (${e.service ?? 'unknown service'}) has PrivateDnsEnabled: true`, span: e.privateDns.span ?? e.keySpan })),
          ...attached.filter((a) => functionVpcId(model, a.vpc) === vpc.id).filter((a, i, all) => all.findIndex((b) => b.fn === a.fn) === i)
            .map((a) => ({ message: `Function ${a.fn.id} is attached to this VPC`, span: a.fn.anchor })),
        ],
        assumed,
        conditions: always ? [] : commonConditions(endpoints.map((e) => (e.condition ? [e.condition] : []))),
        fix: props
          ? (edits) => ({
              title: `Set ${[supportOff ? 'EnableDnsSupport' : '', hostnamesOff ? 'EnableDnsHostnames' : ''].filter(Boolean).join(' and ')} to true on ${vpc.id}`,
              safety: overridesParameter ? 'unsafe' : 'safe',
              edits: vpcDnsEdits(edits, vpc),
            })
          : undefined,
      });
    }
  },
});
