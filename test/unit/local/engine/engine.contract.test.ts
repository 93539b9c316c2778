import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../src/local/engine/engine.js';
import type { JsonObject } from '../../../../src/local/engine/ports.js';
import { packTarGz } from '../../../../src/local/engine/tar.js';
import { createFakePorts } from './fakes.js';
import { BUCKET, executionArn, processingStep } from './pipeline-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

// Written like the SageMaker examples: every path hard-coded under /opt/ml/processing.
const HARD_CODED = `
import glob, json, os, pathlib, shutil
base = '/opt/ml/processing'
files = sorted(glob.glob(f'{base}/input/data/*.csv'))
rows = sum(len(open(f).read().split()) for f in files)
out = pathlib.Path(base) / 'output' / 'nested'
out.mkdir(parents=True, exist_ok=True)
(out / 'summary.json').write_text(json.dumps({'files': [os.path.basename(f) for f in files], 'rows': rows, 'listed': sorted(os.listdir(base + '/input/data'))}))
shutil.copy(files[0], base + '/output/copy.csv')
assert os.path.exists('/opt/ml/processing/output/copy.csv')
print('cwd-independent', os.environ['SMPK_OPT_ML'].endswith('/opt/ml'))
`;

describe('the container contract for scripts', () => {
  it('maps hard-coded /opt/ml paths of a Python script into the job sandbox', async () => {
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    ports.objects.putText(`s3://${BUCKET}/code/hard.py`, HARD_CODED);
    ports.objects.putText(`s3://${BUCKET}/in/a.csv`, '1\n2\n');
    ports.objects.putText(`s3://${BUCKET}/in/b.csv`, '3\n');
    const outcome = await startExecution(
      {
        definition: {
          Version: '2020-12-01',
          Steps: [
            processingStep('Hard', `s3://${BUCKET}/code/hard.py`, {
              inputs: [{ InputName: 'data', S3Input: { S3Uri: `s3://${BUCKET}/in`, LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix' } }],
              outputs: [{ OutputName: 'out', S3Output: { S3Uri: `s3://${BUCKET}/out`, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }],
            }),
          ],
        },
        pipelineName: 'demo',
        pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo',
        executionArn: executionArn('h1'),
      },
      ports,
    ).done;
    expect(outcome, ports.logs.events.map((e) => e.message).join('\n')).toEqual({ status: 'Succeeded' });
    expect(JSON.parse(ports.objects.text(`s3://${BUCKET}/out/nested/summary.json`)!)).toEqual({ files: ['a.csv', 'b.csv'], rows: 3, listed: ['a.csv', 'b.csv'] });
    expect(ports.objects.text(`s3://${BUCKET}/out/copy.csv`)).toBe('1\n2\n');
    expect(ports.logs.messages('/aws/sagemaker/ProcessingJobs')).toContain('cwd-independent True');
  });

  it('runs a framework-style bash entrypoint (runproc.sh) whose hard-coded /opt/ml paths are mapped', async () => {
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smpk-src-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'process.py'), "import sys\nprint('process args', sys.argv[1:])\n");
    await ports.objects.put(BUCKET, 'code/sourcedir.tar.gz', await packTarGz(dir));
    // The shape of the SDK's FrameworkProcessor runproc.sh.
    ports.objects.putText(`s3://${BUCKET}/code/runproc.sh`, '#!/bin/bash\n\ncd /opt/ml/processing/input/code/\ntar -xzf sourcedir.tar.gz\nset -e\npython3 process.py "$@"\n');
    const step = processingStep('Framework', `s3://${BUCKET}/code/sourcedir.tar.gz`, {
      args: ['--alpha', '1'],
      inputs: [{ InputName: 'entrypoint', S3Input: { S3Uri: `s3://${BUCKET}/code/runproc.sh`, LocalPath: '/opt/ml/processing/input/entrypoint', S3DataType: 'S3Prefix' } }],
    });
    ((step['Arguments'] as JsonObject)['AppSpecification'] as JsonObject)['ContainerEntrypoint'] = ['/bin/bash', '/opt/ml/processing/input/entrypoint/runproc.sh'];
    const outcome = await startExecution(
      { definition: { Version: '2020-12-01', Steps: [step] }, pipelineName: 'demo', pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo', executionArn: executionArn('b1') },
      ports,
    ).done;
    expect(outcome, ports.logs.events.map((e) => e.message).join('\n')).toEqual({ status: 'Succeeded' });
    expect(ports.logs.messages('/aws/sagemaker/ProcessingJobs')).toContain("process args ['--alpha', '1']");
  });

  it('names the step and the file when the entrypoint lives inside the image', async () => {
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    ports.objects.putText(`s3://${BUCKET}/code/x.py`, '');
    const step = processingStep('InImage', `s3://${BUCKET}/code/x.py`);
    ((step['Arguments'] as JsonObject)['AppSpecification'] as JsonObject)['ContainerEntrypoint'] = ['python3', '/opt/program/run.py'];
    await startExecution(
      { definition: { Version: '2020-12-01', Steps: [step] }, pipelineName: 'demo', pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo', executionArn: executionArn('b2') },
      ports,
    ).done;
    expect(ports.records.steps(executionArn('b2')).get('InImage')!.FailureReason).toBe(
      "Step 'InImage' (Processing) cannot run on the local backend: its entrypoint needs '/opt/program/run.py', a file inside image '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' that this machine does not have. Run it against AWS, or drop the step from local runs.",
    );
  });

  it('says which /opt/ml entrypoint file no input provides', async () => {
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    ports.objects.putText(`s3://${BUCKET}/code/x.py`, '');
    const step = processingStep('NoScript', `s3://${BUCKET}/code/x.py`);
    ((step['Arguments'] as JsonObject)['AppSpecification'] as JsonObject)['ContainerEntrypoint'] = ['python3', '/opt/ml/processing/input/code/other.py'];
    await startExecution(
      { definition: { Version: '2020-12-01', Steps: [step] }, pipelineName: 'demo', pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo', executionArn: executionArn('b3') },
      ports,
    ).done;
    expect(ports.records.steps(executionArn('b3')).get('NoScript')!.FailureReason).toBe(
      'ClientError: the entrypoint file /opt/ml/processing/input/code/other.py does not exist: no ProcessingInput puts it there.',
    );
  });

  it('refuses data paths outside /opt/ml, which would be the host’s own filesystem', async () => {
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    ports.objects.putText(`s3://${BUCKET}/code/x.py`, '');
    ports.objects.putText(`s3://${BUCKET}/in/a.csv`, '1');
    const step = processingStep('Outside', `s3://${BUCKET}/code/x.py`, {
      inputs: [{ InputName: 'data', S3Input: { S3Uri: `s3://${BUCKET}/in`, LocalPath: `${ports.workDir}/host-dir`, S3DataType: 'S3Prefix' } }],
    });
    await startExecution(
      { definition: { Version: '2020-12-01', Steps: [step] }, pipelineName: 'demo', pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo', executionArn: executionArn('b4') },
      ports,
    ).done;
    expect(ports.records.steps(executionArn('b4')).get('Outside')!.FailureReason).toBe(
      `ClientError: LocalPath '${ports.workDir}/host-dir' must be under /opt/ml (SageMaker requires /opt/ml/processing/...).`,
    );
    expect(existsSync(`${ports.workDir}/host-dir`)).toBe(false);
  });
});
