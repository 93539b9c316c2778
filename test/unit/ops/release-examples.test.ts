// Every example spec with a release section reads into release settings: the group, role,
// smoke-test payload and monitoring (baseline step, data capture) all line up.
import { describe, expect, it } from 'vitest';
import { compileSpecFile } from '../../../src/ops/compile.js';
import { releaseSettings } from '../../../src/ops/release-settings.js';
import { nodeSpecFileSystem } from '../../../src/platform/node-fs.js';
import { nodeSourceFiles } from '../../../src/platform/source-files.js';

const root = process.cwd();
const read = (file: string) => {
  const compiled = compileSpecFile({ fs: nodeSpecFileSystem, root, files: nodeSourceFiles(root), file, options: { region: 'us-east-1' }, validateOnly: true });
  expect(compiled.ok).toBe(true);
  return releaseSettings({ spec: compiled.load?.spec as never, specFile: file, fs: nodeSpecFileSystem, root, env: { SMPK_ROLE_ARN: 'arn:aws:iam::111122223333:role/ci' } });
};

describe('release settings of the example specs', () => {
  it('abalone-local: group from the register-model step, payload file read', () => {
    const s = read('pipeline-specs/abalone-local.yaml');
    expect(s.endpointName).toBe('abalone-local');
    expect(s.modelPackageGroup).toBe('abalone-local');
    expect(s.smokeTest?.payload.length).toBeGreaterThan(0);
    expect(s.timeoutMinutes).toBe(10);
  });

  it('sts-model-quality: model-quality monitoring on captured traffic', () => {
    const s = read('pipeline-specs/sts-model-quality.yaml');
    expect(s.modelPackageGroup).toBe('stsPackageGroup');
    expect(s.monitoring).toEqual([
      expect.objectContaining({ kind: 'ModelQuality', baselineStep: 'ModelQualityCheck', problemType: 'BinaryClassification', groundTruthS3Uri: 's3://sts-model-monitor/sts/ground-truth', inferenceAttribute: '0', probabilityAttribute: '1' }),
    ]);
  });

  it('question-understanding: daily model-quality schedule', () => {
    const s = read('pipeline-specs/question-understanding.yaml');
    expect(s.monitoring[0]).toMatchObject({ kind: 'ModelQuality', schedule: 'cron(0 0 ? * * *)', problemType: 'MulticlassClassification' });
  });
});
