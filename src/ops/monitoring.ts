/**
 * Model Monitor schedules for the released endpoint (data quality and/or model quality).
 *
 * Baselines come from the model package being released — its DriftCheckBaselines first (what the
 * pipeline's quality-check step used or registered as the baseline), else its ModelMetrics (what
 * the step calculated). The package is what was approved, so the endpoint is monitored against the
 * baselines that went through review, and no pipeline execution (which may have been deleted) has to
 * be looked up. Job definitions cannot be updated: each one is named after a hash of its content
 * and the schedule is pointed at it (Describe → Create or Update).
 */
import { createHash } from 'node:crypto';
import {
  createDataQualityJobDefinition,
  createModelQualityJobDefinition,
  createMonitoringSchedule,
  findMonitoringSchedule,
  jobDefinitionExists,
  updateMonitoringSchedule,
  type DataQualityJobDefinitionInput,
  type ModelQualityJobDefinitionInput,
} from '../aws/monitoring.js';
import type { ModelPackageDescription } from '../aws/model-registry.js';
import type { ProcessingInstanceType } from '@aws-sdk/client-sagemaker';
import type { SageMakerPort } from '../aws/sagemaker.js';
import { resolveImage } from '../compiler/images.js';
import { resourceNamePart } from './deploy.js';
import type { MonitoringSettings } from './release-settings.js';

export interface Baseline {
  statisticsS3Uri?: string;
  constraintsS3Uri?: string;
  /** `DriftCheckBaselines.ModelQuality`, `ModelMetrics.ModelDataQuality`… */
  from: string;
}

export interface MonitoringResult {
  kind: MonitoringSettings['kind'];
  scheduleName: string;
  jobDefinitionName: string;
  action: 'created' | 'updated' | 'unchanged';
  baseline: Baseline;
  schedule: string;
}

/** A monitoring schedule that cannot be set up from what the package carries. */
export class MonitoringSetupError extends Error {
  override readonly name = 'MonitoringSetupError';
}

const PROCESSING_INPUT = '/opt/ml/processing/input/endpoint';
const PROCESSING_OUTPUT = '/opt/ml/processing/output';
/** An hourly schedule's job must end within the hour; 30 minutes leaves room for the next one. */
const MAX_RUNTIME_SECONDS = 1800;

/** The baseline for `kind` from the package (see the module comment for the order). */
export function packageBaseline(pkg: ModelPackageDescription, kind: MonitoringSettings['kind']): Baseline | undefined {
  const candidates =
    kind === 'DataQuality'
      ? [
          ['DriftCheckBaselines.ModelDataQuality', pkg.DriftCheckBaselines?.ModelDataQuality],
          ['ModelMetrics.ModelDataQuality', pkg.ModelMetrics?.ModelDataQuality],
        ]
      : [
          ['DriftCheckBaselines.ModelQuality', pkg.DriftCheckBaselines?.ModelQuality],
          ['ModelMetrics.ModelQuality', pkg.ModelMetrics?.ModelQuality],
        ];
  for (const [from, m] of candidates as [string, { Statistics?: { S3Uri?: string }; Constraints?: { S3Uri?: string } } | undefined][]) {
    const constraints = m?.Constraints?.S3Uri;
    const statistics = m?.Statistics?.S3Uri;
    // Data quality compares against both files; model quality needs the constraints only.
    if (constraints && (kind === 'ModelQuality' || statistics)) return { from, constraintsS3Uri: constraints, ...(statistics ? { statisticsS3Uri: statistics } : {}) };
  }
  return undefined;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);
}

