import { describe, expect, it } from 'vitest';
import { AwsConfigError, createClients, resolveRegion } from '../../../src/aws/clients.js';

describe('AWS clients', () => {
  it('takes the region from the flag, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(resolveRegion({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-2' }, 'ap-south-1')).toBe('ap-south-1');
    expect(resolveRegion({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-2' })).toBe('eu-west-1');
    expect(resolveRegion({ AWS_DEFAULT_REGION: 'us-east-2' })).toBe('us-east-2');
  });

  it('explains how to provide a missing region in one sentence', () => {
    expect(() => resolveRegion({})).toThrow(AwsConfigError);
    expect(() => resolveRegion({})).toThrow(/AWS_REGION.*--region/);
    expect(() => resolveRegion({}, 'not a region')).toThrow(/not a region name/);
  });

  it('identifies itself in the user agent and uses path-style S3 behind an endpoint override', async () => {
    const clients = createClients({ region: 'us-east-1', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' } });
    expect(clients.sagemaker.config.customUserAgent).toEqual([['sagemaker-pipeline-kit/0.1.0']]);
    expect(clients.s3.config.forcePathStyle).toBe(true);
    expect(await clients.sagemaker.config.region()).toBe('us-east-1');
    const direct = createClients({ region: 'us-east-1', env: {} });
    expect(direct.s3.config.forcePathStyle).toBe(false);
  });
});

describe('endpoint overrides from the environment map', () => {
  it('uses the service-specific variable before the global one', async () => {
    const clients = createClients({
      region: 'us-east-1',
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4000', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:5000' },
    });
    const sm = await clients.sagemaker.config.endpoint?.();
    const s3 = await clients.s3.config.endpoint?.();
    expect(`${sm?.hostname}:${sm?.port}`).toBe('127.0.0.1:4000');
    expect(`${s3?.hostname}:${s3?.port}`).toBe('127.0.0.1:5000');
  });
  it('uses static keys from the map, and the default chain otherwise', async () => {
    const withKeys = createClients({ region: 'us-east-1', env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' } });
    const creds = await withKeys.sagemaker.config.credentials();
    expect(creds.accessKeyId).toBe('AKIDEXAMPLE');
  });
});
