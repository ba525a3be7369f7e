/**
 * Turns whatever the SDK rejects with into an `AwsFailure`: the SDK's own error code and message, sorted
 * into a kind the CLI and the explorer can act on. The SDK reports service errors, credential-chain
 * failures, socket errors and unparseable bodies in four different shapes; this is the one place that
 * knows them. It reads only names, codes, messages and metadata, never the request, so no credential can
 * leak into a message.
 */
import type { AwsFailure, AwsFailureKind } from './types';

const CREDENTIAL_CODES = new Set([
  'AuthFailure',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);

const ACCESS_CODES = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'OptInRequired', 'Blocked']);

const THROTTLING_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'SlowDown',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The SDK appends a hint about `$response` to deserialization errors; users need only the first line. */
function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

export function toAwsFailure(err: unknown, operation?: string): AwsFailure {
  const e: SdkLikeError = typeof err === 'object' && err !== null ? (err as SdkLikeError) : {};
  const rawMessage = str(e.message) ?? (typeof err === 'string' ? err : String(err));
  const httpStatus = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const requestId = str(e.$metadata?.requestId);
  const name = str(e.name);
  const sysCode = str(e.code);
  // Service errors carry their code as `name` (and `Code`); a bare `Error` name says nothing.
  const serviceCode = str(e.Code) ?? (name && name !== 'Error' ? name : undefined);
  const base = { operation, httpStatus, requestId };

  const make = (kind: AwsFailureKind, code: string, message: string): AwsFailure => ({ kind, code, message, ...base });

  if (name === 'CredentialsProviderError' || serviceCode === 'CredentialsProviderError') {
    return make('credentials', 'CredentialsProviderError', `no credentials: ${firstLine(rawMessage)}`);
  }
  if (serviceCode && CREDENTIAL_CODES.has(serviceCode)) return make('credentials', serviceCode, firstLine(rawMessage));
  if (serviceCode && ACCESS_CODES.has(serviceCode)) return make('access', serviceCode, firstLine(rawMessage));
  if (serviceCode && THROTTLING_CODES.has(serviceCode)) return make('throttling', serviceCode, firstLine(rawMessage));
  // The SDK renames a reset socket `TimeoutError` (so that it is retried); its socket code tells the truth.
  if (sysCode && NETWORK_CODES.has(sysCode)) return make('network', sysCode, `network error: ${firstLine(rawMessage)}`);
  if ((sysCode && TIMEOUT_CODES.has(sysCode)) || (serviceCode && TIMEOUT_CODES.has(serviceCode))) {
    return make('timeout', 'TimeoutError', `request timed out: ${firstLine(rawMessage)}`);
  }

  const unparseable = /Deserialization error|XML parse error|Unexpected end|not well-formed/i.test(rawMessage);
  if (unparseable || (!serviceCode && httpStatus !== undefined && httpStatus >= 300)) {
    if (httpStatus !== undefined && httpStatus >= 500) {
      return make('service', `HTTP${httpStatus}`, `the EC2 endpoint answered HTTP ${httpStatus} without a readable error`);
    }
    if (httpStatus !== undefined && httpStatus >= 300) {
      return make('response', `HTTP${httpStatus}`, `the EC2 endpoint answered HTTP ${httpStatus} without a readable error`);
    }
    return make('response', 'MalformedResponse', `the EC2 endpoint sent a response that could not be read: ${firstLine(rawMessage)}`);
  }
  if (serviceCode) return make(e.$fault === 'server' ? 'service' : 'unknown', serviceCode, firstLine(rawMessage));
  return make('unknown', sysCode ?? 'Error', firstLine(rawMessage));
}

/** One line for people: `AuthFailure: AWS was not able to validate ... (DescribeNetworkInterfaces)`. */
export function describeFailure(failure: AwsFailure): string {
  const where = failure.operation ? ` (${failure.operation})` : '';
  return `${failure.code}: ${failure.message}${where}`;
}
