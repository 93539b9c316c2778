import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  DescribePipelineExecutionCommand,
  DescribeProcessingJobCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { gateCommand } from '../../../src/cli/gate.js';
import { main } from '../../../src/cli/main.js';
import { checkMetricsAction } from '../../../src/platform/actions/check-metrics.js';
import type { FetchLike } from '../../../src/platform/http.js';
import { fakeActionIO } from '../../helpers/action-io.js';
import { fakeCli } from '../../helpers/cli-context.js';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  sm.reset();
  s3.reset();
});

const SPEC = `version: 1
pipeline:
  name: demo
steps:
  - name: Evaluate
    type: processing
    processor:
      image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/eval:1
      instanceType: ml.m5.xlarge
    code: ../code/eval.py
    outputs:
      - {name: evaluation, source: /opt/ml/processing/evaluation}
    propertyFiles:
      - {name: EvaluationReport, output: evaluation, path: evaluation.json}
gate:
  report: {propertyFile: Evaluate.EvaluationReport}
  modelPackageGroup: demo-group
  metrics:
    - {path: metrics.f1.value, label: F1, direction: higher-is-better, threshold: 0.7, maxRegression: {absolute: 0.05}}
    - {path: metrics.auc.value, label: AUC, direction: higher-is-better, required: false}
`;
const files = { 'specs/demo.yaml': SPEC, 'code/eval.py': 'print(1)\n', 'specs/nogate.yaml': SPEC.slice(0, SPEC.indexOf('gate:')) };
const EXEC = 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/demo/execution/e1';
const body = (text: string) => ({ Body: { transformToString: async () => text } as never });

function mockAws(candidate: unknown, baseline?: unknown) {
  sm.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Succeeded' });
  sm.on(ListPipelineExecutionStepsCommand).resolves({
    PipelineExecutionSteps: [{ StepName: 'Evaluate', StepStatus: 'Succeeded', Metadata: { ProcessingJob: { Arn: 'arn:aws:sagemaker:eu-west-1:111122223333:processing-job/job-1' } } }],
  });
  sm.on(DescribeProcessingJobCommand).resolves({ ProcessingOutputConfig: { Outputs: [{ OutputName: 'evaluation', S3Output: { S3Uri: 's3://b/out', LocalPath: '/x', S3UploadMode: 'EndOfJob' } }] } });
  if (candidate === undefined) s3.on(GetObjectCommand, { Key: 'out/evaluation.json' }).rejects(Object.assign(new Error('missing'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }));
  else s3.on(GetObjectCommand, { Key: 'out/evaluation.json' }).resolves(body(JSON.stringify(candidate)));
  if (baseline === undefined) {
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
  } else {
    const pkg = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/demo-group/1';
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: pkg, ModelPackageStatus: 'Completed', CreationTime: new Date(0) }] as never });
    sm.on(DescribeModelPackageCommand).resolves({ ModelPackageArn: pkg, ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://b/base.json' } } } });
    s3.on(GetObjectCommand, { Key: 'base.json' }).resolves(body(JSON.stringify(baseline)));
  }
}

const noFetch: FetchLike = async () => {
  throw new Error('no HTTP expected');
};

