/**
 * AWS error classification. Errors are classified by exception name and HTTP status — never by
 * message text — with one deliberate exception kept in `isNotFound`: SageMaker reports some missing
 * resources only as a ValidationException whose message says so.
 */

/** The parts of an AWS SDK v3 service exception we rely on. */
interface ServiceErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  code?: unknown;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'LimitExceededException', // CodeBuild's and CloudWatch Logs' name for API rate limiting
]);

const TRANSIENT_NAMES = new Set(['InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException', 'RequestTimeout', 'RequestTimeoutException']);

const TRANSIENT_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'UND_ERR_SOCKET']);

const CREDENTIAL_NAMES = new Set(['CredentialsProviderError', 'ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'IncompleteSignature', 'MissingAuthenticationTokenException', 'TokenRefreshRequired']);

function asServiceError(error: unknown): ServiceErrorLike {
  return typeof error === 'object' && error !== null ? (error as ServiceErrorLike) : {};
}

/** The exception name (`ResourceNotFound`, `ThrottlingException`…), or undefined for non-AWS errors. */
export function errorName(error: unknown): string | undefined {
  const name = asServiceError(error).name;
  return typeof name === 'string' ? name : undefined;
}

/** HTTP status of the failed call, when the SDK recorded one. */
export function httpStatus(error: unknown): number | undefined {
  return asServiceError(error).$metadata?.httpStatusCode;
}

/** The service asked us to slow down. */
export function isThrottling(error: unknown): boolean {
  const e = asServiceError(error);
  return THROTTLING_NAMES.has(errorName(error) ?? '') || e.$retryable?.throttling === true || httpStatus(error) === 429;
}

/** A failure that the same request may not hit again: 5xx, resets, timeouts. */
export function isTransient(error: unknown): boolean {
  const e = asServiceError(error);
  const status = httpStatus(error);
  if (status !== undefined && status >= 500) return true;
  if (TRANSIENT_NAMES.has(errorName(error) ?? '')) return true;
  return typeof e.code === 'string' && TRANSIENT_NODE_CODES.has(e.code);
}

/** Worth retrying with backoff: throttling or transient. */
export function isRetryable(error: unknown): boolean {
  return isThrottling(error) || isTransient(error);
}

/** Missing, expired or rejected credentials. */
export function isCredentialsError(error: unknown): boolean {
  return CREDENTIAL_NAMES.has(errorName(error) ?? '');
}

/**
 * SageMaker operations whose "not found" arrives as a ValidationException rather than
 * ResourceNotFound — observed for the endpoint, endpoint-config and model describes (and their
 * deletes), which answer "Could not find endpoint …" / "Could not find model …". Kept in one place,
 * with a test per operation, so this knowledge never spreads into call sites.
 */
export const NOT_FOUND_AS_VALIDATION = new Set([
  'DescribeEndpoint',
  'DescribeEndpointConfig',
  'DescribeModel',
  'DeleteEndpoint',
  'DeleteEndpointConfig',
  'DeleteModel',
  'UpdateEndpoint',
  'DescribeMonitoringSchedule',
]);

/**
 * True when `error` means the resource the operation asked for does not exist. `operation` is the
 * API operation name; for those in NOT_FOUND_AS_VALIDATION the ValidationException message is the
 * only signal SageMaker gives, so it is checked there and nowhere else.
 */
export function isNotFound(error: unknown, operation: string): boolean {
  const name = errorName(error);
  if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException' || name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket') {
    return true;
  }
  if (name === 'ValidationException' && NOT_FOUND_AS_VALIDATION.has(operation)) {
    const message = asServiceError(error).message;
    return typeof message === 'string' && /\b(could not find|does not exist|not found)\b/i.test(message);
  }
  return false;
}

/**
 * Runs one AWS call; undefined when it failed only because the resource does not exist (as
 * `isNotFound` decides for `operation`), the error itself otherwise. The one shape for every
 * "describe, or nothing" in the kit.
 */
export async function unlessNotFound<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error, operation)) return undefined;
    throw error;
  }
}

/** One readable sentence for an AWS failure, with what to do where we know. */
export function describeAwsError(error: unknown, operation: string): string {
  const name = errorName(error) ?? 'Error';
  const message = (() => {
    const m = asServiceError(error).message;
    return typeof m === 'string' && m ? m : String(error);
  })();
  if (isCredentialsError(error) || name === 'CredentialsProviderError') {
    return `${operation} failed: no valid AWS credentials (${message}). Provide them through the environment: in GitHub Actions use aws-actions/configure-aws-credentials with OIDC; in GitLab CI use id_tokens with AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE; locally, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`;
  }
  const code = asServiceError(error).code;
  if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code)) {
    return `${operation} failed: cannot reach the AWS endpoint (${code}: ${message}). Check the network, the region, and AWS_ENDPOINT_URL if set (for the local backend: is \`smpk local start\` running?).`;
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return `${operation} was denied: ${message}. The CI role needs this permission; \`smpk iam-policy <spec>\` prints the policy it needs.`;
  }
  return `${operation} failed: ${name}: ${message}`;
}
