import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EXECUTION_VARIABLES,
  isExecutionVariable,
  parsePropertyPath,
  propertyShapeForStepType,
  validatePropertyPath,
  type PropertyType,
} from '../../../src/spec/properties.js';

// Paths taken from the `Get` expressions in the SageMaker Python SDK v2.257.6 unit tests
// (tests/unit/sagemaker/workflow/test_properties.py, test_steps.py, test_emr_step.py, test_automl_step.py,
// test_quality_check_step.py, test_clarify_check_step.py, test_lambda_step.py, test_callback_step.py,
// test_condition_step.py) and from the AWS pipeline examples (abalone, tuning, batch transform).
const valid: [string, string, PropertyType][] = [
  ['Training', 'ModelArtifacts.S3ModelArtifacts', 'string'],
  ['Training', 'TrainingJobName', 'string'],
  ['Training', 'CreationTime', 'timestamp'],
  ['Training', 'HyperParameters', 'map'],
  ['Training', "HyperParameters['epochs']", 'string'],
  ['Training', 'OutputDataConfig.S3OutputPath', 'string'],
  ['Training', "FinalMetricDataList['val:acc'].Value", 'number'],
  ['Training', 'FinalMetricDataList[0].MetricName', 'string'],
  ['Training', 'InputDataConfig[0].DataSource.S3DataSource.S3Uri', 'string'],
  ['Training', "Environment['SM_OUTPUT_NOTEBOOK_NAME']", 'string'],
  ['Training', 'FinalMetricDataList', 'list'],
  ['Processing', "ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri", 'string'],
  ['Processing', "ProcessingOutputConfig.Outputs[\"evaluation\"].S3Output.S3Uri", 'string'],
  ['Processing', 'ProcessingJobName', 'string'],
  ['Processing', 'ProcessingEndTime', 'timestamp'],
  ['Processing', 'ProcessingResources.ClusterConfig.InstanceCount', 'integer'],
  ['Processing', 'ProcessingOutputConfig', 'structure'],
  ['Tuning', 'TrainingJobSummaries[0].TrainingJobName', 'string'],
  ['Tuning', 'BestTrainingJob.TrainingJobName', 'string'],
  ['Tuning', 'HyperParameterTuningJobName', 'string'],
  ['Tuning', 'HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.Type', 'string'],
  ['Tuning', 'ObjectiveStatusCounters.Succeeded', 'integer'],
  ['Tuning', 'BestTrainingJob.FinalHyperParameterTuningJobObjectiveMetric.Value', 'number'],
  ['Transform', 'TransformOutput.S3OutputPath', 'string'],
  ['Transform', 'TransformJobName', 'string'],
  ['Model', 'ModelName', 'string'],
  ['Model', 'PrimaryContainer.Image', 'string'],
  ['RegisterModel', 'ModelPackageArn', 'string'],
  ['RegisterModel', 'ModelPackageName', 'string'],
  ['RegisterModel', 'ValidationSpecification.ValidationRole', 'string'],
  ['RegisterModel', 'InferenceSpecification.Containers[0].ModelDataUrl', 'string'],
  ['RegisterModel', 'ModelApprovalStatus', 'string'],
  ['AutoML', "BestCandidate.InferenceContainers[0].Environment['MODEL_NAME']", 'string'],
  ['AutoML', 'BestCandidateProperties.ModelInsightsJsonReportPath', 'string'],
  ['EMR', 'Status.State', 'string'],
  ['EMR', 'Status.FailureDetails.Reason', 'string'],
  ['EMR', 'Config.Jar', 'string'],
  ['EMR', 'Config.Args', 'list'],
  ['EMR', 'ActionOnFailure', 'string'],
  ['EMR', 'Id', 'string'],
  ['EMR', 'ClusterId', 'string'],
  ['QualityCheck', 'CalculatedBaselineConstraints', 'string'],
  ['QualityCheck', 'CalculatedBaselineStatistics', 'string'],
  ['QualityCheck', 'BaselineUsedForDriftCheckStatistics', 'string'],
  ['QualityCheck', 'BaselineUsedForDriftCheckConstraints', 'string'],
  ['ClarifyCheck', 'CalculatedBaselineConstraints', 'string'],
  ['ClarifyCheck', 'BaselineUsedForDriftCheckConstraints', 'string'],
  ['Lambda', "OutputParameters['output1']", 'string'],
  ['Callback', "OutputParameters['output2']", 'string'],
  ['Condition', 'Outcome', 'boolean'],
  ['Endpoint', 'EndpointStatus', 'string'],
];

