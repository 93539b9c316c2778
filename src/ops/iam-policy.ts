/**
 * Least-privilege IAM policies derived from a compiled spec (issue 6): what the pipeline execution
 * role needs for the step types in the definition, what the CI role needs for `smpk run/watch/
 * stop/gate/release`, and the OIDC trust policies per CI trigger. Pure: no AWS call, the same spec
 * gives the same documents (statements in a fixed order, actions and resources sorted).
 *
 * Job, model and tuning names that SageMaker Pipelines generates start with `pipelines-` (the
 * local engine mirrors that), so job resources are scoped to `<kind>/pipelines-*`.
 */
import type { Asset, CompileResult, JsonObject, JsonValue } from '../compiler/types.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal?: Record<string, string>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface TrustPolicy {
  /** Which job assumes the role with this policy. */
  job: string;
  sub: string;
  policy: PolicyDocument;
}

export interface IamPolicies {
  region: string;
  account: string;
  pipelineRole: { arn: string; policy: PolicyDocument };
  ciRole: { policy: PolicyDocument };
  trust: { github: TrustPolicy[]; gitlab: TrustPolicy[] };
  /** What the reader must know: placeholders, resources that could not be scoped, assumptions. */
  notes: string[];
}

export const REGION_PLACEHOLDER = '${AWS::Region}';
export const ACCOUNT_PLACEHOLDER = '<ACCOUNT_ID>';
const PIPELINE_ROLE_PLACEHOLDER = '<PIPELINE_ROLE_NAME>';
const BUCKET_PLACEHOLDER = '<BUCKET>';

/** The release and gate sections the CI policy depends on (the spec's own shapes, loosely typed). */
export interface PolicySpecSections {
  gate?: unknown;
  release?: {
    endpointName: string;
    modelPackageGroup?: string;
    roleArn?: string;
    dataCapture?: { destinationS3Uri: string };
    asyncInference?: { outputS3Uri: string; failureS3Uri?: string };
    monitoring?: { dataQuality?: { outputS3Uri: string }; modelQuality?: { outputS3Uri: string; groundTruthS3Uri: string } };
  };
}

export interface IamPolicyInput {
  definition: JsonObject;
  pipeline: NonNullable<CompileResult['pipeline']>;
  assets: readonly Asset[];
  spec: PolicySpecSections;
  /** Null when the role / bucket came from the compiler's validation placeholders (nobody named one). */
  roleKnown: boolean;
  bucketKnown: boolean;
  region?: string | undefined;
  account?: string | undefined;
  /** `OWNER/REPO` on GitHub (GITHUB_REPOSITORY). */
  githubRepository?: string | undefined;
  /** `GROUP/PROJECT` on GitLab (CI_PROJECT_PATH) and the instance host (CI_SERVER_HOST). */
  gitlabProject?: string | undefined;
  gitlabHost?: string | undefined;
}

/** The step types a definition can hold and the SageMaker job kind each one starts. */
const JOB_KINDS = {
  Processing: 'processing-job',
  QualityCheck: 'processing-job',
  ClarifyCheck: 'processing-job',
  Training: 'training-job',
  Tuning: 'hyper-parameter-tuning-job',
  Transform: 'transform-job',
} as const;

type JobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];

const JOB_ACTIONS: Record<JobKind, { label: string; create: string; describe: string; stop: string }> = {
  'processing-job': { label: 'ProcessingJobs', create: 'CreateProcessingJob', describe: 'DescribeProcessingJob', stop: 'StopProcessingJob' },
  'training-job': { label: 'TrainingJobs', create: 'CreateTrainingJob', describe: 'DescribeTrainingJob', stop: 'StopTrainingJob' },
  'hyper-parameter-tuning-job': {
    label: 'TuningJobs',
    create: 'CreateHyperParameterTuningJob',
    describe: 'DescribeHyperParameterTuningJob',
    stop: 'StopHyperParameterTuningJob',
  },
  'transform-job': { label: 'TransformJobs', create: 'CreateTransformJob', describe: 'DescribeTransformJob', stop: 'StopTransformJob' },
};

