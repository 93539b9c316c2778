/**
 * `gate`: read the candidate's evaluation report from S3, find the baseline (the report of the
 * latest Approved model package in the group), and apply the spec's metric rules.
 *
 * Where the baseline comes from: the package's `ModelMetrics.ModelQuality.Statistics.S3Uri`. That
 * is where the SageMaker SDK examples (and this kit's example specs, through `modelMetrics:
 * modelQuality: statistics:`) register the evaluation report, so no kit-specific metadata is
 * needed and packages registered by other tools work as long as they follow the same convention.
 */
import { latestApprovedPackage, processingJobName, processingOutputUri, readS3Text, type S3Port } from '../aws/gate-inputs.js';
import { describeExecution, listAllExecutionSteps, type SageMakerPort } from '../aws/sagemaker.js';
import type { JsonObject, JsonValue, StepDefinition } from '../compiler/types.js';
import type { Gate } from '../spec/types.generated.js';
import { evaluateRules, JsonPathError, parseJsonPath, type Evaluation } from './metrics.js';
import { summarizeStep, type StepSummary } from './watch.js';

/** Why the gate could not be evaluated at all (as opposed to a failing verdict). */
export type GateErrorKind = 'invalid-gate' | 'report-not-found' | 'invalid-report';

/** The gate could not run: a bad gate section, or no readable report. Never a crash. */
export class GateError extends Error {
  override readonly name = 'GateError';
  constructor(
    readonly kind: GateErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface BaselineInfo {
  modelPackageArn: string;
  version?: number;
  reportUri?: string;
  createdAt?: Date;
}

export interface GateResult extends Evaluation {
  pipelineName: string;
  executionArn: string;
  executionStatus?: string;
  steps: StepSummary[];
  reportUri: string;
  modelPackageGroup?: string;
  /** The Approved package compared with; absent without a baseline. */
  baseline?: BaselineInfo;
  /** Why there is no baseline (or why it could not be read). */
  baselineNote?: string;
  /** The package this execution registered, if any. */
  candidatePackageArn?: string;
}

export interface GateInput {
  gate: Gate;
  /** The compiled definition: property files, register-model steps (and the DAG for the report). */
  definition: JsonObject;
  executionArn: string;
  /** The name the report is filed under (the sticky comment's marker); default: the execution ARN's pipeline. */
  pipelineName?: string;
}

export interface GateDeps {
  sagemaker: SageMakerPort;
  s3: S3Port;
}

/** Every step of a definition, condition branches included. */
export function allDefinitionSteps(definition: JsonObject): StepDefinition[] {
  const out: StepDefinition[] = [];
  const visit = (steps: unknown) => {
    if (!Array.isArray(steps)) return;
    for (const s of steps as StepDefinition[]) {
      if (!s || typeof s !== 'object' || typeof s.Name !== 'string') continue;
      out.push(s);
      if (s.Type === 'Condition') {
        visit(s.Arguments?.IfSteps);
        visit(s.Arguments?.ElseSteps);
      }
    }
  };
  visit(definition.Steps);
  return out;
}

/**
 * The model package group of the definition's register-model steps: a literal, or a parameter's
 * default value. Undefined when there is none; an error when steps disagree.
 */
export function definitionModelPackageGroup(definition: JsonObject): string | undefined {
  const params = Array.isArray(definition.Parameters) ? (definition.Parameters as JsonObject[]) : [];
  const groups = new Set<string>();
  for (const step of allDefinitionSteps(definition)) {
    if (step.Type !== 'RegisterModel') continue;
    const g: JsonValue | undefined = step.Arguments?.ModelPackageGroupName;
    if (typeof g === 'string') groups.add(g);
    else if (g && typeof g === 'object' && !Array.isArray(g) && typeof g.Get === 'string' && g.Get.startsWith('Parameters.')) {
      const p = params.find((x) => x.Name === (g.Get as string).slice('Parameters.'.length));
      if (typeof p?.DefaultValue === 'string') groups.add(p.DefaultValue);
    }
  }
  if (groups.size > 1) {
    throw new GateError('invalid-gate', `the spec registers into several model package groups (${[...groups].join(', ')}); set gate.modelPackageGroup to choose the baseline's`);
  }
  return [...groups][0];
}

function pipelineNameOf(executionArn: string): string | undefined {
  return /:pipeline\/([^/]+)\/execution\//.exec(executionArn)?.[1];
}

function parseReport(text: string, uri: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GateError('invalid-report', `${what} at ${uri} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Runs the gate for one execution. Throws GateError when it cannot be evaluated. */
export async function runGate(input: GateInput, deps: GateDeps): Promise<GateResult> {
  const { gate, definition, executionArn } = input;
  // Check every path first: a typo in the spec must not cost AWS calls or look like a missing metric.
  for (const rule of gate.metrics) {
    try {
      parseJsonPath(rule.path);
    } catch (error) {
      if (error instanceof JsonPathError) throw new GateError('invalid-gate', `gate.metrics: ${error.message}`);
      throw error;
    }
  }
  const group = gate.modelPackageGroup ?? definitionModelPackageGroup(definition);

  const execution = await describeExecution(deps.sagemaker, executionArn);
  const listed = await listAllExecutionSteps(deps.sagemaker, executionArn);
  const steps = [...listed.steps].reverse().map(summarizeStep);
  const pipelineName = input.pipelineName ?? pipelineNameOf(executionArn) ?? 'pipeline';
  const executionStatus = execution.PipelineExecutionStatus;
  const candidatePackageArn = listed.steps.map((s) => s.Metadata?.RegisterModel?.Arn).find((a): a is string => typeof a === 'string');

  const reportUri = 's3Uri' in gate.report ? gate.report.s3Uri : await propertyFileUri(gate.report.propertyFile, definition, listed.steps, deps.sagemaker, executionStatus);
  const text = await readS3Text(deps.s3, reportUri);
  if (text === undefined) {
    throw new GateError('report-not-found', `no evaluation report at ${reportUri}${executionStatus && executionStatus !== 'Succeeded' ? ` (the execution is ${executionStatus})` : ''}`);
  }
  const candidate = parseReport(text, reportUri, 'the evaluation report');

  let baselineReport: unknown;
  let baseline: BaselineInfo | undefined;
  let baselineNote: string | undefined;
  if (!group) {
    baselineNote = 'no model package group: the spec has no register-model step and no gate.modelPackageGroup';
  } else {
    const pkg = await latestApprovedPackage(deps.sagemaker, group, candidatePackageArn);
    if (!pkg?.ModelPackageArn) {
      baselineNote = `no Approved model package in group ${group} yet`;
    } else {
      baseline = {
        modelPackageArn: pkg.ModelPackageArn,
        ...(pkg.ModelPackageVersion !== undefined ? { version: pkg.ModelPackageVersion } : {}),
        ...(pkg.CreationTime ? { createdAt: pkg.CreationTime } : {}),
      };
      const uri = pkg.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
      if (!uri) {
        baselineNote = 'the Approved package has no ModelMetrics.ModelQuality.Statistics report to compare with';
      } else {
        baseline.reportUri = uri;
        const baselineText = await readS3Text(deps.s3, uri);
        if (baselineText === undefined) baselineNote = `the Approved package's report ${uri} no longer exists`;
        else {
          try {
            baselineReport = parseReport(baselineText, uri, "the baseline's report");
          } catch (error) {
            // A broken baseline is not the candidate's fault: compare with thresholds only, and say why.
            if (!(error instanceof GateError)) throw error;
            baselineNote = error.message;
          }
        }
      }
    }
  }