describe('validatePropertyPath on real paths', () => {
  it.each(valid)('%s: %s', (stepType, path, type) => {
    const shape = propertyShapeForStepType(stepType);
    expect(shape).toBeDefined();
    expect(validatePropertyPath(shape ?? '', path)).toEqual({ ok: true, type });
  });
});

describe('validatePropertyPath on mistakes', () => {
  it('reports a misspelt top-level property with a suggestion and the valid members', () => {
    const result = validatePropertyPath('DescribeTrainingJobResponse', 'ModelArtifact.S3ModelArtifacts');
    expect(result).toMatchObject({ ok: false, message: 'DescribeTrainingJobResponse has no property "ModelArtifact".' });
    if (result.ok) return;
    expect(result.hint).toMatch(/^Did you mean "ModelArtifacts"\? Properties here: AlgorithmSpecification, AutoMLJobArn, .*TrainingJobName, .*WarmPoolStatus\.$/);
  });

  it('reports the first wrong nested segment, case mistakes included', () => {
    expect(validatePropertyPath('DescribeTrainingJobResponse', 'ModelArtifacts.S3ModelArtifact')).toEqual({
      ok: false,
      message: '"ModelArtifacts" has no property "S3ModelArtifact".',
      hint: 'Did you mean "S3ModelArtifacts"? Properties here: S3ModelArtifacts.',
    });
    expect(validatePropertyPath('DescribeProcessingJobResponse', "ProcessingOutputConfig.Outputs['train'].S3output.S3Uri")).toMatchObject({
      ok: false,
      message: '"ProcessingOutputConfig.Outputs[\'train\']" has no property "S3output".',
      hint: 'Did you mean "S3Output"? Properties here: AppManaged, FeatureStoreOutput, OutputName, S3Output.',
    });
  });

  it('gives no suggestion for a name that is nothing like the valid ones', () => {
    const result = validatePropertyPath('DescribeModelOutput', 'Accuracy');
    expect(result).toMatchObject({ ok: false, message: 'DescribeModelOutput has no property "Accuracy".' });
    expect(!result.ok && result.hint).toMatch(/^Properties here: /);
  });

  it('asks for an index when a list is used like a structure', () => {
    expect(validatePropertyPath('DescribeProcessingJobResponse', 'ProcessingOutputConfig.Outputs.S3Output.S3Uri')).toEqual({
      ok: false,
      message: '"ProcessingOutputConfig.Outputs" is a list; select an element with [0] or [\'<name>\'] before ".S3Output".',
      hint: 'Each element has: AppManaged, FeatureStoreOutput, OutputName, S3Output.',
    });
  });

  it('rejects paths that continue past a scalar or index a structure', () => {
    expect(validatePropertyPath('DescribeTrainingJobResponse', 'ModelArtifacts.S3ModelArtifacts.Bucket')).toEqual({
      ok: false,
      message: '"ModelArtifacts.S3ModelArtifacts" is a string and has no property "Bucket".',
      hint: 'Stop the path at "ModelArtifacts.S3ModelArtifacts".',
    });
    expect(validatePropertyPath('DescribeTrainingJobResponse', 'ModelArtifacts[0]')).toMatchObject({
      ok: false,
      message: '"ModelArtifacts" is a structure, not a list or map, so it cannot be indexed with index [0].',
    });
    expect(validatePropertyPath('DescribeTrainingJobResponse', 'HyperParameters[0]')).toEqual({
      ok: false,
      message: '"HyperParameters" is a map; select a value by key with [\'<key>\'], not by position.',
    });
  });

  it('checks Lambda and Callback output names when the declared outputs are given', () => {
    expect(validatePropertyPath('LambdaStep', "OutputParameters['model_image']", { outputParameters: ['model_image', 'model_artifact'] }))
      .toEqual({ ok: true, type: 'string' });
    expect(validatePropertyPath('CallbackStep', "OutputParameters['model_imag']", { outputParameters: ['model_image', 'model_artifact'] })).toEqual({
      ok: false,
      message: 'The step declares no output parameter "model_imag".',
      hint: 'Did you mean "model_image"? Declared outputs: model_artifact, model_image.',
    });
    expect(validatePropertyPath('LambdaStep', "OutputParameters['x']", { outputParameters: [] })).toEqual({
      ok: false,
      message: 'The step declares no output parameter "x".',
      hint: 'It declares no output parameters at all; add them to the step first.',
    });
    // Other step types ignore the option (rules pass it for every step).
    expect(validatePropertyPath('DescribeTrainingJobResponse', "HyperParameters['lr']", { outputParameters: [] })).toEqual({ ok: true, type: 'string' });
  });

  it('reports malformed syntax and unknown shapes', () => {
    expect(validatePropertyPath('DescribeTrainingJobResponse', '')).toEqual({ ok: false, message: 'The property path is empty.' });
    expect(validatePropertyPath('DescribeTrainingJobResponse', 'ModelArtifacts.')).toMatchObject({ ok: false, message: 'The property path "ModelArtifacts." has no property name after the "." at character 15.' });
    expect(validatePropertyPath('DescribeProcessingJobResponse', "ProcessingOutputConfig.Outputs['train].S3Output")).toMatchObject({ ok: false, message: expect.stringMatching(/malformed \[\.\.\.\] at character 31/) });
    expect(validatePropertyPath('DescribeTrainingJobResponse', 'Model Artifacts')).toMatchObject({ ok: false, message: 'The property path "Model Artifacts" has an unexpected " " at character 6.' });
    expect(validatePropertyPath('DescribeTrainingJobResponses', 'TrainingJobName')).toMatchObject({
      ok: false, message: 'There is no property shape "DescribeTrainingJobResponses".', hint: expect.stringMatching(/^Did you mean "DescribeTrainingJobResponse"\?/),
    });
    expect(validatePropertyPath('ConditionStep', 'Outcomes')).toMatchObject({ ok: false, hint: 'Did you mean "Outcome"? Properties here: Outcome.' });
  });
});