const KNOWN_STEP_TYPES = new Set(['Processing', 'QualityCheck', 'ClarifyCheck', 'Training', 'Tuning', 'Transform', 'Model', 'RegisterModel', 'Condition', 'Fail', 'Lambda', 'Callback', 'EMR']);

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();
const one = (values: string[]): string | string[] => (values.length === 1 ? (values[0] as string) : values);

function statement(Sid: string, actions: Iterable<string>, resources: Iterable<string>, condition?: PolicyStatement['Condition']): PolicyStatement {
  return { Sid, Effect: 'Allow', Action: one(sorted(actions)), Resource: one(sorted(resources)), ...(condition ? { Condition: condition } : {}) };
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Every step of a definition, condition branches included, in definition order. */
export function allSteps(definition: JsonObject): JsonObject[] {
  const out: JsonObject[] = [];
  const visit = (steps: JsonValue | undefined) => {
    if (!Array.isArray(steps)) return;
    for (const step of steps) {
      if (!isObject(step)) continue;
      out.push(step);
      if (step.Type === 'Condition' && isObject(step.Arguments)) {
        visit(step.Arguments.IfSteps);
        visit(step.Arguments.ElseSteps);
      }
    }
  };
  visit(definition.Steps);
  return out;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `visit(value, path)` for every string in `value`, and for the literal head of every `Std:Join`. */
function walkStrings(value: JsonValue | undefined, path: string[], visit: (text: string, path: string[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, String(i)], visit));
  else if (isObject(value)) {
    const join = value['Std:Join'];
    if (isObject(join) && Array.isArray(join.Values) && typeof join.Values[0] === 'string') {
      // A joined URI: only its literal head is known; what follows is decided at run time.
      visit(join.Values[0], path);
    }
    for (const [k, v] of Object.entries(value)) if (k !== 'Std:Join') walkStrings(v, [...path, k], visit);
  }
}

interface S3Access {
  bucket: string;
  /** Key prefix (may be empty: the whole bucket). */
  prefix: string;
  write: boolean;
}

function parseS3(uri: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) return undefined;
  // The resource is `<prefix>*`: the object itself and, for a "directory" or the literal head of a
  // joined URI, everything under it.
  return { bucket: m[1] as string, prefix: m[2] ?? '' };
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+?)(?:[:@].*)?$/;