  const evaluation = evaluateRules(gate.metrics, candidate, baselineReport);
  return {
    ...evaluation,
    pipelineName,
    executionArn,
    ...(executionStatus ? { executionStatus } : {}),
    steps,
    reportUri,
    ...(group ? { modelPackageGroup: group } : {}),
    ...(baseline ? { baseline } : {}),
    ...(baselineNote ? { baselineNote } : {}),
    ...(candidatePackageArn ? { candidatePackageArn } : {}),
  };
}

/** `<Step>.<PropertyFile>` → the S3 URI of the file this execution's processing job wrote. */
async function propertyFileUri(
  ref: string,
  definition: JsonObject,
  executionSteps: readonly { StepName?: string | undefined; StepStatus?: string | undefined; Metadata?: { ProcessingJob?: { Arn?: string | undefined } | undefined } | undefined }[],
  sagemaker: SageMakerPort,
  executionStatus: string | undefined,
): Promise<string> {
  const dot = ref.indexOf('.');
  const stepName = ref.slice(0, dot);
  const fileName = ref.slice(dot + 1);
  const step = allDefinitionSteps(definition).find((s) => s.Name === stepName);
  if (!step) throw new GateError('invalid-gate', `gate.report: the pipeline has no step ${stepName}`);
  const file = step.PropertyFiles?.find((p) => p.PropertyFileName === fileName);
  if (!file) throw new GateError('invalid-gate', `gate.report: step ${stepName} has no property file ${fileName}`);
  const ran = executionSteps.find((s) => s.StepName === stepName);
  const jobArn = ran?.Metadata?.ProcessingJob?.Arn;
  const job = jobArn ? processingJobName(jobArn) : undefined;
  if (!ran || !job) {
    const state = ran ? `is ${ran.StepStatus ?? 'in an unknown state'} and has no processing job` : 'did not run';
    throw new GateError('report-not-found', `no evaluation report: step ${stepName} ${state} in this execution${executionStatus ? ` (execution ${executionStatus})` : ''}`);
  }
  const outputUri = await processingOutputUri(sagemaker, job, file.OutputName);
  if (!outputUri) throw new GateError('report-not-found', `no evaluation report: processing job ${job} has no output ${file.OutputName}`);
  return `${outputUri.replace(/\/+$/, '')}/${file.FilePath.replace(/^\/+/, '')}`;
}
