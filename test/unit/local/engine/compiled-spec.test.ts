/**
 * The engine against the kit's own compiler output: pipeline-specs/abalone-local.yaml (the spec
 * the README runs on the local backend) compiled, its assets staged, and the execution run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../../../src/compiler/index.js';
import { startExecution } from '../../../../src/local/engine/engine.js';
import { listFiles, packTarGz, unpackTarGz } from '../../../../src/local/engine/tar.js';
import { nodeSourceFiles } from '../../../../src/platform/source-files.js';
import { loadSpec } from '../../../../src/spec/load.js';
import { createFakePorts } from './fakes.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Compiles a spec of this repository and stages its assets into fresh fake ports. */
async function compiled(specPath: string) {
  const files = nodeSourceFiles(root);
  const loaded = loadSpec(readFileSync(join(root, specPath), 'utf8'), specPath, { files, specPath });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = compile({ spec: loaded.spec!, sourceMap: loaded.sourceMap, specPath, files }, { region: 'us-east-1' });
  expect(result.definitionJson).toBeDefined();
  const ports = createFakePorts();
  cleanups.push(ports.cleanup);
  for (const asset of result.assets) await ports.objects.put(asset.bucket, asset.key, asset.body);
  return { ports, definitionJson: result.definitionJson! };
}

describe('compiled specs on the engine', () => {
  it('runs pipeline-specs/abalone-local.yaml end to end and registers the model', async () => {
    const { ports, definitionJson } = await compiled('pipeline-specs/abalone-local.yaml');
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-local/execution/abc123def456';
    const outcome = await startExecution(
      { definition: definitionJson, pipelineName: 'abalone-local', pipelineArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-local', executionArn: arn },
      ports,
    ).done;
    const steps = ports.records.steps(arn);
    const summary = [...steps.values()].map((s) => `${s.StepName}: ${s.StepStatus}${s.FailureReason ? ` (${s.FailureReason})` : ''}`);
    expect(outcome, summary.join('\n')).toEqual({ status: 'Succeeded' });
    expect([...steps.keys()].sort()).toEqual(['CheckMSEAbaloneEvaluation', 'EvaluateAbaloneModel', 'PreprocessAbaloneData', 'RegisterAbaloneModel-RegisterModel', 'TrainAbaloneModel']);
    const train = [...ports.records.resources.values()].find((r) => r['TrainingJobStatus'] !== undefined)!;
    expect((train['FinalMetricDataList'] as { MetricName: string }[]).map((m) => m.MetricName).sort()).toEqual(['train:mse', 'validation:mse']);
    expect(steps.get('RegisterAbaloneModel-RegisterModel')!.Metadata!.RegisterModel!.Arn).toBe('arn:aws:sagemaker:us-east-1:000000000000:model-package/abalone-local/1');
  });

  it('runs the compiler’s model repack training steps (golden model-repack) and packs code into the model', async () => {
    const { ports, definitionJson } = await compiled('test/golden/valid/model-repack/spec.yaml');
    const modelDir = mkdtempSync(join(os.tmpdir(), 'smpk-model-'));
    cleanups.push(() => rmSync(modelDir, { recursive: true, force: true }));
    writeFileSync(join(modelDir, 'model.json'), '{"bias": 1}');
    await ports.objects.put('smpk-golden', 'model.tar.gz', await packTarGz(modelDir));
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/golden-repack/execution/rp1';
    const outcome = await startExecution(
      { definition: definitionJson, pipelineName: 'golden-repack', pipelineArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/golden-repack', executionArn: arn },
      ports,
    ).done;
    const steps = ports.records.steps(arn);
    expect(outcome, [...steps.values()].map((s) => `${s.StepName}: ${s.FailureReason ?? s.StepStatus}`).join('\n')).toEqual({ status: 'Succeeded' });
    const model = [...ports.records.resources.values()].find((r) => r['ModelArn'] !== undefined)!;
    const url = String((model['PrimaryContainer'] as { ModelDataUrl: string }).ModelDataUrl);
    expect(url).toMatch(/^s3:\/\/smpk-golden\/golden-repack\/MyModelStep-RepackModel-0\/pipelines-rp1-MyModelStep-RepackModel-0-.*\/output\/model.tar.gz$/);
    const out = join(modelDir, 'out');
    await unpackTarGz((await ports.objects.get('smpk-golden', url.slice('s3://smpk-golden/'.length)))!, out);
    expect(await listFiles(out)).toEqual(['code/inference.py', 'code/requirements.txt', 'model.json']);
    expect(steps.get('MyRegister-RegisterModel')!.Metadata!.RegisterModel!.Arn).toBe('arn:aws:sagemaker:us-east-1:123456789012:model-package/repacked/1');
  });
});