/** Builds both policies and the trust policies. */
export function buildIamPolicies(input: IamPolicyInput): IamPolicies {
  const notes: string[] = [];
  const region = input.region ?? REGION_PLACEHOLDER;
  const roleAccount = input.roleKnown ? /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(input.pipeline.roleArn)?.[1] : undefined;
  const account = input.account ?? roleAccount ?? ACCOUNT_PLACEHOLDER;
  const partition = input.region ? partitionOf(input.region) : 'aws';
  if (!input.region) notes.push(`No region given (--region or AWS_REGION): resources use ${REGION_PLACEHOLDER}; replace it, or pass --region.`);
  if (!input.account && roleAccount) notes.push(`Account ${roleAccount} is the one in the pipeline role ARN (pass --account to use another).`);
  if (account === ACCOUNT_PLACEHOLDER) notes.push(`No account given (--account, or a pipeline role ARN): resources use ${ACCOUNT_PLACEHOLDER}; replace it.`);

  const roleArn = input.roleKnown ? input.pipeline.roleArn : `arn:${partition}:iam::${account}:role/${PIPELINE_ROLE_PLACEHOLDER}`;
  if (!input.roleKnown) notes.push(`The spec names no pipeline role (pipeline.roleArn, SMPK_ROLE_ARN or --role): ${PIPELINE_ROLE_PLACEHOLDER} stands for it.`);
  const bucket = input.bucketKnown ? input.pipeline.bucket : BUCKET_PLACEHOLDER;
  if (!input.bucketKnown) notes.push(`The spec names no bucket (pipeline.bucket, SMPK_BUCKET or --bucket): ${BUCKET_PLACEHOLDER} stands for it.`);
  const renameBucket = (b: string) => (b === input.pipeline.bucket ? bucket : b);

  const sm = (resource: string) => `arn:${partition}:sagemaker:${region}:${account}:${resource}`;
  const s3Object = (b: string, prefix: string) => `arn:${partition}:s3:::${b}/${prefix}*`;
  const s3Bucket = (b: string) => `arn:${partition}:s3:::${b}`;
  const logGroups = [`arn:${partition}:logs:${region}:${account}:log-group:/aws/sagemaker/*`, `arn:${partition}:logs:${region}:${account}:log-group:/aws/sagemaker/*:log-stream:*`];
  const bucketPrefix = input.pipeline.bucketPrefix ? `${input.pipeline.bucketPrefix.replace(/\/+$/, '')}/` : '';
  const pipelineName = input.pipeline.name.toLowerCase(); // SageMaker ARNs carry the name in lower case.

  // ---- What the definition holds.
  const steps = allSteps(input.definition);
  const types = new Set(steps.map((s) => String(s.Type)));
  for (const t of sorted(types)) if (!KNOWN_STEP_TYPES.has(t)) notes.push(`Step type ${t} is not known to smpk iam-policy: add its permissions by hand.`);
  const jobKinds = new Set<JobKind>();
  for (const t of types) if (t in JOB_KINDS) jobKinds.add(JOB_KINDS[t as keyof typeof JOB_KINDS]);
  if (types.has('Tuning')) jobKinds.add('training-job'); // the tuning job's training jobs are described (and stopped) too

  const passRoles = new Set<string>([roleArn]);
  const images = new Set<string>();
  let unresolvedImage = false;
  const s3: S3Access[] = [];
  let hasVpc = false;
  let hasKms = false;
  walkStrings(input.definition, [], (text, path) => {
    const key = path[path.length - 1] ?? '';
    if ((key === 'RoleArn' || key === 'ExecutionRoleArn') && /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(text)) {
      passRoles.add(text === input.pipeline.roleArn ? roleArn : text);
    }
    const image = ECR_IMAGE.exec(text);
    if (image) images.add(`arn:${partitionOf(image[2] as string)}:ecr:${image[2]}:${image[1]}:repository/${image[3]}`);
    if (text.startsWith('s3://')) {
      const where = parseS3(text);
      if (where) s3.push({ bucket: where.bucket, prefix: where.prefix, write: path.some((p) => /Output|Checkpoint/.test(p)) });
    }
  });
  const visitKeys = (value: JsonValue | undefined): void => {
    if (Array.isArray(value)) value.forEach(visitKeys);
    else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'VpcConfig' || k === 'NetworkConfig') hasVpc ||= isObject(v) && JSON.stringify(v).includes('Subnets');
        if (/KmsKey/.test(k)) hasKms = true;
        if ((k === 'ImageUri' || k === 'TrainingImage' || k === 'Image') && typeof v !== 'string') unresolvedImage = true;
        visitKeys(v);
      }
    }
  };
  visitKeys(input.definition);
  if (unresolvedImage) notes.push('An image URI is decided at run time (a parameter or a step property): add its ECR repository to EcrPull.');
  if (hasKms) notes.push('The definition names KMS keys: grant kms:Decrypt, kms:GenerateDataKey and kms:CreateGrant on them in the key policy or the pipeline role.');

  // ---- Pipeline execution role.
  const p: PolicyStatement[] = [];
  for (const kind of [...jobKinds].sort()) {
    const a = JOB_ACTIONS[kind];
    const actions = [a.create, a.describe, a.stop, 'AddTags'];
    if (kind === 'hyper-parameter-tuning-job') actions.push('ListTrainingJobsForHyperParameterTuningJob');
    if (kind === 'training-job' && !types.has('Training')) actions.splice(0, 1); // only the tuning job creates them
    p.push(statement(`SageMaker${a.label}`, actions.map((x) => `sagemaker:${x}`), [sm(`${kind}/pipelines-*`)]));
  }
  if (types.has('Model')) p.push(statement('SageMakerModels', ['sagemaker:CreateModel', 'sagemaker:DescribeModel', 'sagemaker:AddTags'], [sm('model/pipelines-*')]));

  const registerGroups = new Set<string>();
  const checkGroups = new Set<string>();
  let dynamicGroup = false;
  for (const step of steps) {
    const args = isObject(step.Arguments) ? step.Arguments : {};
    if (step.Type === 'RegisterModel') {
      const g = args.ModelPackageGroupName;
      if (typeof g === 'string') registerGroups.add(g.toLowerCase());
      else dynamicGroup = true;
    }
    if (step.Type === 'QualityCheck' || step.Type === 'ClarifyCheck') {
      const g = step.ModelPackageGroupName;
      if (typeof g === 'string') checkGroups.add(g.toLowerCase());
      else if (g !== undefined) dynamicGroup = true;
    }
  }
  if (dynamicGroup) notes.push('A model package group name is decided at run time: its registry statements use model-package-group/*.');
  const groupNames = (groups: Set<string>) => (dynamicGroup ? ['*'] : sorted(groups));
  if (types.has('RegisterModel')) {
    p.push(
      statement(
        'ModelRegistryRegister',
        ['sagemaker:CreateModelPackage', 'sagemaker:CreateModelPackageGroup', 'sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup', 'sagemaker:AddTags'],
        groupNames(registerGroups).flatMap((g) => [sm(`model-package-group/${g}`), sm(`model-package/${g}/*`)]),
      ),
    );
  }
  if (checkGroups.size || (dynamicGroup && (types.has('QualityCheck') || types.has('ClarifyCheck')))) {
    p.push(statement('ModelRegistryBaselines', ['sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup'], groupNames(checkGroups).flatMap((g) => [sm(`model-package-group/${g}`), sm(`model-package/${g}/*`)])));
    p.push(statement('ModelRegistryList', ['sagemaker:ListModelPackages'], ['*']));
  }

  const lambdas = new Set<string>();
  const queues = new Set<string>();
  const clusters = new Set<string>();
  let emrCreates = false;
  for (const step of steps) {
    const args = isObject(step.Arguments) ? step.Arguments : {};
    if (step.Type === 'Lambda') {
      if (typeof step.FunctionArn === 'string') lambdas.add(step.FunctionArn.replace(/:(\$LATEST|\d+)$/, ''));
      else {
        lambdas.add(`arn:${partition}:lambda:${region}:${account}:function:*`);
        notes.push(`Lambda step ${step.Name} calls a function decided at run time: LambdaInvoke allows every function; narrow it.`);
      }
    }
    if (step.Type === 'Callback') {
      const url = step.SqsQueueUrl;
      const m = typeof url === 'string' ? /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_.-]+)$/.exec(url) : null;
      if (m) queues.add(`arn:${partitionOf(m[1] as string)}:sqs:${m[1]}:${m[2]}:${m[3]}`);
      else {
        queues.add(`arn:${partition}:sqs:${region}:${account}:*`);
        notes.push(`Callback step ${step.Name}: the queue URL is not a literal sqs.<region>.amazonaws.com URL, so SqsCallback allows every queue; narrow it.`);
      }
    }
    if (step.Type === 'EMR') {
      if (typeof args.ClusterId === 'string') clusters.add(`arn:${partition}:elasticmapreduce:${region}:${account}:cluster/${args.ClusterId}`);
      else {
        clusters.add(`arn:${partition}:elasticmapreduce:${region}:${account}:cluster/*`);
        if (args.ClusterConfig !== undefined) emrCreates = true;
      }
    }
  }
  if (emrCreates) notes.push("An EMR step creates its cluster: add iam:PassRole (iam:PassedToService elasticmapreduce.amazonaws.com) on the cluster's service role and EC2 instance profile role.");

  p.push(statement('PassOwnRoleToSageMaker', ['iam:PassRole'], passRoles, { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } }));
  if (lambdas.size) p.push(statement('LambdaInvoke', ['lambda:InvokeFunction'], lambdas));
  if (queues.size) p.push(statement('SqsCallback', ['sqs:SendMessage'], queues));
  if (clusters.size) {
    const emr = ['AddJobFlowSteps', 'CancelSteps', 'DescribeCluster', 'DescribeStep', 'ListSteps'];
    if (emrCreates) emr.push('RunJobFlow', 'TerminateJobFlows', 'AddTags');
    p.push(statement('EmrSteps', emr.map((a) => `elasticmapreduce:${a}`), clusters));
  }

  // S3: the pipeline's bucket (prefix) read/write; literal URIs elsewhere read, or read/write when written.
  const reads = new Map<string, Set<string>>();
  const writes = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, b: string, prefix: string) => {
    let set = m.get(b);
    if (!set) m.set(b, (set = new Set()));
    set.add(prefix);
  };
  add(reads, bucket, bucketPrefix);
  add(writes, bucket, bucketPrefix);
  for (const a of s3) {
    const b = renameBucket(a.bucket);
    if (b === bucket && a.prefix.startsWith(bucketPrefix)) continue; // covered by the bucket prefix
    add(reads, b, a.prefix);
    if (a.write) add(writes, b, a.prefix);
  }
  // The endpoint's model and its monitoring jobs run as the pipeline role unless release.roleArn
  // names another: they write captured data, async results and monitoring reports, and read ground truth.
  const release0 = input.spec.release;
  if (release0 && !release0.roleArn) {
    const m = release0.monitoring;
    const uris: [string | undefined, boolean][] = [
      [release0.dataCapture?.destinationS3Uri, true],
      [release0.asyncInference?.outputS3Uri, true],
      [release0.asyncInference?.failureS3Uri, true],
      [m?.dataQuality?.outputS3Uri, true],
      [m?.modelQuality?.outputS3Uri, true],
      [m?.modelQuality?.groundTruthS3Uri, false],
    ];
    for (const [uri, write] of uris) {
      const where = uri ? parseS3(uri) : undefined;
      if (!where) continue;
      const b = renameBucket(where.bucket);
      if (b === bucket && where.prefix.startsWith(bucketPrefix)) continue;
      add(reads, b, where.prefix);
      if (write) add(writes, b, where.prefix);
    }
  }
  const objectArns = (m: Map<string, Set<string>>) => [...m].flatMap(([b, prefixes]) => [...prefixes].map((px) => s3Object(b, px)));
  p.push(statement('S3Read', ['s3:GetObject'], objectArns(reads)));
  p.push(statement('S3Write', ['s3:PutObject', 's3:AbortMultipartUpload'], objectArns(writes)));
  sorted(reads.keys()).forEach((b, i) => {
    const prefixes = sorted(reads.get(b) ?? []);
    const condition = prefixes.includes('') ? undefined : { StringLike: { 's3:prefix': prefixes.map((px) => `${px}*`) } };
    p.push(statement(`S3List${i === 0 ? '' : i + 1}`, ['s3:GetBucketLocation', 's3:ListBucket'], [s3Bucket(b)], condition));
  });
  p.push(statement('EcrAuth', ['ecr:GetAuthorizationToken'], ['*']));
  if (images.size) p.push(statement('EcrPull', ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], images));
  p.push(statement('Logs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], logGroups));
  p.push(statement('JobMetrics', ['cloudwatch:PutMetricData'], ['*'], { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } }));
  if (hasVpc) {
    p.push(
      statement(
        'VpcNetworkInterfaces',
        ['CreateNetworkInterface', 'CreateNetworkInterfacePermission', 'DeleteNetworkInterface', 'DeleteNetworkInterfacePermission', 'DescribeDhcpOptions', 'DescribeNetworkInterfaces', 'DescribeSecurityGroups', 'DescribeSubnets', 'DescribeVpcs'].map((a) => `ec2:${a}`),
        ['*'],
      ),
    );
  }

  // ---- CI role.
  const c: PolicyStatement[] = [];
  // Pull-request and merge-request runs deploy `<name>-pr-<n>` / `<name>-mr-<n>` (pr-metrics.yml, .gitlab-ci.yml).
  const pipelineNames = [pipelineName, `${pipelineName}-pr-*`, `${pipelineName}-mr-*`];
  const pipelineArns = pipelineNames.map((n) => sm(`pipeline/${n}`));
  c.push(statement('Pipeline', ['sagemaker:AddTags', 'sagemaker:CreatePipeline', 'sagemaker:DescribePipeline', 'sagemaker:StartPipelineExecution', 'sagemaker:UpdatePipeline'], pipelineArns));
  c.push(
    statement(
      'PipelineExecutions',
      ['sagemaker:DescribePipelineExecution', 'sagemaker:ListPipelineExecutionSteps', 'sagemaker:StopPipelineExecution'],
      [...pipelineArns, ...pipelineNames.map((n) => sm(`pipeline/${n}/execution/*`))],
    ),
  );
  notes.push(
    `The CI policy covers the pipeline and its pull/merge-request copies (${input.pipeline.name}-pr-*, ${input.pipeline.name}-mr-*); a separate PR role can take the same policy with only the -pr-* (or -mr-*) resources.`,
  );
  if (jobKinds.size) {
    c.push(
      statement(
        'DescribeJobsForLogs',
        [...jobKinds].map((k) => `sagemaker:${JOB_ACTIONS[k].describe}`),
        [...jobKinds].map((k) => sm(`${k}/pipelines-*`)),
      ),
    );
  }
  const ciPass = new Set([roleArn]);
  if (input.spec.release?.roleArn) ciPass.add(input.spec.release.roleArn);
  c.push(statement('PassPipelineRole', ['iam:PassRole'], ciPass, { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } }));

  // Assets are content-addressed under <prefix>/<area>/<hash>/…; an over-limit definition under <prefix>/<pipeline>/definitions/.
  const assetPrefixes = new Set<string>([`${bucketPrefix}${input.pipeline.name}/definitions/`, `${bucketPrefix}${input.pipeline.name}-?r-*/definitions/`]);
  const own = `${bucketPrefix}${input.pipeline.name}/`;
  for (const a of input.assets) {
    const parts = a.key.split('/');
    const prefix = `${parts.slice(0, Math.max(1, parts.length - 2)).join('/')}/`;
    assetPrefixes.add(prefix);
    // A PR/MR copy stages under its own name: <name>-pr-<n>/… or <name>-mr-<n>/….
    if (prefix.startsWith(own)) assetPrefixes.add(`${bucketPrefix}${input.pipeline.name}-?r-*/${prefix.slice(own.length)}`);
  }
  const ciObjects = sorted([...assetPrefixes].map((px) => s3Object(bucket, px)));
  c.push(statement('StageAssets', ['s3:GetObject', 's3:PutObject'], ciObjects));
  if (input.spec.gate !== undefined) {
    c.push(statement('GateReadReports', ['s3:GetObject'], sorted([s3Object(bucket, bucketPrefix), ...objectArns(writes)])));
  }
  // HeadObject answers 404 (not 403) for a missing asset only with ListBucket; doctor's HeadBucket needs it too.
  c.push(statement('AssetBucket', ['s3:ListBucket'], [s3Bucket(bucket)]));
  c.push(statement('ReadJobLogs', ['logs:DescribeLogStreams', 'logs:GetLogEvents'], logGroups));

  const release = input.spec.release;
  const gateGroups = new Set(registerGroups);
  if (release?.modelPackageGroup) gateGroups.add(release.modelPackageGroup.toLowerCase());
  const ciGroups = dynamicGroup || gateGroups.size === 0 ? ['*'] : sorted(gateGroups);
  if (input.spec.gate !== undefined || release) {
    c.push(statement('ModelRegistryRead', ['sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup'], ciGroups.flatMap((g) => [sm(`model-package-group/${g}`), sm(`model-package/${g}/*`)])));
    c.push(statement('ModelRegistryList', ['sagemaker:ListModelPackages'], ['*']));
    if (input.spec.gate !== undefined && !jobKinds.has('processing-job')) {
      c.push(statement('GateDescribeProcessing', ['sagemaker:DescribeProcessingJob'], [sm('processing-job/pipelines-*')]));
    }
  }
  if (release) {
    const ep = release.endpointName.toLowerCase();
    c.push(statement('ModelRegistryApprove', ['sagemaker:UpdateModelPackage'], ciGroups.map((g) => sm(`model-package/${g}/*`))));
    c.push(
      statement(
        'Deploy',
        ['sagemaker:AddTags', 'sagemaker:CreateEndpoint', 'sagemaker:CreateEndpointConfig', 'sagemaker:CreateModel', 'sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel', 'sagemaker:UpdateEndpoint'],
        [sm(`endpoint/${ep}`), sm(`endpoint-config/${ep}-*`), ...ciGroups.map((g) => sm(`model/${g === '*' ? '' : `${g}-v`}*`))],
      ),
    );
    c.push(statement('SmokeTest', ['sagemaker:InvokeEndpoint'], [sm(`endpoint/${ep}`)]));
    if (release.monitoring?.dataQuality !== undefined || release.monitoring?.modelQuality !== undefined) {
      c.push(
        statement(
          'Monitoring',
          [
            'sagemaker:AddTags',
            'sagemaker:CreateDataQualityJobDefinition',
            'sagemaker:CreateModelQualityJobDefinition',
            'sagemaker:CreateMonitoringSchedule',
            'sagemaker:DescribeDataQualityJobDefinition',
            'sagemaker:DescribeModelQualityJobDefinition',
            'sagemaker:DescribeMonitoringSchedule',
            'sagemaker:UpdateMonitoringSchedule',
          ],
          [sm(`monitoring-schedule/${ep}-*`), sm(`data-quality-job-definition/${ep}-*`), sm(`model-quality-job-definition/${ep}-*`)],
        ),
      );
    }
  }

  return {
    region,
    account,
    pipelineRole: { arn: roleArn, policy: { Version: '2012-10-17', Statement: p } },
    ciRole: { policy: { Version: '2012-10-17', Statement: c } },
    trust: trustPolicies({ partition, account, github: input.githubRepository, gitlab: input.gitlabProject, gitlabHost: input.gitlabHost, release: release !== undefined }),
    notes,
  };
}

