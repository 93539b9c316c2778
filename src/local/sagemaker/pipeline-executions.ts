/**
 * StartPipelineExecution and the calls that read and steer executions. The execution record
 * is created here (status Executing), then the engine advances it through the record port.
 */
import { paginate } from '../pagination.js';
import { requireString, resourceNotFound, ServiceError, validation } from '../service-error.js';
import { inputSeconds } from '../wire.js';
import type { StoredSteps } from '../engine-host.js';
import { Collections, nowSeconds, type Input, type Operation, type SageMakerContext } from './context.js';
import { getPipeline, pipelineDefinitionAt, type PipelineRecord } from './pipelines.js';

export interface ExecutionRecord {
  PipelineArn: string;
  PipelineExecutionArn: string;
  PipelineExecutionDisplayName: string;
  PipelineExecutionStatus: string;
  PipelineExecutionDescription?: string;
  PipelineExperimentConfig: { ExperimentName: string; TrialName: string };
  FailureReason?: string;
  CreationTime: number;
  LastModifiedTime: number;
  CreatedBy: Record<string, never>;
  LastModifiedBy: Record<string, never>;
  ParallelismConfiguration?: { MaxParallelExecutionSteps: number };
  SelectiveExecutionConfig?: unknown;
  PipelineVersionId: number;
  /** Internal (never returned): the StartPipelineExecution token that created it. */
  _ClientRequestToken?: string;
}

/** The Describe body of an execution: the stored record without internal members. */
function describeBody(execution: ExecutionRecord): Record<string, unknown> {
  const { _ClientRequestToken: _token, ...body } = execution;
  return body;
}

/** What an execution was started with, kept apart from the Describe body. */
interface ExecutionInputs {
  pipelineName: string;
  definition: string;
  parameters: { Name: string; Value: string }[];
  definitionTime: number;
}

/** An execution by ARN; ResourceNotFound otherwise. */
function getExecution(context: SageMakerContext, arn: string): ExecutionRecord {
  const execution = context.records.get<ExecutionRecord>(Collections.executions, arn);
  if (execution === undefined) throw resourceNotFound(`Pipeline execution '${arn}' does not exist.`);
  return execution;
}

function parametersOf(input: Input): { Name: string; Value: string }[] {
  const value = input['PipelineParameters'];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw validation('PipelineParameters must be a list');
  return value.map((p: unknown) => {
    const parameter = p as { Name?: unknown; Value?: unknown };
    if (typeof parameter.Name !== 'string' || typeof parameter.Value !== 'string') throw validation('Every pipeline parameter needs a Name and a string Value');
    return { Name: parameter.Name, Value: parameter.Value };
  });
}

function launch(context: SageMakerContext, execution: ExecutionRecord, inputs: ExecutionInputs): void {
  const start = {
    definition: inputs.definition,
    parameters: inputs.parameters,
    pipelineName: inputs.pipelineName,
    pipelineArn: execution.PipelineArn,
    executionArn: execution.PipelineExecutionArn,
    region: context.region,
    accountId: '000000000000',
    ...(execution.ParallelismConfiguration === undefined ? {} : { parallelismConfiguration: execution.ParallelismConfiguration }),
  };
  context.executions.start(start);
}

