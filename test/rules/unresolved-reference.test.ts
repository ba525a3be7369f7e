import rule from '../../server/src/core/rules/unresolved-reference';
import { ruleTester } from '../support/rule-tester';

const vpc = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Table:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
`;

const cfn = (...parts: string[]) => `Resources:\n${parts.join('')}`;

const sam = (...parts: string[]) => `Transform: AWS::Serverless-2016-10-31\nResources:\n${parts.join('')}`;

const samFn = `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      AutoPublishAlias: live
      Events:
        Api:
          Type: Api
          Properties: { Path: /, Method: get }
`;

ruleTester(rule, {
  valid: [
    { name: 'resources, parameters and pseudo parameters', code: `Parameters:\n  Cidr: { Type: String, Default: 10.1.0.0/24 }\n${cfn(vpc, `  Subnet:
    Type: AWS::EC2::Subnet
    DependsOn: [Table]
    Properties:
      VpcId: !GetAtt Vpc.VpcId
      CidrBlock: !Ref Cidr
      AvailabilityZone: !Select [0, !GetAZs !Ref AWS::Region]
      Tags: [{ Key: Name, Value: !Sub '\${AWS::StackName}-\${Cidr}-\${Vpc.CidrBlock}-\${!Literal}' }]
      Ipv6CidrBlock: !Sub ['\${Local}', { Local: !Ref Cidr }]
`)}` },
    { name: 'what SAM generates: the role, the alias, the implicit API', code: sam(samFn, `  Permission:
    Type: AWS::Lambda::Permission
    DependsOn: ServerlessRestApi
    Properties:
      FunctionName: !Ref Fn.Alias
      Principal: !Sub 'apigateway.\${AWS::URLSuffix}'
      Action: lambda:InvokeFunction
      SourceArn: !GetAtt FnRole.Arn
`) },
    { name: 'a macro may add any resource', code: `Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n${cfn(vpc, `  Route:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref IgwFromForEach }
`)}` },
    { name: 'Serverless: what the framework generates for a function, and variables', code: `service: s
provider:
  name: aws
functions:
  hello-world:
    handler: h.main
resources:
  Resources:
    Alarm:
      Type: AWS::CloudWatch::Alarm
      DependsOn: HelloDashworldLambdaFunction
      Properties:
        AlarmActions: [!Ref '\${self:custom.topic}']
        Dimensions: [{ Name: FunctionName, Value: !Ref HelloDashworldLambdaFunction }]
        Namespace: !Sub '\${self:service}-\${AWS::Region}'
` },
    {
      name: 'a syntax error leaves part of the template out: silent',
      json: false,
      code: `Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VpcId
      CidrBlock: '10.0.0.0/24
    '
Parameters:
  VpcId: { Type: String }
`,
    },
    { name: 'Serverless with a plugin: silent', code: `service: s
plugins: [serverless-plugin-anything]
provider:
  name: aws
functions:
  api:
    handler: h.main
resources:
  Resources:
    Queue:
      Type: AWS::SQS::Queue
      Properties: { RedrivePolicy: { deadLetterTargetArn: !GetAtt PluginQueue.Arn } }
` },
  ],
  invalid: [
    {
      name: 'a route table id with a typo',
      code: cfn(vpc, `  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.us-east-1.s3
      RouteTableIds: [!Ref Tabel]
`),
      errors: [{ messageId: 'ref', resource: 'Endpoint', path: ['Resources', 'Endpoint', 'Properties', 'RouteTableIds', 0, 'Ref'], line: 13, severity: 'error', message: "'Endpoint' refers to 'Tabel' (Ref)" }],
      output: null,
    },
    {
      name: 'Fn::GetAtt of a parameter and a DependsOn on nothing',
      code: `Parameters:\n  Sg: { Type: String }\n${cfn(vpc, `  Subnet:
    Type: AWS::EC2::Subnet
    DependsOn: [Table, Gateway]
    Properties: { VpcId: !GetAtt Sg.VpcId, CidrBlock: 10.0.0.0/24 }
`)}`,
      errors: [
        { messageId: 'dependsOn', resource: 'Subnet', path: ['Resources', 'Subnet', 'DependsOn', 1], message: "'Subnet' DependsOn 'Gateway'" },
        { messageId: 'getAtt', resource: 'Subnet', path: ['Resources', 'Subnet', 'Properties', 'VpcId', 'Fn::GetAtt'], message: "attribute of 'Sg'" },
      ],
    },
    {
      name: 'Fn::Sub variables: an undefined name and an attribute of nothing, once each',
      code: cfn(vpc, `  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      Tags: [{ Key: Name, Value: !Sub '\${Envirnoment}-\${Gone.Name}-\${Envirnoment}' }]
`),
      errors: [
        { messageId: 'sub', resource: 'Subnet', message: "substitutes 'Envirnoment'" },
        { messageId: 'sub', resource: 'Subnet', message: "substitutes 'Gone'" },
      ],
    },
    {
      name: 'SAM: an id that is not one SAM generates, and an output',
      code: `${sam(samFn)}Outputs:\n  Url:\n    Value: !Sub 'https://\${MyApi}.execute-api.\${AWS::Region}.amazonaws.com/'\n`,
      errors: [{ messageId: 'sub', resource: 'Url', path: ['Outputs', 'Url', 'Value', 'Fn::Sub'] }],
    },
    {
      name: 'Serverless: a resource that neither the service nor the framework defines',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
resources:
  Resources:
    Endpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: vpc-0123
        ServiceName: com.amazonaws.us-east-1.s3
        RouteTableIds: [!Ref PrivateRouteTable]
`,
      errors: [{ messageId: 'ref', resource: 'Endpoint', line: 14 }],
    },
  ],
});
