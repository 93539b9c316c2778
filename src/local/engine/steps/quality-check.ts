/**
 * QualityCheck steps of type DATA_QUALITY, emulated: the step's processing job runs
 * ../data_quality.py (a stdlib stand-in for the Model Monitor analyzer) instead of the analyzer
 * image, then compares against SuppliedBaselineConstraints unless SkipCheck is set.
 */
import path from 'node:path';
import { enginePath } from '../assets.js';
import { StepFailure } from '../failure.js';
import { list, obj } from '../json.js';
import type { JsonObject, StepMetadata } from '../ports.js';
import { joinS3, parseS3Uri } from '../s3-uri.js';
import type { StepRunner } from './context.js';
import { runProcessing } from './processing.js';
import { cannotRunLocally } from './unsupported.js';

/** Runs a QualityCheck step. */
export const runQualityCheck: StepRunner = async (context) => {
  const { args, extras } = context;
  const checkType = String(extras['CheckType'] ?? '');
  if (checkType !== 'DATA_QUALITY') {
    throw cannotRunLocally(context.stepName, 'QualityCheck', `only DATA_QUALITY checks are emulated locally, and this one is ${checkType || 'of no CheckType'}`);
  }
  const inputs = list(args['ProcessingInputs']);
  const extraInputs = inputs.filter((i) => i['InputName'] !== 'baseline_dataset_input');
  if (extraInputs.length > 0) {
    throw cannotRunLocally(context.stepName, 'QualityCheck', `input '${String(extraInputs[0]?.['InputName'])}' (a record preprocessor or post-analytics script) runs inside the Model Monitor container`);
  }
  const outputUri = String(obj(list(obj(args['ProcessingOutputConfig'])['Outputs'])[0]?.['S3Output'])['S3Uri'] ?? '');
  if (!outputUri.startsWith('s3://')) throw new StepFailure(`ClientError: QualityCheck step '${context.stepName}' has no S3 output for its results.`);
  const supplied = nonEmpty(extras['SuppliedBaselineConstraints']);
  const suppliedStats = nonEmpty(extras['SuppliedBaselineStatistics']);
  const skip = extras['SkipCheck'] === true;
  const env: JsonObject = { ...obj(args['Environment']) };
  const jobInputs: JsonObject[] = [...inputs];
  if (!skip && supplied !== undefined) {
    jobInputs.push({ InputName: 'baseline_constraints', S3Input: { S3Uri: supplied, LocalPath: '/opt/ml/processing/baseline/constraints', S3DataType: 'S3Prefix', S3InputMode: 'File' } });
    env['baseline_constraints'] = `/opt/ml/processing/baseline/constraints/${path.posix.basename(parseS3Uri(supplied).key)}`;
  }
  const app = obj(args['AppSpecification']);
  const job = await runProcessing({
    ...context,
    args: { ...args, ProcessingInputs: jobInputs, Environment: env, AppSpecification: { ...app, ContainerEntrypoint: ['python3', enginePath('data_quality.py')] } },
  });
  const statistics = joinS3(outputUri, 'statistics.json');
  const constraints = joinS3(outputUri, 'constraints.json');
  const registerNew = extras['RegisterNewBaseline'] === true;
  const properties: JsonObject = {
    CalculatedBaselineStatistics: statistics,
    CalculatedBaselineConstraints: constraints,
    BaselineUsedForDriftCheckStatistics: registerNew ? statistics : (suppliedStats ?? statistics),
    BaselineUsedForDriftCheckConstraints: registerNew ? constraints : (supplied ?? constraints),
  };
  const checked = !skip && supplied !== undefined;
  const report = joinS3(outputUri, 'constraint_violations.json');
  const metadata: StepMetadata = {
    QualityCheck: {
      CheckType: checkType,
      ...properties,
      ...(typeof extras['ModelPackageGroupName'] === 'string' ? { ModelPackageGroupName: extras['ModelPackageGroupName'] } : {}),
      ...(checked ? { ViolationReport: report } : {}),
      CheckJobArn: job.metadata.ProcessingJob?.Arn ?? '',
      SkipCheck: skip,
      RegisterNewBaseline: registerNew,
    },
  };
  context.onCreated(metadata);
  if (checked && extras['FailOnViolation'] !== false) {
    const location = parseS3Uri(report);
    const body = await context.ports.objects.get(location.bucket, location.key);
    const found = body === undefined ? [] : list(obj(JSON.parse(new TextDecoder().decode(body)) as JsonObject)['violations']);
    if (found.length > 0) {
      const first = found[0] ?? {};
      throw new StepFailure(
        `ClientError: Quality check failed: ${found.length} violation(s) of the baseline constraints (first: ${String(first['constraint_check_type'])} on '${String(first['feature_name'])}'). Violation report: ${report}`,
      );
    }
  }
  return { properties, metadata };
};

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
