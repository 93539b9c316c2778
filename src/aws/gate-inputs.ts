/**
 * The AWS reads the metric gate needs: an S3 object's text, the S3 URI a processing job uploaded
 * an output to, and the latest Approved model package of a group. One request each (or one
 * short listing); what the answers mean is decided in ops/gate.ts.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  DescribeProcessingJobCommand,
  ListModelPackagesCommand,
  type DescribeModelPackageCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { unlessNotFound } from './errors.js';
import type { SageMakerPort } from './sagemaker.js';

/** The subset of S3Client the gate calls. */
export type S3Port = Pick<S3Client, 'send'>;

/** Evaluation reports are small JSON files; anything larger is refused rather than read into memory. */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

/** `s3://bucket/key` → its parts; undefined when it is not such a URI. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucket: m[1] as string, key: m[2] as string } : undefined;
}

/**
 * The text of an S3 object, or undefined when the object (or its bucket) does not exist.
 * Throws for other failures (denied, throttled…) and for objects over `maxBytes`.
 */
export async function readS3Text(s3: S3Port, uri: string, maxBytes = MAX_REPORT_BYTES): Promise<string | undefined> {
  const where = parseS3Uri(uri);
  if (!where) throw new Error(`not an S3 URI: ${uri}`);
  const out = await unlessNotFound('GetObject', () => s3.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key })));
  if (!out) return undefined;
  if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
    throw new Error(`${uri} is ${out.ContentLength} bytes; an evaluation report may be at most ${maxBytes}`);
  }
  const text = (await out.Body?.transformToString('utf-8')) ?? '';
  if (text.length > maxBytes) throw new Error(`${uri} is larger than ${maxBytes} bytes; an evaluation report may be at most ${maxBytes}`);
  return text;
}

/** The job name inside a processing job ARN (`…:processing-job/<name>`). */
export function processingJobName(arn: string): string | undefined {
  return /:processing-job\/([^/]+)$/.exec(arn)?.[1];
}

/**
 * The S3 URI a processing job uploaded its output `outputName` to, or undefined when the job has
 * no such output (or the job does not exist).
 */
export async function processingOutputUri(sagemaker: SageMakerPort, jobName: string, outputName: string): Promise<string | undefined> {
  const job = await unlessNotFound('DescribeProcessingJob', () => sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: jobName })));
  return job?.ProcessingOutputConfig?.Outputs?.find((o) => o.OutputName === outputName)?.S3Output?.S3Uri;
}

/**
 * The newest Approved model package of a group (by creation time), skipping `exclude` (the
 * candidate itself, when the run registered it as Approved). Undefined when there is none or the
 * group does not exist yet (the first run of a new pipeline).
 */
export async function latestApprovedPackage(
  sagemaker: SageMakerPort,
  group: string,
  exclude?: string,
): Promise<DescribeModelPackageCommandOutput | undefined> {
  const listed = await unlessNotFound('ListModelPackages', () =>
    sagemaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: group,
        ModelApprovalStatus: 'Approved',
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        // Two, so that skipping the candidate still leaves the previous one.
        MaxResults: 2,
      }),
    ),
  );
  if (!listed) return undefined;
  const summary = (listed.ModelPackageSummaryList ?? []).find((p) => p.ModelPackageArn && p.ModelPackageArn !== exclude);
  if (!summary?.ModelPackageArn) return undefined;
  return sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: summary.ModelPackageArn }));
}