export const executionOperations: Record<string, Operation> = {
  StartPipelineExecution(input, context) {
    const pipeline = getPipeline(context, requireString(input, 'PipelineName'));
    const token = requireString(input, 'ClientRequestToken');
    // The real API is idempotent on the token: a retried start returns the first execution. The
    // token lives inside the execution record, so one atomic write creates both: a crash can
    // never leave an execution without its token (a retry would start a second one) or a
    // token without its execution.
    const prior = context.records
      .list<ExecutionRecord>(Collections.executions)
      .find((e) => e.PipelineArn === pipeline.PipelineArn && e._ClientRequestToken === token);
    if (prior !== undefined) return { PipelineExecutionArn: prior.PipelineExecutionArn };

    const definition = pipelineDefinitionAt(context, pipeline, input['PipelineVersionId']);
    const id = context.newId();
    const now = nowSeconds(context);
    const arn = `${pipeline.PipelineArn}/execution/${id}`;
    const execution: ExecutionRecord = {
      PipelineArn: pipeline.PipelineArn,
      PipelineExecutionArn: arn,
      PipelineExecutionDisplayName:
        typeof input['PipelineExecutionDisplayName'] === 'string' ? input['PipelineExecutionDisplayName'] : `execution-${Math.round(now * 1000)}`,
      PipelineExecutionStatus: 'Executing',
      PipelineExperimentConfig: { ExperimentName: pipeline.PipelineName.toLowerCase(), TrialName: id },
      CreationTime: now,
      LastModifiedTime: now,
      CreatedBy: {},
      LastModifiedBy: {},
      PipelineVersionId: typeof input['PipelineVersionId'] === 'number' ? input['PipelineVersionId'] : pipeline.PipelineVersionId,
      _ClientRequestToken: token,
    };
    if (typeof input['PipelineExecutionDescription'] === 'string') execution.PipelineExecutionDescription = input['PipelineExecutionDescription'];
    const parallel = (input['ParallelismConfiguration'] as ExecutionRecord['ParallelismConfiguration']) ?? pipeline.ParallelismConfiguration;
    if (parallel !== undefined) execution.ParallelismConfiguration = parallel;
    if (input['SelectiveExecutionConfig'] !== undefined) execution.SelectiveExecutionConfig = input['SelectiveExecutionConfig'];
    const inputs: ExecutionInputs = { pipelineName: pipeline.PipelineName, definition, parameters: parametersOf(input), definitionTime: now };

    // Inputs first: an orphaned inputs record (crash before the next line) is harmless.
    context.records.put(Collections.executionInputs, arn, inputs);
    context.records.put(Collections.executions, arn, execution);
    try {
      launch(context, execution, inputs);
    } catch (error) {
      // Rejected input: nothing was started, so nothing may remain recorded.
      context.records.delete(Collections.executions, arn);
      context.records.delete(Collections.executionInputs, arn);
      throw error;
    }
    const updated: PipelineRecord = { ...pipeline, LastRunTime: now };
    context.records.put(Collections.pipelines, pipeline.PipelineName, updated);
    return { PipelineExecutionArn: arn };
  },

  DescribePipelineExecution(input, context) {
    return describeBody(getExecution(context, requireString(input, 'PipelineExecutionArn')));
  },

  DescribePipelineDefinitionForExecution(input, context) {
    const arn = requireString(input, 'PipelineExecutionArn');
    getExecution(context, arn);
    const inputs = context.records.get<ExecutionInputs>(Collections.executionInputs, arn);
    if (inputs === undefined) throw resourceNotFound(`Pipeline execution '${arn}' does not exist.`);
    return { PipelineDefinition: inputs.definition, CreationTime: inputs.definitionTime };
  },

  ListPipelineParametersForExecution(input, context) {
    const arn = requireString(input, 'PipelineExecutionArn');
    getExecution(context, arn);
    const inputs = context.records.get<ExecutionInputs>(Collections.executionInputs, arn);
    const page = paginate(inputs?.parameters ?? [], input['NextToken'], input['MaxResults'], 50);
    return { PipelineParameters: page.items, NextToken: page.nextToken };
  },

  ListPipelineExecutions(input, context) {
    const pipeline = getPipeline(context, requireString(input, 'PipelineName'));
    const after = inputSeconds(input['CreatedAfter']);
    const before = inputSeconds(input['CreatedBefore']);
    const ascending = input['SortOrder'] === 'Ascending';
    const byArn = input['SortBy'] === 'PipelineExecutionArn';
    const executions = context.records
      .list<ExecutionRecord>(Collections.executions)
      .filter((e) => e.PipelineArn === pipeline.PipelineArn)
      .filter((e) => (after === undefined || e.CreationTime > after) && (before === undefined || e.CreationTime < before))
      .sort((a, b) => {
        const order = byArn
          ? a.PipelineExecutionArn.localeCompare(b.PipelineExecutionArn)
          : a.CreationTime - b.CreationTime || a.PipelineExecutionArn.localeCompare(b.PipelineExecutionArn);
        return ascending ? order : -order;
      });
    const page = paginate(executions, input['NextToken'], input['MaxResults'], 10);
    return {
      PipelineExecutionSummaries: page.items.map((e) => ({
        PipelineExecutionArn: e.PipelineExecutionArn,
        StartTime: e.CreationTime,
        PipelineExecutionStatus: e.PipelineExecutionStatus,
        PipelineExecutionDescription: e.PipelineExecutionDescription,
        PipelineExecutionDisplayName: e.PipelineExecutionDisplayName,
        PipelineExecutionFailureReason: e.FailureReason,
      })),
      NextToken: page.nextToken,
    };
  },

  ListPipelineExecutionSteps(input, context) {
    const arn = requireString(input, 'PipelineExecutionArn');
    getExecution(context, arn);
    const steps = context.records.get<StoredSteps>(Collections.steps, arn)?.steps ?? [];
    // SageMaker lists the most recently started step first; unstarted steps sort last.
    const start = (s: Record<string, unknown>): number => (typeof s['StartTime'] === 'number' ? s['StartTime'] : -1);
    const indexed = steps.map((step, index) => ({ step, index }));
    indexed.sort((a, b) => start(b.step) - start(a.step) || b.index - a.index);
    if (input['SortOrder'] === 'Ascending') indexed.reverse();
    const page = paginate(
      indexed.map((i) => i.step),
      input['NextToken'],
      input['MaxResults'],
      10,
    );
    return { PipelineExecutionSteps: page.items, NextToken: page.nextToken };
  },

  StopPipelineExecution(input, context) {
    const arn = requireString(input, 'PipelineExecutionArn');
    const token = requireString(input, 'ClientRequestToken');
    const execution = getExecution(context, arn);
    const tokenKey = `StopPipelineExecution:${arn}:${token}`;
    if (context.records.get(Collections.tokens, tokenKey) !== undefined) return { PipelineExecutionArn: arn };
    if (execution.PipelineExecutionStatus === 'Stopping') return { PipelineExecutionArn: arn };
    if (execution.PipelineExecutionStatus !== 'Executing') {
      throw new ServiceError('ConflictException', `Pipeline execution '${arn}' is in a terminal state (${execution.PipelineExecutionStatus}) and cannot be stopped.`);
    }
    context.executions.stop(arn);
    context.records.put(Collections.tokens, tokenKey, arn);
    return { PipelineExecutionArn: arn };
  },

  RetryPipelineExecution(input, context) {
    const arn = requireString(input, 'PipelineExecutionArn');
    const token = requireString(input, 'ClientRequestToken');
    const execution = getExecution(context, arn);
    const tokenKey = `RetryPipelineExecution:${arn}:${token}`;
    if (context.records.get(Collections.tokens, tokenKey) !== undefined) return { PipelineExecutionArn: arn };
    if (execution.PipelineExecutionStatus !== 'Failed') {
      throw validation(`Pipeline execution '${arn}' is in ${execution.PipelineExecutionStatus} status; only a Failed execution can be retried.`);
    }
    const inputs = context.records.get<ExecutionInputs>(Collections.executionInputs, arn);
    if (inputs === undefined) throw resourceNotFound(`Pipeline execution '${arn}' does not exist.`);
    const retried: ExecutionRecord = { ...execution, PipelineExecutionStatus: 'Executing', LastModifiedTime: nowSeconds(context) };
    delete retried.FailureReason;
    const parallel = input['ParallelismConfiguration'] as ExecutionRecord['ParallelismConfiguration'];
    if (parallel !== undefined) retried.ParallelismConfiguration = parallel;
    context.records.put(Collections.executions, arn, retried);
    // The local engine has no partial re-run: a retry runs the definition again under the same
    // ARN; steps the engine caches (CacheConfig) are served from the cache as SageMaker would.
    launch(context, retried, inputs);
    context.records.put(Collections.tokens, tokenKey, arn);
    return { PipelineExecutionArn: arn };
  },
};
