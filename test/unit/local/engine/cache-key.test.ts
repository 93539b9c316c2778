import { describe, expect, it } from 'vitest';
import { cacheKey } from '../../../../src/local/engine/cache.js';

const processing = (outputUri: string, script: string) => ({
  Arguments: {
    AppSpecification: { ImageUri: 'img', ContainerEntrypoint: ['python3', script] },
    ProcessingInputs: [{ InputName: 'code', S3Input: { S3Uri: 's3://b/p/code/abc/pre.py' } }],
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: outputUri } }] },
    ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 } },
  },
});

describe('local cache keys', () => {
  it('ignore a processing step\'s outputs and resources, as SageMaker\'s documented key does', () => {
    // Default output paths contain the execution id: two runs must still share a key.
    const a = cacheKey('p', 'Pre', 'Processing', processing('s3://b/p/exec-1/Pre/output/train', 'pre.py'), undefined);
    const b = cacheKey('p', 'Pre', 'Processing', processing('s3://b/p/exec-2/Pre/output/train', 'pre.py'), undefined);
    expect(a).toBe(b);
  });
  it('change when what the step runs changes', () => {
    const a = cacheKey('p', 'Pre', 'Processing', processing('s3://x', 'pre.py'), undefined);
    expect(cacheKey('p', 'Pre', 'Processing', processing('s3://x', 'other.py'), undefined)).not.toBe(a);
    expect(cacheKey('p', 'Other', 'Processing', processing('s3://x', 'pre.py'), undefined)).not.toBe(a);
  });
  it('key training on its hyperparameters and channels, not its output path', () => {
    const t = (epochs: string, out: string) => ({ Arguments: { HyperParameters: { epochs }, InputDataConfig: [], OutputDataConfig: { S3OutputPath: out } } });
    expect(cacheKey('p', 'T', 'Training', t('10', 's3://a'), undefined)).toBe(cacheKey('p', 'T', 'Training', t('10', 's3://b'), undefined));
    expect(cacheKey('p', 'T', 'Training', t('10', 's3://a'), undefined)).not.toBe(cacheKey('p', 'T', 'Training', t('20', 's3://a'), undefined));
  });
});
