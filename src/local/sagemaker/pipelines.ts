/** CreatePipeline, UpdatePipeline, DescribePipeline, DeletePipeline, ListPipelines. */
import { nameFromArn, sagemakerArn } from '../arns.js';
import { paginate } from '../pagination.js';
import { requireString, resourceNotFound, validation } from '../service-error.js';
import { inputSeconds } from '../wire.js';
import { Collections, nowSeconds, type Input, type Operation, type SageMakerContext } from './context.js';
import { addTags, dropTags } from './tags.js';

export interface PipelineRecord {
  PipelineArn: string;
  PipelineName: string;
  PipelineDisplayName: string;
  PipelineDefinition: string;
  PipelineDescription?: string;
  RoleArn: string;
  PipelineStatus: 'Active';
  CreationTime: number;
  LastModifiedTime: number;
  LastRunTime?: number;
  ParallelismConfiguration?: { MaxParallelExecutionSteps: number };
  PipelineVersionId: number;
  CreatedBy: Record<string, never>;
  LastModifiedBy: Record<string, never>;
}

/** A pipeline by name or ARN; ResourceNotFound otherwise, with SageMaker's message. */
export function getPipeline(context: SageMakerContext, nameOrArn: string): PipelineRecord {
  const name = nameFromArn(nameOrArn, 'pipeline');
  const pipeline =
    context.records.get<PipelineRecord>(Collections.pipelines, name) ??
    context.records.list<PipelineRecord>(Collections.pipelines).find((p) => p.PipelineArn === nameOrArn || p.PipelineName.toLowerCase() === name);
  if (pipeline === undefined) {
    const arn = nameOrArn.startsWith('arn:') ? nameOrArn : sagemakerArn(context.region, 'pipeline', nameOrArn);
    throw resourceNotFound(`Pipeline '${arn}' does not exist.`);
  }
  return pipeline;
}

/** The definition text of a Create/UpdatePipeline request: inline, or read from the local S3. */
function definitionOf(input: Input, context: SageMakerContext): string {
  const inline = input['PipelineDefinition'];
  const location = input['PipelineDefinitionS3Location'] as { Bucket?: string; ObjectKey?: string } | undefined;
  let text: string;
  if (typeof inline === 'string' && inline !== '') {
    text = inline;
  } else if (location !== undefined) {
    const found =
      location.Bucket === undefined || location.ObjectKey === undefined ? undefined : context.objects.getObject(location.Bucket, location.ObjectKey);
    if (found === undefined) {
      throw validation(`Unable to read pipeline definition from S3 location s3://${location.Bucket ?? ''}/${location.ObjectKey ?? ''}: the object does not exist.`);
    }
    text = found.body.toString('utf8');
  } else {
    throw validation('Either PipelineDefinition or PipelineDefinitionS3Location must be provided.');
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  } catch (error) {
    throw validation(`Pipeline definition is not a valid JSON object: ${(error as Error).message}`);
  }
  return text;
}

function saveVersion(context: SageMakerContext, pipeline: PipelineRecord): void {
  context.records.put(Collections.pipelineVersions, `${pipeline.PipelineArn}#${pipeline.PipelineVersionId}`, {
    PipelineDefinition: pipeline.PipelineDefinition,
    CreationTime: pipeline.LastModifiedTime,
  });
}

/** The definition a given version of a pipeline had (the current one when no version is asked for). */
export function pipelineDefinitionAt(context: SageMakerContext, pipeline: PipelineRecord, versionId: unknown): string {
  if (versionId === undefined || Number(versionId) === pipeline.PipelineVersionId) return pipeline.PipelineDefinition;
  const version = context.records.get<{ PipelineDefinition: string }>(Collections.pipelineVersions, `${pipeline.PipelineArn}#${String(versionId)}`);
  if (version === undefined) throw resourceNotFound(`Pipeline version ${String(versionId)} of pipeline '${pipeline.PipelineArn}' does not exist.`);
  return version.PipelineDefinition;
}

function parallelism(input: Input): { MaxParallelExecutionSteps: number } | undefined {
  const value = input['ParallelismConfiguration'] as { MaxParallelExecutionSteps?: unknown } | undefined;
  if (value === undefined) return undefined;
  if (typeof value.MaxParallelExecutionSteps !== 'number' || value.MaxParallelExecutionSteps < 1) {
    throw validation('ParallelismConfiguration.MaxParallelExecutionSteps must be an integer of at least 1');
  }
  return { MaxParallelExecutionSteps: value.MaxParallelExecutionSteps };
}

function summary(p: PipelineRecord): Record<string, unknown> {
  return {
    PipelineArn: p.PipelineArn,
    PipelineName: p.PipelineName,
    PipelineDisplayName: p.PipelineDisplayName,
    PipelineDescription: p.PipelineDescription,
    RoleArn: p.RoleArn,
    CreationTime: p.CreationTime,
    LastModifiedTime: p.LastModifiedTime,
    LastExecutionTime: p.LastRunTime,
  };
}

