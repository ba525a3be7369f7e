/** Every rule of the catalogue, in catalogue order. A test checks that each rule file is registered. */
import type { RuleDefinition } from '../engine/rule';
import vpcConfigIncomplete from './vpc-config-incomplete';
import vpcConfigLimits from './vpc-config-limits';
import singleAz from './single-az';
import vpcMismatch from './vpc-mismatch';
import sgRefReturnsName from './sg-ref-returns-name';
import dedicatedTenancy from './dedicated-tenancy';
import publicSubnet from './public-subnet';
import noEgressRoute from './no-egress-route';
import peeringNoTransit from './peering-no-transit';
import privateNatNoInternet from './private-nat-no-internet';
import natInPrivateSubnet from './nat-in-private-subnet';
import natMissingEip from './nat-missing-eip';
import natSingleAz from './nat-single-az';
import missingEndpoint from './missing-endpoint';
import gatewayEndpointNotAssociated from './gateway-endpoint-not-associated';
import endpointPrivateDnsDisabled from './endpoint-private-dns-disabled';
import vpcDnsDisabled from './vpc-dns-disabled';
import endpointSgBlocksHttps from './endpoint-sg-blocks-https';
import sgEgressBlocked from './sg-egress-blocked';
import dbIngressMissing from './db-ingress-missing';
import naclBlocksTraffic from './nacl-blocks-traffic';
import eniPermissionsMissing from './eni-permissions-missing';
import eniPermissionsPartial from './eni-permissions-partial';
import eniPolicyRace from './eni-policy-race';
import edgeFunctionInVpc from './edge-function-in-vpc';
import efsRequiresVpc from './efs-requires-vpc';
import ipv6DualstackUnsupported from './ipv6-dualstack-unsupported';
import subnetCapacity from './subnet-capacity';
import unresolvedReference from './unresolved-reference';
import igwAttachmentRace from './igw-attachment-race';
import vpcWithoutPrivateResources from './vpc-without-private-resources';
import lambdaSgIngressUnused from './lambda-sg-ingress-unused';
import natForGatewayService from './nat-for-gateway-service';
import networkUnknown from './network-unknown';

export const allRules: readonly RuleDefinition[] = [
  vpcConfigIncomplete,
  vpcConfigLimits,
  singleAz,
  vpcMismatch,
  sgRefReturnsName,
  dedicatedTenancy,
  publicSubnet,
  noEgressRoute,
  peeringNoTransit,
  privateNatNoInternet,
  natInPrivateSubnet,
  natMissingEip,
  natSingleAz,
  missingEndpoint,
  gatewayEndpointNotAssociated,
  endpointPrivateDnsDisabled,
  vpcDnsDisabled,
  endpointSgBlocksHttps,
  sgEgressBlocked,
  dbIngressMissing,
  naclBlocksTraffic,
  eniPermissionsMissing,
  eniPermissionsPartial,
  eniPolicyRace,
  edgeFunctionInVpc,
  efsRequiresVpc,
  ipv6DualstackUnsupported,
  subnetCapacity,
  unresolvedReference,
  igwAttachmentRace,
  vpcWithoutPrivateResources,
  networkUnknown,
  lambdaSgIngressUnused,
  natForGatewayService,
];

export function ruleById(id: string): RuleDefinition | undefined {
  return allRules.find((r) => r.id === id);
}
