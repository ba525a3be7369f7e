/**
 * The three read-only SDK clients live lookups use, configured the way the ENI explorer configures its
 * EC2 client (`aws/ec2-client.ts`): the SDK's default credential chain or a named profile, the region
 * given, one endpoint for every service when set (emulators, tests), and a request timeout that fails a
 * slow call instead of hanging the analysis.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createEc2Client, sdkClientConfig } from '../aws/ec2-client';
import type { Ec2ClientOptions } from '../aws/ec2-client';

export type LiveClientOptions = Ec2ClientOptions;

export interface LiveClients {
  ec2: Pick<EC2Client, 'send'>;
  cloudformation: Pick<CloudFormationClient, 'send'>;
  ssm: Pick<SSMClient, 'send'>;
  destroy(): void;
}

export function createLiveClients(options: LiveClientOptions): LiveClients {
  const common = sdkClientConfig(options);
  const ec2 = createEc2Client(options);
  const cloudformation = new CloudFormationClient(common);
  const ssm = new SSMClient(common);
  return {
    ec2,
    cloudformation,
    ssm,
    destroy() {
      ec2.destroy();
      cloudformation.destroy();
      ssm.destroy();
    },
  };
}
