/**
 * The AWS account the end-to-end runs show in the ENI explorer, served by the loopback EC2 test server
 * (test/support/ec2-server.ts): one VPC in us-east-1 with two subnets, a function with two interfaces, and an
 * orphaned interface of a deleted function. `EXPECTED` is what the explorer must show for it.
 */
import type { Ec2Data } from '../support/ec2-server';

export const E2E_ACCOUNT = '444455556666';
export const E2E_REGION = 'us-east-1';
export const E2E_ACCESS_KEY_ID = 'AKIAE2ETESTFAKEKEY01';

const description = (fn: string, uuid: string) => `AWS Lambda VPC ENI-${fn}-${uuid}`;

export function e2eAccount(): Ec2Data {
  return {
    vpcs: [{ id: 'vpc-0e2e0000000000001', cidr: '10.42.0.0/16', name: 'e2e-prod', ownerId: E2E_ACCOUNT }],
    subnets: [
      { id: 'subnet-0e2e000000000000a', vpcId: 'vpc-0e2e0000000000001', availabilityZone: 'us-east-1a', cidr: '10.42.1.0/24', availableIps: 247, name: 'e2e-private-a' },
      { id: 'subnet-0e2e000000000000b', vpcId: 'vpc-0e2e0000000000001', availabilityZone: 'us-east-1b', cidr: '10.42.2.0/24', availableIps: 250, name: 'e2e-private-b' },
    ],
    securityGroups: [{ id: 'sg-0e2e0000000000001', name: 'orders-lambda', vpcId: 'vpc-0e2e0000000000001' }],
    networkInterfaces: [
      {
        id: 'eni-0e2e00000000000a1',
        description: description('orders-api', '11111111-2222-3333-4444-555555555555'),
        status: 'in-use',
        interfaceType: 'lambda',
        subnetId: 'subnet-0e2e000000000000a',
        vpcId: 'vpc-0e2e0000000000001',
        availabilityZone: 'us-east-1a',
        privateIp: '10.42.1.10',
        groups: ['sg-0e2e0000000000001'],
        ownerId: E2E_ACCOUNT,
      },
      {
        id: 'eni-0e2e00000000000b1',
        description: description('orders-api', '66666666-7777-8888-9999-aaaaaaaaaaaa'),
        status: 'in-use',
        interfaceType: 'lambda',
        subnetId: 'subnet-0e2e000000000000b',
        vpcId: 'vpc-0e2e0000000000001',
        availabilityZone: 'us-east-1b',
        privateIp: '10.42.2.20',
        groups: ['sg-0e2e0000000000001'],
        ownerId: E2E_ACCOUNT,
      },
      {
        id: 'eni-0e2e00000000000a9',
        description: description('old-report', 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff'),
        status: 'available',
        interfaceType: 'lambda',
        subnetId: 'subnet-0e2e000000000000a',
        vpcId: 'vpc-0e2e0000000000001',
        availabilityZone: 'us-east-1a',
        privateIp: '10.42.1.99',
        groups: ['sg-0e2e0000000000001'],
        ownerId: E2E_ACCOUNT,
      },
    ],
  };
}

/** Labels the explorer must show for `e2eAccount()` once listed (regions, VPCs, subnets, functions and interfaces). */
export const EXPECTED = {
  region: E2E_REGION,
  vpc: 'vpc-0e2e0000000000001',
  subnets: ['subnet-0e2e000000000000a (e2e-private-a)', 'subnet-0e2e000000000000b (e2e-private-b)'],
  functions: ['orders-api', 'old-report'],
  interfaces: ['eni-0e2e00000000000a1', 'eni-0e2e00000000000b1', 'eni-0e2e00000000000a9'],
  orphan: 'eni-0e2e00000000000a9',
};
