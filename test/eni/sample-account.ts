/**
 * One small account shared by the ENI tests: two VPCs in us-east-1 and one in eu-west-1, Lambda interfaces of
 * both generations (interface type `lambda`, and description-only), an orphan, a function name with dashes,
 * and non-Lambda interfaces (an instance, a NAT gateway) that must never be listed.
 */
import type { Ec2Data } from '../support/ec2-server';

export const ACCOUNT = '111122223333';

export function lambdaDescription(fn: string, uuid = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'): string {
  return `AWS Lambda VPC ENI-${fn}-${uuid}`;
}

export function sampleAccount(): Ec2Data {
  return {
    vpcs: [
      { id: 'vpc-0a1', cidr: '10.0.0.0/16', name: 'prod', ownerId: ACCOUNT },
      { id: 'vpc-0b2', cidr: '10.1.0.0/16', name: 'staging', ownerId: ACCOUNT },
      { id: 'vpc-0e1', cidr: '10.9.0.0/16', ownerId: ACCOUNT, region: 'eu-west-1' },
    ],
    subnets: [
      { id: 'subnet-0a1a', vpcId: 'vpc-0a1', availabilityZone: 'us-east-1a', cidr: '10.0.1.0/24', availableIps: 248, name: 'private-a' },
      { id: 'subnet-0a1b', vpcId: 'vpc-0a1', availabilityZone: 'us-east-1b', cidr: '10.0.2.0/24', availableIps: 250, name: 'private-b' },
      { id: 'subnet-0b2a', vpcId: 'vpc-0b2', availabilityZone: 'us-east-1a', cidr: '10.1.1.0/28', availableIps: 9 },
      { id: 'subnet-0e1a', vpcId: 'vpc-0e1', availabilityZone: 'eu-west-1a', cidr: '10.9.1.0/24', availableIps: 251, region: 'eu-west-1' },
    ],
    securityGroups: [
      { id: 'sg-0aaa', name: 'orders-lambda', vpcId: 'vpc-0a1' },
      { id: 'sg-0bbb', name: 'db-clients', vpcId: 'vpc-0a1' },
      { id: 'sg-0ccc', name: 'staging-lambda', vpcId: 'vpc-0b2' },
      { id: 'sg-0eee', name: 'billing', vpcId: 'vpc-0e1', region: 'eu-west-1' },
    ],
    networkInterfaces: [
      {
        id: 'eni-0001',
        description: lambdaDescription('orders-api', '11111111-2222-3333-4444-555555555555'),
        status: 'in-use',
        interfaceType: 'lambda',
        subnetId: 'subnet-0a1a',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1a',
        privateIp: '10.0.1.23',
        ipv6: ['2600:1f18:aaaa:1::17'],
        groups: ['sg-0aaa', 'sg-0bbb'],
        ownerId: ACCOUNT,
      },
      {
        id: 'eni-0002',
        description: lambdaDescription('orders-api', '66666666-7777-8888-9999-aaaaaaaaaaaa'),
        status: 'in-use',
        interfaceType: 'lambda',
        subnetId: 'subnet-0a1b',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1b',
        privateIp: '10.0.2.41',
        groups: ['sg-0aaa'],
        ownerId: ACCOUNT,
      },
      {
        // An older interface: only the description says it is Lambda's; left behind, so `available`.
        id: 'eni-0003',
        description: lambdaDescription('report-gen-v2'),
        status: 'available',
        interfaceType: 'interface',
        subnetId: 'subnet-0a1a',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1a',
        privateIp: '10.0.1.77',
        groups: ['sg-0bbb'],
        ownerId: ACCOUNT,
      },
      {
        id: 'eni-0004',
        description: lambdaDescription('staging-worker'),
        status: 'in-use',
        interfaceType: 'lambda',
        subnetId: 'subnet-0b2a',
        vpcId: 'vpc-0b2',
        availabilityZone: 'us-east-1a',
        privateIp: '10.1.1.5',
        groups: ['sg-0ccc'],
        ownerId: ACCOUNT,
      },
      {
        id: 'eni-0100',
        description: 'Primary network interface',
        status: 'in-use',
        interfaceType: 'interface',
        subnetId: 'subnet-0a1a',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1a',
        privateIp: '10.0.1.10',
        groups: ['sg-0aaa'],
        ownerId: ACCOUNT,
      },
      {
        id: 'eni-0101',
        description: 'Interface for NAT Gateway nat-0123',
        status: 'in-use',
        interfaceType: 'nat_gateway',
        subnetId: 'subnet-0a1b',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1b',
        privateIp: '10.0.2.5',
        groups: [],
        ownerId: ACCOUNT,
      },
      {
        id: 'eni-0201',
        description: lambdaDescription('billing'),
        status: 'in-use',
        interfaceType: 'lambda',
        subnetId: 'subnet-0e1a',
        vpcId: 'vpc-0e1',
        availabilityZone: 'eu-west-1a',
        privateIp: '10.9.1.8',
        groups: ['sg-0eee'],
        ownerId: ACCOUNT,
        region: 'eu-west-1',
      },
    ],
  };
}

/** Static fake credentials: the server never validates signatures, only reads the scope. */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
