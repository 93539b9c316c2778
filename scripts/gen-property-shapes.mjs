#!/usr/bin/env node
// Generates src/spec/property-shapes.generated.json: the properties each pipeline step type exposes
// to `Get` expressions, as the SageMaker Python SDK's workflow Properties build them from botocore.
//
//   node scripts/gen-property-shapes.mjs [<botocore>/data] [--out <file>]
//
// The default data directory is the one of the botocore that `python3` imports.
//
// Tree format (compact, depth-bounded; the SageMaker shapes of interest are at most 10 deep and
// not recursive, the bound only guards against a future recursive shape):
//   "string" | "integer" | "number" | "boolean" | "timestamp"   a scalar
//   { "<Member>": node, … }                                     a structure
//   { "[]": node }                                              a list: [0] or ['name']
//   { "{}": node }                                              a map: ['key']
//   "structure" | "list" | "map"                                cut at the depth bound
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';

const SDK_VERSION = 'v2.257.6';
const MAX_DEPTH = 12;

/**
 * Step types (the definition's `Type`) → where their properties come from, as in the SDK's step
 * classes (workflow/steps.py, _utils.py, automl_step.py, endpoint_step.py, emr_step.py,
 * quality_check_step.py, clarify_check_step.py, lambda_step.py, callback_step.py,
 * condition_step.py). `shapes` are merged in order, as `Properties(shape_names=[…])` does.
 */
const STEP_TYPES = {
  Processing: { root: 'DescribeProcessingJobResponse', shapes: ['DescribeProcessingJobResponse'] },
  Training: { root: 'DescribeTrainingJobResponse', shapes: ['DescribeTrainingJobResponse'] },
  Tuning: {
    root: 'DescribeHyperParameterTuningJobResponse',
    shapes: ['DescribeHyperParameterTuningJobResponse', 'ListTrainingJobsForHyperParameterTuningJobResponse'],
  },
  Transform: { root: 'DescribeTransformJobResponse', shapes: ['DescribeTransformJobResponse'] },
  Model: { root: 'DescribeModelOutput', shapes: ['DescribeModelOutput'] },
  RegisterModel: { root: 'DescribeModelPackageOutput', shapes: ['DescribeModelPackageOutput'] },
  AutoML: {
    root: 'DescribeAutoMLJobResponse',
    shapes: ['DescribeAutoMLJobResponse'],
    extra: { BestCandidateProperties: { ModelInsightsJsonReportPath: 'string', ExplainabilityJsonReportPath: 'string' } },
  },
  EndpointConfig: { root: 'DescribeEndpointConfigOutput', shapes: ['DescribeEndpointConfigOutput'] },
  Endpoint: { root: 'DescribeEndpointOutput', shapes: ['DescribeEndpointOutput'] },
  // EMR steps describe the EMR cluster step; the SDK adds the cluster id the step was given.
  EMR: { root: 'emr.Step', service: 'emr', shapes: ['Step'], extra: { ClusterId: 'string' } },
  // Check steps expose S3 URIs of the baselines they computed or used.
  QualityCheck: {
    root: 'QualityCheckStep',
    shapes: [],
    extra: {
      CalculatedBaselineConstraints: 'string',
      CalculatedBaselineStatistics: 'string',
      BaselineUsedForDriftCheckStatistics: 'string',
      BaselineUsedForDriftCheckConstraints: 'string',
    },
  },
  ClarifyCheck: {
    root: 'ClarifyCheckStep',
    shapes: [],
    extra: { CalculatedBaselineConstraints: 'string', BaselineUsedForDriftCheckConstraints: 'string' },
  },
  // Lambda and Callback outputs are reached by name: OutputParameters['<output name>'].
  Lambda: { root: 'LambdaStep', shapes: [], extra: { OutputParameters: { '{}': 'string' } } },
  Callback: { root: 'CallbackStep', shapes: [], extra: { OutputParameters: { '{}': 'string' } } },
  Condition: { root: 'ConditionStep', shapes: [], extra: { Outcome: 'boolean' } },
  Fail: { root: null },
};

const SCALARS = {
  string: 'string', blob: 'string', integer: 'integer', long: 'integer',
  float: 'number', double: 'number', boolean: 'boolean', timestamp: 'timestamp',
};

function parseArgs(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  let dataDir;
  let out = resolve(here, '../src/spec/property-shapes.generated.json');
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--out') out = resolve(argv[++i] ?? out);
    else dataDir = resolve(argv[i]);
  }
  dataDir ??= join(
    execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim(),
    'data',
  );
  return { dataDir, out };
}

function loadModel(dataDir, service, version) {
  const file = join(dataDir, service, version, 'service-2.json.gz');
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
}

function tree(shapes, name, depth) {
  const shape = shapes[name];
  if (shape === undefined) throw new Error(`shape ${name} is not in the service model`);
  const scalar = SCALARS[shape.type];
  if (scalar !== undefined) return scalar;
  if (depth >= MAX_DEPTH) return shape.type;
  switch (shape.type) {
    case 'structure':
      return Object.fromEntries(Object.entries(shape.members).map(([member, ref]) => [member, tree(shapes, ref.shape, depth + 1)]));
    case 'list':
      return { '[]': tree(shapes, shape.member.shape, depth + 1) };
    case 'map':
      return { '{}': tree(shapes, shape.value.shape, depth + 1) };
    default:
      throw new Error(`unexpected shape type ${shape.type} for ${name}`);
  }
}

/** The version of the botocore the data directory belongs to, for the header. */
function botocoreVersion(dataDir) {
  try {
    return /__version__ = '([^']+)'/.exec(readFileSync(join(dataDir, '..', '__init__.py'), 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function main() {
  const { dataDir, out } = parseArgs(process.argv.slice(2));
  const sagemaker = loadModel(dataDir, 'sagemaker', '2017-07-24');
  const emr = loadModel(dataDir, 'emr', '2009-03-31');
  const models = { sagemaker: sagemaker.shapes, emr: emr.shapes };

  const stepTypes = {};
  const shapes = {};
  for (const [type, spec] of Object.entries(STEP_TYPES)) {
    stepTypes[type] = spec.root;
    if (spec.root === null) continue;
    const merged = {};
    for (const name of spec.shapes) Object.assign(merged, tree(models[spec.service ?? 'sagemaker'], name, 0));
    Object.assign(merged, spec.extra ?? {});
    shapes[spec.root] = merged;
  }

  const table = {
    source: `botocore ${botocoreVersion(dataDir)} service models sagemaker/2017-07-24 and emr/2009-03-31, shaped as the SageMaker Python SDK ${SDK_VERSION} workflow Properties expose them`,
    regenerate: 'node scripts/gen-property-shapes.mjs [<botocore>/data]',
    maxDepth: MAX_DEPTH,
    stepTypes,
    shapes,
  };
  writeFileSync(out, `${JSON.stringify(table)}\n`);
  console.log(`wrote ${out}: ${Object.keys(shapes).length} root shapes`);
}

main();