describe('parsePropertyPath', () => {
  it('splits members, indexes and keys', () => {
    expect(parsePropertyPath("A.B[0].C['x:y'][\"z\"]")).toEqual([
      { kind: 'member', name: 'A' }, { kind: 'member', name: 'B' }, { kind: 'index', index: 0 },
      { kind: 'member', name: 'C' }, { kind: 'key', key: 'x:y' }, { kind: 'key', key: 'z' },
    ]);
  });
});

describe('propertyShapeForStepType', () => {
  it('maps definition step types to the shapes the SDK uses', () => {
    expect(propertyShapeForStepType('Training')).toBe('DescribeTrainingJobResponse');
    expect(propertyShapeForStepType('Processing')).toBe('DescribeProcessingJobResponse');
    expect(propertyShapeForStepType('Tuning')).toBe('DescribeHyperParameterTuningJobResponse');
    expect(propertyShapeForStepType('Transform')).toBe('DescribeTransformJobResponse');
    expect(propertyShapeForStepType('Model')).toBe('DescribeModelOutput');
    expect(propertyShapeForStepType('RegisterModel')).toBe('DescribeModelPackageOutput');
    expect(propertyShapeForStepType('EMR')).toBe('emr.Step');
    expect(propertyShapeForStepType('QualityCheck')).toBe('QualityCheckStep');
    expect(propertyShapeForStepType('Fail')).toBeUndefined();
    expect(propertyShapeForStepType('NoSuchType')).toBeUndefined();
  });

  it('gives a tuning step the members of the training-job listing too, as the SDK does', () => {
    expect(validatePropertyPath('DescribeHyperParameterTuningJobResponse', 'TrainingJobSummaries')).toEqual({ ok: true, type: 'list' });
  });
});

describe('execution variables', () => {
  it('lists the SDK execution variables', () => {
    expect(EXECUTION_VARIABLES).toEqual([
      'StartDateTime', 'CurrentDateTime', 'PipelineName', 'PipelineArn',
      'PipelineExecutionId', 'PipelineExecutionArn', 'TrainingJobName', 'ProcessingJobName',
    ]);
    expect(isExecutionVariable('PipelineExecutionId')).toBe(true);
    expect(isExecutionVariable('PipelineExecutionID')).toBe(false);
  });
});

/** The botocore data directory python3 would use, when botocore is installed here. */
function botocoreData(): string | undefined {
  try {
    const dir = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
    return existsSync(join(dir, 'data', 'sagemaker')) ? join(dir, 'data') : undefined;
  } catch {
    return undefined;
  }
}

describe('property-shapes.generated.json', () => {
  const data = botocoreData();
  it.skipIf(data === undefined)('is what the generator writes from the installed botocore', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'smpk-props-')), 'shapes.json');
    execFileSync(process.execPath, ['scripts/gen-property-shapes.mjs', data ?? '', '--out', out]);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync('src/spec/property-shapes.generated.json', 'utf8'));
  });
});
