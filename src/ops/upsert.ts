/**
 * Upsert: describe first; not found → create; otherwise update only when something SageMaker
 * stores changed (definition, role, description, display name, parallelism). An unchanged
 * pipeline is left alone, so its steps' cache keys and version history stay as they are.
 */
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DescribePipelineCommand,
  UpdatePipelineCommand,
  type DescribePipelineCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { createHash } from 'node:crypto';
import { unlessNotFound } from '../aws/errors.js';
import type { SageMakerPort } from '../aws/sagemaker.js';
import { diffDefinitions, type DefinitionChange } from './definition-diff.js';
import type { RunOrigin } from './start.js';

export interface PipelineToDeploy {
  name: string;
  displayName?: string;
  description?: string;
  roleArn: string;
  parallelism?: number;
  /** Definition text as compiled. */
  definitionJson: string;
  /** Set when the definition was staged to S3 (over the inline limit). */
  definitionS3?: { bucket: string; key: string };
  /** Tags from the spec. */
  tags: Record<string, string>;
}

export interface UpsertResult {
  action: 'created' | 'updated' | 'unchanged';
  pipelineArn: string;
  /** What differs from the deployed pipeline (empty for created/unchanged). */
  changes: DefinitionChange[];
  /** Fields other than the definition that changed. */
  settingsChanged: string[];
}

/** Tag values allow letters, digits, spaces and `_.:/=+-@` only, up to 256 characters. */
function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
}

/** The tags a deployment carries: the spec's, plus where it came from. */
export function deploymentTags(spec: Record<string, string>, origin: RunOrigin): { Key: string; Value: string }[] {
  const tags: Record<string, string> = { ...spec };
  if (origin.commit) tags['smpk:commit'] = origin.commit;
  if (origin.repository) tags['smpk:repository'] = origin.repository;
  if (origin.runUrl) tags['smpk:run-url'] = origin.runUrl;
  return Object.entries(tags).map(([Key, Value]) => ({ Key: Key.slice(0, 128), Value: tagValue(Value) }));
}

function definitionParts(p: PipelineToDeploy) {
  return p.definitionS3
    ? { PipelineDefinitionS3Location: { Bucket: p.definitionS3.bucket, ObjectKey: p.definitionS3.key } }
    : { PipelineDefinition: p.definitionJson };
}

/** What changed besides the definition. */
function changedSettings(current: DescribePipelineCommandOutput, p: PipelineToDeploy): string[] {
  const changed: string[] = [];
  if ((current.RoleArn ?? '') !== p.roleArn) changed.push('role');
  if ((current.PipelineDescription ?? '') !== (p.description ?? '')) changed.push('description');
  if ((current.PipelineDisplayName ?? current.PipelineName ?? '') !== (p.displayName ?? current.PipelineDisplayName ?? current.PipelineName ?? '')) changed.push('display name');
  const parallelism = current.ParallelismConfiguration?.MaxParallelExecutionSteps;
  if (parallelism !== p.parallelism && !(parallelism === undefined && p.parallelism === undefined)) changed.push('parallelism');
  return changed;
}

/** Creates or updates the pipeline as needed; tags it with the origin when it changes. */
export async function upsertPipeline(client: SageMakerPort, p: PipelineToDeploy, origin: RunOrigin): Promise<UpsertResult> {
  const current: DescribePipelineCommandOutput | undefined = await unlessNotFound('DescribePipeline', () =>
    client.send(new DescribePipelineCommand({ PipelineName: p.name })),
  );
  const tags = deploymentTags(p.tags, origin);
  const common = {
    PipelineName: p.name,
    RoleArn: p.roleArn,
    ...(p.displayName ? { PipelineDisplayName: p.displayName } : {}),
    ...(p.description ? { PipelineDescription: p.description } : {}),
    ...(p.parallelism ? { ParallelismConfiguration: { MaxParallelExecutionSteps: p.parallelism } } : {}),
    ...definitionParts(p),
  };
  if (!current) {
    // The token makes a retried create of the same definition idempotent.
    const token = createHash('sha256').update(`smpk-create-v1\u0000${p.name}\u0000${p.definitionJson}`).digest('hex');
    const created = await client.send(new CreatePipelineCommand({ ...common, ClientRequestToken: token, ...(tags.length ? { Tags: tags } : {}) }));
    return { action: 'created', pipelineArn: created.PipelineArn ?? '', changes: [], settingsChanged: [] };
  }
  const pipelineArn = current.PipelineArn ?? '';
  let deployed: unknown;
  try {
    deployed = current.PipelineDefinition ? JSON.parse(current.PipelineDefinition) : undefined;
  } catch {
    deployed = current.PipelineDefinition; // not JSON: any difference counts
  }
  const changes = diffDefinitions(deployed, JSON.parse(p.definitionJson));
  const settingsChanged = changedSettings(current, p);
  if (changes.length === 0 && settingsChanged.length === 0) return { action: 'unchanged', pipelineArn, changes, settingsChanged };
  await client.send(new UpdatePipelineCommand(common));
  if (tags.length && pipelineArn) await client.send(new AddTagsCommand({ ResourceArn: pipelineArn, Tags: tags }));
  return { action: 'updated', pipelineArn, changes, settingsChanged };
}
