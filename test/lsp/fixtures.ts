/** Templates the language server tests open. */

/** SAM: a function with subnets and no security groups (`vpc-config-incomplete`, with a fix). */
export const SAM_MISSING_GROUPS = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      VpcConfig:
        SubnetIds:
          - subnet-0a1b2c3d4e5f60001
          - subnet-0a1b2c3d4e5f60002
`;

/** SAM: the subnets come from Globals (the finding has related information pointing there). */
export const SAM_GLOBALS = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
`;

export const SAM_GLOBALS_JSON = JSON.stringify({
  Transform: 'AWS::Serverless-2016-10-31',
  Resources: {
    Api: {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Handler: 'index.handler',
        Runtime: 'nodejs20.x',
        VpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'] },
      },
    },
  },
}, null, 2);

export const KUBERNETES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

export const WORKFLOW = `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;

export const COMPOSE = `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
  web:
    build: .
    depends_on: [db]
`;

/** A CloudFormation network: VPC, two subnets (one with a NAT route), groups, an endpoint and a function. */
export const NETWORK = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsSupport: true
      EnableDnsHostnames: true
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
      AvailabilityZone: us-east-1b
  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: lambda
      VpcId: !Ref Vpc
  QueueEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Interface
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.sqs
      PrivateDnsEnabled: true
      SubnetIds: [!Ref SubnetA]
  Fn:
    Type: AWS::Lambda::Function
    Condition: IsProd
    DependsOn: LambdaSg
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Role: !Sub arn:aws:iam::\${AWS::AccountId}:role/\${Stage}-fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds:
          - !Ref SubnetA
          - !Ref SubnetB
        SecurityGroupIds:
          - !GetAtt LambdaSg.GroupId
`;