function webIdentityTrust(providerArn: string, host: string, sub: string, like: boolean): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OidcAssumeRole',
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: like
          ? { StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${host}:sub`]: sub } }
          : { StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com', [`${host}:sub`]: sub } },
      },
    ],
  };
}

/** The `sub` claims each CI trigger produces, and a trust policy per role. */
function trustPolicies(o: { partition: string; account: string; github?: string | undefined; gitlab?: string | undefined; gitlabHost?: string | undefined; release: boolean }): IamPolicies['trust'] {
  const repo = o.github ?? 'OWNER/REPO';
  const gh = 'token.actions.githubusercontent.com';
  const ghProvider = `arn:${o.partition}:iam::${o.account}:oidc-provider/${gh}`;
  const github: TrustPolicy[] = [
    { job: 'CI role: push to main (retrain, manual runs on main)', sub: `repo:${repo}:ref:refs/heads/main`, like: false },
    { job: 'PR role: pull_request (pr-metrics)', sub: `repo:${repo}:pull_request`, like: false },
    ...(o.release ? [{ job: 'release role: a job with environment: production', sub: `repo:${repo}:environment:production`, like: false }] : []),
  ].map(({ job, sub, like }) => ({ job, sub, policy: webIdentityTrust(ghProvider, gh, sub, like) }));
  const project = o.gitlab ?? 'GROUP/PROJECT';
  const host = o.gitlabHost ?? 'gitlab.com';
  const glProvider = `arn:${o.partition}:iam::${o.account}:oidc-provider/${host}`;
  const gitlab: TrustPolicy[] = [
    { job: 'CI role: mr:* and retrain:* (merge requests carry their source branch)', sub: `project_path:${project}:ref_type:branch:ref:*`, like: true },
    ...(o.release ? [{ job: 'release role: release:production on the protected main branch', sub: `project_path:${project}:ref_type:branch:ref:main`, like: false }] : []),
  ].map(({ job, sub, like }) => ({ job, sub, policy: webIdentityTrust(glProvider, host, sub, like) }));
  return { github, gitlab };
}

/** The text rendering: headed JSON documents, then the notes. */
export function renderIamPolicies(p: IamPolicies): string {
  const json = (d: unknown) => JSON.stringify(d, null, 2);
  const lines: string[] = [];
  lines.push(`# Pipeline execution role (${p.pipelineRole.arn}): the role SageMaker assumes to run the steps`, json(p.pipelineRole.policy), '');
  lines.push('# CI role: what smpk run / watch / stop / gate / release call', json(p.ciRole.policy), '');
  for (const t of p.trust.github) lines.push(`# GitHub trust policy, ${t.job}: sub ${t.sub}`, json(t.policy), '');
  for (const t of p.trust.gitlab) lines.push(`# GitLab trust policy, ${t.job}: sub ${t.sub}`, json(t.policy), '');
  if (p.notes.length) lines.push('# Notes', ...p.notes.map((n) => `- ${n}`), '');
  return `${lines.join('\n')}`;
}
