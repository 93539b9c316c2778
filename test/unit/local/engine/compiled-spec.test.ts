/**
 * The engine against the kit's own compiler output: pipeline-specs/abalone-local.yaml (the spec
 * the README runs on the local backend) compiled, its assets staged, and the execution run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../../../src/compiler/index.js';
import { startExecution } from '../../../../src/local/engine/engine.js';
import { nodeSourceFiles } from '../../../../src/platform/source-files.js';
import { loadSpec } from '../../../../src/spec/load.js';
import { createFakePorts } from './fakes.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('compiled specs on the engine', () => {
  it('runs pipeline-specs/abalone-local.yaml end to end and registers the model', async () => {
    const specPath = 'pipeline-specs/abalone-local.yaml';
    const files = nodeSourceFiles(root);
    const loaded = loadSpec(readFileSync(join(root, specPath), 'utf8'), specPath, { files, specPath });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const compiled = compile({ spec: loaded.spec!, sourceMap: loaded.sourceMap, specPath, files }, { region: 'us-east-1' });
    expect(compiled.definition).toBeDefined();

    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    for (const asset of compiled.assets) await ports.objects.put(asset.bucket, asset.key, asset.body);
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-local/execution/abc123def456';
    const outcome = await startExecution(
      { definition: compiled.definitionJson!, pipelineName: 'abalone-local', pipelineArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-local', executionArn: arn },
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
});
