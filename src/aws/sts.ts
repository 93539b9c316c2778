/**
 * STS, for `smpk doctor` only: who the resolved credentials belong to. Kept out of AwsClients so
 * no other command loads it. Same settings as createClients (region, user agent, retries, static
 * keys from the map, the SDK's endpoint variables read from the map).
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { KIT_VERSION } from './clients.js';

export interface CallerIdentity {
  account: string;
  /** The principal's ARN (an assumed-role session in CI). */
  arn: string;
}

/** The STS endpoint override in effect (AWS_ENDPOINT_URL_STS before AWS_ENDPOINT_URL), if any. */
export function stsEndpoint(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
}

export function createStsClient(region: string, env: Readonly<Record<string, string | undefined>>): STSClient {
  const endpoint = stsEndpoint(env);
  return new STSClient({
    region,
    customUserAgent: `sagemaker-pipeline-kit/${KIT_VERSION}`,
    retryMode: 'standard',
    maxAttempts: 3,
    ...(endpoint ? { endpoint } : {}),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } }
      : {}),
  });
}

/** GetCallerIdentity: the account and principal ARN (never the keys). */
export async function getCallerIdentity(client: STSClient): Promise<CallerIdentity> {
  const out = await client.send(new GetCallerIdentityCommand({}));
  return { account: out.Account ?? '', arn: out.Arn ?? '' };
}