describe('smpk gate', () => {
  it('exit 0 and the plain-text report when the gate passes without a baseline', async () => {
    mockAws({ metrics: { f1: { value: 0.8 } } });
    const a = fakeCli(files);
    expect(await main(['gate', 'specs/demo.yaml', '--execution', EXEC], a.ctx)).toBe(0);
    expect(a.output.stdout).toContain('Metric gate PASSED on thresholds only (no baseline): demo');
    expect(a.output.stdout).toContain('baseline:  none — no Approved model package in group demo-group yet; regression limits not checked');
    expect(a.output.stdout).toMatch(/AUC\s+—.*missing \(optional\)/);
  });

  it('exit 3 when a regression exceeds its limit; report and metrics files written', async () => {
    mockAws({ metrics: { f1: { value: 0.8 }, auc: { value: 0.9 } } }, { metrics: { f1: { value: 0.9 } } });
    const a = fakeCli(files);
    expect(await gateCommand(['specs/demo.yaml', '--execution', EXEC, '--report-file', 'out/report.md', '--metrics-file', 'metrics.txt'], a.ctx, noFetch)).toBe(3);
    expect(a.output.stdout).toContain('Metric gate FAILED: demo');
    expect(a.written['out/report.md']).toMatch(/^<!-- smpk:report pipeline=demo -->\n### ❌ Metric gate failed: demo/);
    expect(a.written['metrics.txt']).toBe('f1 0.8\nf1_baseline 0.9\nauc 0.9\nsmpk_gate_passed 0\n# EOF\n');
  });

  it('exit 2 on invalid input: bad ARN, missing --execution, a spec without gate', async () => {
    expect(await main(['gate', 'specs/demo.yaml', '--execution', 'nope'], fakeCli(files).ctx)).toBe(2);
    expect(await main(['gate', 'specs/demo.yaml'], fakeCli(files).ctx)).toBe(2);
    const a = fakeCli(files);
    expect(await main(['gate', 'specs/nogate.yaml', '--execution', EXEC], a.ctx)).toBe(2);
    expect(a.output.stderr).toContain('has no gate: section');
    expect(sm.calls()).toHaveLength(0);
  });

  it('exit 1 with one clear line when the report is not found, or on an AWS failure', async () => {
    mockAws(undefined);
    const a = fakeCli(files);
    expect(await main(['gate', 'specs/demo.yaml', '--execution', EXEC], a.ctx)).toBe(1);
    expect(a.output.stderr).toContain('smpk gate: no evaluation report at s3://b/out/evaluation.json\n');
    sm.reset();
    sm.on(DescribePipelineExecutionCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const b = fakeCli(files);
    expect(await main(['gate', 'specs/demo.yaml', '--execution', EXEC], b.ctx)).toBe(1);
  });

  it('--comment on GitLab without SMPK_GITLAB_TOKEN explains, writes the body file, and keeps the verdict', async () => {
    mockAws({ metrics: { f1: { value: 0.8 } } });
    const a = fakeCli(files, { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '3', CI_JOB_TOKEN: 'job' });
    expect(await gateCommand(['specs/demo.yaml', '--execution', EXEC, '--comment'], a.ctx, noFetch)).toBe(0);
    expect(a.output.stderr).toContain('CI_JOB_TOKEN cannot post merge request notes');
    expect(a.written['smpk-report.md']).toContain('<!-- smpk:report pipeline=demo -->');
  });

  it('--comment on GitLab with a token posts the note', async () => {
    mockAws({ metrics: { f1: { value: 0.5 } } });
    const calls: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push(`${init.method} ${url}`);
      return init.method === 'GET' ? new Response('[]', { status: 200 }) : new Response('{"id":1}', { status: 201 });
    };
    const a = fakeCli(files, { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '3', SMPK_GITLAB_TOKEN: 'glpat-x', CI_API_V4_URL: 'https://gl.example/api/v4', CI_PROJECT_ID: '8' });
    expect(await gateCommand(['specs/demo.yaml', '--execution', EXEC, '--comment'], a.ctx, fetch)).toBe(3);
    expect(calls).toEqual(['GET https://gl.example/api/v4/projects/8/merge_requests/3/notes?per_page=100&sort=asc&order_by=created_at&page=1', 'POST https://gl.example/api/v4/projects/8/merge_requests/3/notes']);
    expect(a.output.stdout).toContain('MR !3 note created');
    expect(a.output.stdout + a.output.stderr).not.toContain('glpat-x');
  });
});

describe('check-metrics action', () => {
  const host = (env: Record<string, string> = {}) => {
    const { ctx, written } = fakeCli(files, env);
    const { output: _o, ...rest } = ctx;
    return { host: rest, written };
  };

  it('outputs gate-result and metrics-json, writes the summary and report, fails the step on fail', async () => {
    mockAws({ metrics: { f1: { value: 0.6 } } });
    const { io, record } = fakeActionIO({ spec: 'specs/demo.yaml', 'execution-arn': EXEC });
    const h = host();
    await checkMetricsAction(io, h.host, noFetch);
    expect(record.outputs['gate-result']).toBe('fail');
    expect(JSON.parse(record.outputs['metrics-json'] ?? '[]')[0]).toMatchObject({ label: 'F1', status: 'fail', candidate: 0.6, threshold: 0.7 });
    expect(record.summaries[0]).toContain('Metric gate failed');
    expect(h.written['smpk-report.md']).toBe(record.summaries[0]);
    expect(record.failures).toEqual(['Metric gate failed: F1: 0.6 is below the minimum 0.7']);
  });

  it('a fork PR (403) warns and keeps the report; the gate verdict alone decides the step', async () => {
    mockAws({ metrics: { f1: { value: 0.9 } } });
    const fetch: FetchLike = async (_url, init) =>
      init.method === 'GET' ? new Response('[]', { status: 200 }) : new Response('{"message":"Resource not accessible by integration"}', { status: 403 });
    const { io, record } = fakeActionIO({ spec: 'specs/demo.yaml', 'execution-arn': EXEC, 'github-token': 'ghs_x' });
    const event = { pull_request: { number: 4, head: { repo: { full_name: 'fork/r' } }, base: { repo: { full_name: 'o/r' } } } };
    const h = host({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: '/repo/event.json' });
    h.host.fs = { ...h.host.fs, readText: (p: string) => (p === '/repo/event.json' ? JSON.stringify(event) : fakeCli(files).ctx.fs.readText(p)) };
    await checkMetricsAction(io, h.host, fetch);
    expect(record.outputs['gate-result']).toBe('no-baseline');
    expect(record.failures).toEqual([]);
    expect(record.warnings[0]).toContain('pull requests from forks get a read-only token');
    expect(record.warnings[0]).toContain('(report file: smpk-report.md)');
    expect(h.written['smpk-report.md']).toContain('<!-- smpk:report pipeline=demo -->');
  });

  it('a report that cannot be found fails the step with the reason', async () => {
    mockAws(undefined);
    const { io, record } = fakeActionIO({ spec: 'specs/demo.yaml', 'execution-arn': EXEC, comment: 'false' });
    await checkMetricsAction(io, host().host, noFetch);
    expect(record.failures).toEqual(['Metric gate could not run: no evaluation report at s3://b/out/evaluation.json']);
  });
});
