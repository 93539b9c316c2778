/** Thin typed calls to the Model Registry: describe, list (newest first) and approve/reject packages. */
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  UpdateModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type ModelApprovalStatus,
  type ModelPackageSummary,
} from '@aws-sdk/client-sagemaker';
import type { SageMakerPort } from './sagemaker.js';

export type ModelPackageDescription = DescribeModelPackageCommandOutput;

/** DescribeModelPackage. */
export async function describeModelPackage(client: SageMakerPort, arn: string): Promise<ModelPackageDescription> {
  return client.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
}

/** One page of ListModelPackages for a group, newest first. */
export async function listModelPackagesPage(
  client: SageMakerPort,
  group: string,
  nextToken?: string,
): Promise<{ packages: ModelPackageSummary[]; nextToken?: string }> {
  const page = await client.send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: group,
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100,
      ...(nextToken ? { NextToken: nextToken } : {}),
    }),
  );
  return { packages: page.ModelPackageSummaryList ?? [], ...(page.NextToken ? { nextToken: page.NextToken } : {}) };
}

/** UpdateModelPackage with a new approval status and its description. */
export async function setApprovalStatus(client: SageMakerPort, arn: string, status: ModelApprovalStatus, description: string): Promise<void> {
  await client.send(new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: status, ApprovalDescription: description }));
}
