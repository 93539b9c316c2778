/**
 * AWS SDK v3 clients for the kit: region, a `sagemaker-pipeline-kit/<version>` user agent and the
 * SDK's standard retry mode. Endpoints are never configured here: the SDK itself honours
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, so the same code reaches AWS or the local backend.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

import { VERSION } from '../version.js';

/** The version the user agent reports. */
export const KIT_VERSION = VERSION;

export interface AwsClients {
  sagemaker: SageMakerClient;
  s3: S3Client;
  codebuild: CodeBuildClient;
  logs: CloudWatchLogsClient;
  runtime: SageMakerRuntimeClient;
}

// Kept in its own module so the CLI can classify it without loading every SDK client.
import { AwsConfigError } from './config-error.js';
export { AwsConfigError };

/** The region from a flag or the standard variables; a clear AwsConfigError when there is none. */
export function resolveRegion(env: Readonly<Record<string, string | undefined>>, flag?: string): string {
  const region = flag ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new AwsConfigError(
      'No AWS region: set AWS_REGION (aws-actions/configure-aws-credentials sets it from its aws-region input) or pass --region.',
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new AwsConfigError(`AWS region ${JSON.stringify(region)} is not a region name such as eu-west-1.`);
  return region;
}

/**
 * The endpoint override for one service, read from the given environment map with the SDK's own
 * precedence (AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL). Reading the map — which is
 * process.env in the CLI — rather than letting the SDK read process.env lets `smpk demo` point an
 * in-process run at the local backend without mutating the process environment.
 */
function endpointFor(env: Readonly<Record<string, string | undefined>>, service: string): { endpoint: string } | Record<string, never> {
  const url = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  return url ? { endpoint: url } : {};
}

/** Creates every client the kit uses, sharing region, user agent and retry settings. */
export function createClients(options: {
  region: string;
  env: Readonly<Record<string, string | undefined>>;
  maxAttempts?: number;
}): AwsClients {
  const { env } = options;
  // Static keys in the map are used as given; otherwise the SDK's default chain (OIDC web
  // identity, profiles, instance roles…) resolves credentials. They are never logged.
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } }
      : {};
  const common = {
    region: options.region,
    customUserAgent: `sagemaker-pipeline-kit/${KIT_VERSION}`,
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? 5,
    ...credentials,
  } as const;
  // A custom S3 endpoint (the local backend, MinIO, a VPC endpoint) cannot serve bucket
  // subdomains, so path-style addressing is used whenever one is configured.
  const s3Endpoint = endpointFor(env, 'S3');
  return {
    sagemaker: new SageMakerClient({ ...common, ...endpointFor(env, 'SAGEMAKER') }),
    s3: new S3Client({ ...common, ...s3Endpoint, forcePathStyle: 'endpoint' in s3Endpoint }),
    codebuild: new CodeBuildClient({ ...common, ...endpointFor(env, 'CODEBUILD') }),
    logs: new CloudWatchLogsClient({ ...common, ...endpointFor(env, 'CLOUDWATCH_LOGS') }),
    runtime: new SageMakerRuntimeClient({ ...common, ...endpointFor(env, 'SAGEMAKER_RUNTIME') }),
  };
}