function jobDefinition(
  m: MonitoringSettings,
  input: { endpointName: string; roleArn: string; imageUri: string; baseline: Baseline },
): { kind: 'DataQuality'; body: Omit<DataQualityJobDefinitionInput, 'JobDefinitionName'> } | { kind: 'ModelQuality'; body: Omit<ModelQualityJobDefinitionInput, 'JobDefinitionName'> } {
  const common = {
    JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: m.instanceType as ProcessingInstanceType, VolumeSizeInGB: 20 } },
    RoleArn: input.roleArn,
    StoppingCondition: { MaxRuntimeInSeconds: MAX_RUNTIME_SECONDS },
  };
  const output = { MonitoringOutputs: [{ S3Output: { S3Uri: m.outputS3Uri, LocalPath: PROCESSING_OUTPUT, S3UploadMode: 'EndOfJob' as const } }] };
  const endpointInput = { EndpointName: input.endpointName, LocalPath: PROCESSING_INPUT, S3InputMode: 'File' as const, S3DataDistributionType: 'FullyReplicated' as const };
  if (m.kind === 'DataQuality') {
    return {
      kind: 'DataQuality',
      body: {
        DataQualityBaselineConfig: {
          ConstraintsResource: { S3Uri: input.baseline.constraintsS3Uri },
          StatisticsResource: { S3Uri: input.baseline.statisticsS3Uri },
        },
        DataQualityAppSpecification: { ImageUri: input.imageUri },
        DataQualityJobInput: { EndpointInput: endpointInput },
        DataQualityJobOutputConfig: output,
        ...common,
      },
    };
  }
  return {
    kind: 'ModelQuality',
    body: {
      ModelQualityBaselineConfig: { ConstraintsResource: { S3Uri: input.baseline.constraintsS3Uri } },
      ModelQualityAppSpecification: { ImageUri: input.imageUri, ...(m.problemType ? { ProblemType: m.problemType } : {}) },
      ModelQualityJobInput: {
        EndpointInput: {
          ...endpointInput,
          ...(m.inferenceAttribute !== undefined ? { InferenceAttribute: m.inferenceAttribute } : {}),
          ...(m.probabilityAttribute !== undefined ? { ProbabilityAttribute: m.probabilityAttribute } : {}),
        },
        GroundTruthS3Input: { S3Uri: m.groundTruthS3Uri },
      },
      ModelQualityJobOutputConfig: output,
      ...common,
    },
  };
}

/** Schedule name per endpoint and kind: `<endpoint>-data-quality` / `<endpoint>-model-quality`. */
export function scheduleName(endpointName: string, kind: MonitoringSettings['kind']): string {
  const suffix = kind === 'DataQuality' ? '-data-quality' : '-model-quality';
  return `${resourceNamePart(endpointName, 63 - suffix.length)}${suffix}`;
}

/** Creates or updates one monitoring schedule for the endpoint. */
export async function ensureMonitoringSchedule(
  client: SageMakerPort,
  m: MonitoringSettings,
  input: { endpointName: string; roleArn: string; region: string; modelPackage: ModelPackageDescription },
): Promise<MonitoringResult> {
  const baseline = packageBaseline(input.modelPackage, m.kind);
  if (!baseline) {
    const field = m.kind === 'DataQuality' ? 'ModelDataQuality' : 'ModelQuality';
    throw new MonitoringSetupError(
      `${m.kind} monitoring needs a baseline, but model package ${input.modelPackage.ModelPackageArn ?? ''} has neither DriftCheckBaselines.${field} nor ModelMetrics.${field}; register the package with the outputs of step ${m.baselineStep} (driftCheckBaselines / modelMetrics in its register-model step).`,
    );
  }
  const image = resolveImage({ framework: 'model-monitor', version: '', region: input.region, scope: 'monitoring' });
  if ('error' in image) throw new MonitoringSetupError(`no Model Monitor image for ${input.region}: ${image.error}`);
  const def = jobDefinition(m, { endpointName: input.endpointName, roleArn: input.roleArn, imageUri: image.uri, baseline });
  const abbreviation = m.kind === 'DataQuality' ? 'dq' : 'mq';
  const suffix = `-${abbreviation}-${hashOf(def.body)}`;
  const jobDefinitionName = `${resourceNamePart(input.endpointName, 63 - suffix.length)}${suffix}`;
  if (!(await jobDefinitionExists(client, m.kind, jobDefinitionName))) {
    if (def.kind === 'DataQuality') await createDataQualityJobDefinition(client, { JobDefinitionName: jobDefinitionName, ...def.body });
    else await createModelQualityJobDefinition(client, { JobDefinitionName: jobDefinitionName, ...def.body });
  }
  const name = scheduleName(input.endpointName, m.kind);
  const config = { ScheduleConfig: { ScheduleExpression: m.schedule }, MonitoringJobDefinitionName: jobDefinitionName, MonitoringType: m.kind };
  const existing = await findMonitoringSchedule(client, name);
  const result = { kind: m.kind, scheduleName: name, jobDefinitionName, baseline, schedule: m.schedule };
  if (!existing) {
    await createMonitoringSchedule(client, name, config);
    return { ...result, action: 'created' };
  }
  const current = existing.MonitoringScheduleConfig;
  if (current?.MonitoringJobDefinitionName === jobDefinitionName && current.ScheduleConfig?.ScheduleExpression === m.schedule && current.MonitoringType === m.kind) {
    return { ...result, action: 'unchanged' };
  }
  await updateMonitoringSchedule(client, name, config);
  return { ...result, action: 'updated' };
}
