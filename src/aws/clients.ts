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

export const KIT_VERSION = '0.1.0';

export interface AwsClients {
  sagemaker: SageMakerClient;
  s3: S3Client;
  codebuild: CodeBuildClient;
  logs: CloudWatchLogsClient;
  runtime: SageMakerRuntimeClient;
}

/** A setting the kit needs before it can talk to AWS is missing: exit code 2, one sentence. */
export class AwsConfigError extends Error {
  override readonly name = 'AwsConfigError';
}

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

/** Creates every client the kit uses, sharing region, user agent and retry settings. */
export function createClients(options: {
  region: string;
  env: Readonly<Record<string, string | undefined>>;
  maxAttempts?: number;
}): AwsClients {
  const common = {
    region: options.region,
    customUserAgent: `sagemaker-pipeline-kit/${KIT_VERSION}`,
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? 5,
  } as const;
  // A custom S3 endpoint (the local backend, MinIO, a VPC endpoint) cannot serve bucket
  // subdomains, so path-style addressing is used whenever one is configured.
  const s3Override = options.env.AWS_ENDPOINT_URL_S3 ?? options.env.AWS_ENDPOINT_URL;
  return {
    sagemaker: new SageMakerClient(common),
    s3: new S3Client({ ...common, forcePathStyle: s3Override !== undefined }),
    codebuild: new CodeBuildClient(common),
    logs: new CloudWatchLogsClient(common),
    runtime: new SageMakerRuntimeClient(common),
  };
}
