import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../src/local/engine/engine.js';
import { createFakePorts } from './fakes.js';
import { BUCKET, executionArn, flowDefinition, stageFixture } from './pipeline-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function setup() {
  const ports = createFakePorts();
  cleanups.push(ports.cleanup);
  cleanups.push(await stageFixture(ports.objects));
  return ports;
}

const input = (accuracy: string, id: string) => ({
  definition: flowDefinition(accuracy),
  pipelineName: 'demo',
  pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo',
  executionArn: executionArn(id),
});

describe('a processing → training → evaluation → condition flow', () => {
  it('runs every step under the container contract and registers the model when the metric passes', async () => {
    const ports = await setup();
    const arn = executionArn('exec1');
    const outcome = await startExecution(input('0.9', 'exec1'), ports).done;
    expect(outcome).toEqual({ status: 'Succeeded' });
    expect(ports.records.executionStatuses(arn)).toEqual(['Executing', 'Succeeded']);

    const steps = ports.records.steps(arn);
    expect([...steps.keys()].sort()).toEqual(['CheckAccuracy', 'Evaluate', 'Preprocess', 'Register', 'Train']);
    for (const s of steps.values()) {
      expect(s.StepStatus).toBe('Succeeded');
      expect(s.StartTime).toBeInstanceOf(Date);
      expect(s.EndTime!.getTime()).toBeGreaterThanOrEqual(s.StartTime!.getTime());
    }
    expect(ports.records.transitions(arn, 'Train')).toEqual(['Starting', 'Executing', 'Succeeded']);
    expect(steps.get('Preprocess')!.Metadata!.ProcessingJob!.Arn).toMatch(/^arn:aws:sagemaker:us-east-1:111122223333:processing-job\/pipelines-exec1-preprocess-/);
    expect(steps.get('CheckAccuracy')!.Metadata).toEqual({ Condition: { Outcome: 'True' } });
    expect(steps.get('Register')!.Metadata!.RegisterModel!.Arn).toBe('arn:aws:sagemaker:us-east-1:111122223333:model-package/smpk-demo/1');

    // Processing output reached S3 under the resolved Join, and training read it as its channel.
    expect(ports.objects.text(`s3://${BUCKET}/exec1/train/train.csv`)).toBe('1,2\n3,4\n5,6');
    const trainJob = [...ports.records.resources].find(([k]) => k.startsWith('TrainingJob/'))![1];
    expect(trainJob['TrainingJobStatus']).toBe('Completed');
    expect(trainJob['FinalMetricDataList']).toMatchObject([{ MetricName: 'train:loss', Value: 0.25 }]);
    const artifacts = (trainJob['ModelArtifacts'] as { S3ModelArtifacts: string }).S3ModelArtifacts;
    expect(artifacts).toBe(`s3://${BUCKET}/models/${String(trainJob['TrainingJobName'])}/output/model.tar.gz`);

    // The evaluation script unpacked model.tar.gz: hyperparameters arrived decoded, as args, env and file.
    const report = JSON.parse(ports.objects.text(`s3://${BUCKET}/exec1/evaluation/evaluation.json`)!);
    expect(report.rows).toBe(3);

    const pkg = ports.records.resources.get('ModelPackage/arn:aws:sagemaker:us-east-1:111122223333:model-package/smpk-demo/1')!;
    expect(pkg).toMatchObject({
      ModelPackageGroupName: 'smpk-demo',
      ModelPackageVersion: 1,
      ModelApprovalStatus: 'PendingManualApproval',
      ModelPackageStatus: 'Completed',
      InferenceSpecification: { Containers: [{ ModelDataUrl: artifacts }] },
      ModelMetrics: { ModelQuality: { Statistics: { S3Uri: `s3://${BUCKET}/exec1/evaluation/evaluation.json` } } },
    });
    expect(ports.records.resources.has('ModelPackageGroup/smpk-demo')).toBe(true);

    // Captured output went to CloudWatch-like groups.
    expect(ports.logs.messages('/aws/sagemaker/ProcessingJobs')).toContain('preprocessed 3 rows');
    expect(ports.logs.messages('/aws/sagemaker/TrainingJobs')).toContain('epoch 2: train_loss=0.250;');
  });

  it('passes hyperparameters the way the training toolkit does', async () => {
    const ports = await setup();
    await startExecution({ ...input('0.9', 'exec2'), parameters: [{ Name: 'Epochs', Value: '5' }] }, ports).done;
    const trainJob = [...ports.records.resources].find(([k]) => k.startsWith('TrainingJob/'))![1];
    const { objects } = ports;
    const { unpackTarGz } = await import('../../../../src/local/engine/tar.js');
    const { readFileSync } = await import('node:fs');
    const dir = `${ports.workDir}/unpacked`;
    await unpackTarGz((await objects.get(BUCKET, `models/${String(trainJob['TrainingJobName'])}/output/model.tar.gz`))!, dir);
    const model = JSON.parse(readFileSync(`${dir}/model.json`, 'utf8'));
    expect(model).toEqual({
      rows: 3,
      epochs: 5,
      optimizer: 'adam',
      sm_hps: { epochs: 5, optimizer: 'adam' },
      hp_file: expect.objectContaining({ epochs: '5', optimizer: '"adam"', sagemaker_program: '"train.py"' }),
      hp_env: '5',
    });
    expect(ports.logs.messages('/aws/sagemaker/TrainingJobs')).toContain('epoch 5: train_loss=0.100;');
  });

  it('takes the else branch and fails the execution through the Fail step when the metric is too low', async () => {
    const ports = await setup();
    const arn = executionArn('exec3');
    const outcome = await startExecution(input('0.5', 'exec3'), ports).done;
    expect(outcome.status).toBe('Failed');
    const steps = ports.records.steps(arn);
    expect(steps.has('Register')).toBe(false);
    expect(steps.get('CheckAccuracy')!.Metadata).toEqual({ Condition: { Outcome: 'False' } });
    const fail = steps.get('AccuracyTooLow')!;
    expect(fail.StepStatus).toBe('Failed');
    expect(fail.Metadata).toEqual({ Fail: { ErrorMessage: 'Accuracy below 0.7' } });
    expect(fail.FailureReason).toBe('Accuracy below 0.7');
    const last = ports.records.executions.get(arn)!.at(-1)!;
    expect(last.PipelineExecutionStatus).toBe('Failed');
    expect(last.FailureReason).toBe("Step failure: One or multiple steps failed. Step 'AccuracyTooLow': Accuracy below 0.7");
  });

  it('re-runs only the selected steps of a selective execution, reusing the source execution’s results', async () => {
    const ports = await setup();
    await startExecution(input('0.9', 'full1'), ports).done;
    const selective = await startExecution(
      {
        ...input('0.95', 'sel1'),
        selectiveExecutionConfig: { SourcePipelineExecutionArn: executionArn('full1'), SelectedSteps: [{ StepName: 'Evaluate' }, { StepName: 'CheckAccuracy' }, { StepName: 'Register' }] },
      },
      ports,
    ).done;
    expect(selective).toEqual({ status: 'Succeeded' });
    const steps = ports.records.steps(executionArn('sel1'));
    expect([...steps.keys()].sort()).toEqual(['CheckAccuracy', 'Evaluate', 'Register']);
    // Evaluate read the model the source execution trained; nothing was trained again.
    expect([...ports.records.resources.keys()].filter((k) => k.startsWith('TrainingJob/'))).toHaveLength(1);
    expect(JSON.parse(ports.objects.text(`s3://${BUCKET}/sel1/evaluation/evaluation.json`)!).metrics.accuracy.value).toBe(0.95);
    expect(steps.get('Register')!.Metadata!.RegisterModel!.Arn).toBe('arn:aws:sagemaker:us-east-1:111122223333:model-package/smpk-demo/2');
  });

  it('rejects a selection naming an unknown step', () => {
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    expect(() => startExecution({ ...input('0.9', 'sel2'), selectiveExecutionConfig: { SelectedSteps: [{ StepName: 'Nope' }] } }, ports)).toThrow(
      "Selected step 'Nope' is not a step of this pipeline.",
    );
  });
});
