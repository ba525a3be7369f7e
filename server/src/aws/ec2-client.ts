/**
 * Builds the EC2 clients the ENI listing uses. Credentials come from the SDK's default chain (environment,
 * SSO, shared config and credentials files, process, container and instance metadata); a named profile is
 * passed as the client's `profile`, which that chain honours for both credentials and region. Nothing here
 * logs, so no credential ever reaches an output channel.
 */
import { EC2Client } from '@aws-sdk/client-ec2';

/** Static keys; only tests pass them, real use goes through the default chain. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface Ec2ClientOptions {
  region: string;
  profile?: string;
  /** An EC2-compatible endpoint (emulators, tests). */
  endpoint?: string;
  /** Per HTTP request; a reply slower than this fails the request instead of hanging the listing. */
  requestTimeoutMs?: number;
  /** Left unset, the SDK's own setting applies (AWS_MAX_ATTEMPTS, `max_attempts` in the profile, else 3). */
  maxAttempts?: number;
  /** Fixed credentials, for tests; otherwise the default chain is used. */
  credentials?: StaticCredentials;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/**
 * The SDK prints a multi-line NodeVersionSupportWarning, once per process, on Node versions its future
 * releases will drop, although the ones we depend on run on them; it lands in the user's output (the
 * command line's stderr, the server's log). AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true is the
 * SDK's documented switch for it, read when a client is created. An explicit setting is left alone.
 */
export function disableSdkVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** The configuration every SDK client of the product gets (EC2 here; CloudFormation and SSM for live lookups). */
export function sdkClientConfig(options: Ec2ClientOptions) {
  disableSdkVersionWarning();
  const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    // Without throwOnRequestTimeout the handler only warns on the console and keeps waiting.
    requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 5_000), throwOnRequestTimeout: true },
  };
}

export function createEc2Client(options: Ec2ClientOptions): EC2Client {
  return new EC2Client(sdkClientConfig(options));
}

/**
 * The region the SDK would use with no explicit one (AWS_REGION, or `region` in the profile), or undefined
 * when none is configured.
 */
export async function resolveDefaultRegion(profile?: string): Promise<string | undefined> {
  disableSdkVersionWarning();
  const client = new EC2Client(profile ? { profile } : {});
  try {
    const region = await client.config.region();
    return typeof region === 'string' && region.length > 0 ? region : undefined;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/** An endpoint must be an absolute http(s) URL; anything else is a usage error, not a network failure. */
export function validateEndpoint(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `'${endpoint}' is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `'${endpoint}' is not an http(s) URL`;
  return undefined;
}