export const pipelineOperations: Record<string, Operation> = {
  CreatePipeline(input, context) {
    const name = requireString(input, 'PipelineName');
    const token = requireString(input, 'ClientRequestToken');
    const roleArn = requireString(input, 'RoleArn');
    const tokenKey = `CreatePipeline:${token}`;
    const prior = context.records.get<string>(Collections.tokens, tokenKey);
    // A retried create (same token) answers as the first one did instead of failing on the name.
    if (prior !== undefined && context.records.get(Collections.pipelines, name) !== undefined) return { PipelineArn: prior };
    if (context.records.get(Collections.pipelines, name) !== undefined) {
      throw validation(`Pipeline names must be unique within an AWS account and region. Pipeline with name (${name}) already exists.`);
    }
    const now = nowSeconds(context);
    const pipeline: PipelineRecord = {
      PipelineArn: sagemakerArn(context.region, 'pipeline', name),
      PipelineName: name,
      PipelineDisplayName: typeof input['PipelineDisplayName'] === 'string' ? input['PipelineDisplayName'] : name,
      PipelineDefinition: definitionOf(input, context),
      RoleArn: roleArn,
      PipelineStatus: 'Active',
      CreationTime: now,
      LastModifiedTime: now,
      PipelineVersionId: 1,
      CreatedBy: {},
      LastModifiedBy: {},
    };
    if (typeof input['PipelineDescription'] === 'string') pipeline.PipelineDescription = input['PipelineDescription'];
    const parallel = parallelism(input);
    if (parallel !== undefined) pipeline.ParallelismConfiguration = parallel;
    if (input['Tags'] !== undefined) addTags(context, pipeline.PipelineArn, input['Tags']);
    context.records.put(Collections.pipelines, name, pipeline);
    saveVersion(context, pipeline);
    context.records.put(Collections.tokens, tokenKey, pipeline.PipelineArn);
    return { PipelineArn: pipeline.PipelineArn };
  },

  UpdatePipeline(input, context) {
    const pipeline = getPipeline(context, requireString(input, 'PipelineName'));
    if (input['PipelineDefinition'] !== undefined || input['PipelineDefinitionS3Location'] !== undefined) {
      pipeline.PipelineDefinition = definitionOf(input, context);
    }
    if (typeof input['PipelineDisplayName'] === 'string') pipeline.PipelineDisplayName = input['PipelineDisplayName'];
    if (typeof input['PipelineDescription'] === 'string') pipeline.PipelineDescription = input['PipelineDescription'];
    if (typeof input['RoleArn'] === 'string') pipeline.RoleArn = input['RoleArn'];
    const parallel = parallelism(input);
    if (parallel !== undefined) pipeline.ParallelismConfiguration = parallel;
    pipeline.LastModifiedTime = nowSeconds(context);
    pipeline.PipelineVersionId += 1;
    context.records.put(Collections.pipelines, pipeline.PipelineName, pipeline);
    saveVersion(context, pipeline);
    return { PipelineArn: pipeline.PipelineArn, PipelineVersionId: pipeline.PipelineVersionId };
  },

  DescribePipeline(input, context) {
    const pipeline = getPipeline(context, requireString(input, 'PipelineName'));
    const definition = pipelineDefinitionAt(context, pipeline, input['PipelineVersionId']);
    return { ...pipeline, PipelineDefinition: definition, PipelineVersionId: undefined };
  },

  DeletePipeline(input, context) {
    requireString(input, 'ClientRequestToken');
    const pipeline = getPipeline(context, requireString(input, 'PipelineName'));
    const running = context.records
      .list<{ PipelineArn: string; PipelineExecutionArn: string; PipelineExecutionStatus: string }>(Collections.executions)
      .filter((e) => e.PipelineArn === pipeline.PipelineArn && (e.PipelineExecutionStatus === 'Executing' || e.PipelineExecutionStatus === 'Stopping'));
    // Deleting a pipeline under a running execution would orphan it; the local backend stops them first.
    for (const execution of running) context.executions.stop(execution.PipelineExecutionArn);
    context.records.delete(Collections.pipelines, pipeline.PipelineName);
    dropTags(context, pipeline.PipelineArn);
    return { PipelineArn: pipeline.PipelineArn };
  },

  ListPipelines(input, context) {
    const prefix = typeof input['PipelineNamePrefix'] === 'string' ? input['PipelineNamePrefix'] : '';
    const after = inputSeconds(input['CreatedAfter']);
    const before = inputSeconds(input['CreatedBefore']);
    const byName = input['SortBy'] === 'Name';
    const ascending = input['SortOrder'] === 'Ascending';
    const pipelines = context.records
      .list<PipelineRecord>(Collections.pipelines)
      .filter((p) => p.PipelineName.startsWith(prefix))
      .filter((p) => (after === undefined || p.CreationTime > after) && (before === undefined || p.CreationTime < before))
      .sort((a, b) => {
        const order = byName ? a.PipelineName.localeCompare(b.PipelineName) : a.CreationTime - b.CreationTime || a.PipelineName.localeCompare(b.PipelineName);
        return ascending ? order : -order;
      });
    const page = paginate(pipelines, input['NextToken'], input['MaxResults'], 10);
    return { PipelineSummaries: page.items.map(summary), NextToken: page.nextToken };
  },
};
