import { ResourceNotFound } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import {
  describeAwsError,
  isCredentialsError,
  isNotFound,
  isRetryable,
  isThrottling,
  isTransient,
  NOT_FOUND_AS_VALIDATION,
} from '../../../src/aws/errors.js';

const awsError = (name: string, message: string, status = 400) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('AWS error classification', () => {
  it('recognises throttling by exception name and by HTTP 429, not by message', () => {
    expect(isThrottling(awsError('ThrottlingException', 'Rate exceeded'))).toBe(true);
    expect(isThrottling(awsError('SomethingElse', 'x', 429))).toBe(true);
    expect(isThrottling(awsError('ValidationException', 'Rate exceeded'))).toBe(false);
  });

  it('treats 5xx and connection resets as transient, 4xx as final', () => {
    expect(isTransient(awsError('InternalFailure', 'boom', 500))).toBe(true);
    expect(isTransient(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(awsError('ValidationException', 'bad', 400))).toBe(false);
    expect(isRetryable(awsError('ValidationException', 'bad', 400))).toBe(false);
    expect(isRetryable('a string thrown by someone')).toBe(false);
  });

  it('ResourceNotFound means not found for every operation', () => {
    const e = new ResourceNotFound({ message: 'Pipeline does not exist', $metadata: {} });
    expect(isNotFound(e, 'DescribePipeline')).toBe(true);
    expect(isNotFound(e, 'DescribeModelPackage')).toBe(true);
  });

  // SageMaker answers these operations' missing resources with a ValidationException.
  const validationNotFound: Record<string, string> = {
    DescribeEndpoint: 'Could not find endpoint "arn:aws:sagemaker:us-east-1:111122223333:endpoint/abalone".',
    DescribeEndpointConfig: 'Could not find endpoint configuration "abalone-config".',
    DescribeModel: 'Could not find model "arn:aws:sagemaker:us-east-1:111122223333:model/abalone".',
    DeleteEndpoint: 'Could not find endpoint "abalone".',
    DeleteEndpointConfig: 'Could not find endpoint configuration "abalone-config".',
    DeleteModel: 'Could not find model "abalone".',
    UpdateEndpoint: 'Could not find endpoint "abalone".',
    DescribeMonitoringSchedule: 'Monitoring schedule abalone-dq does not exist.',
  };
  for (const [operation, message] of Object.entries(validationNotFound)) {
    it(`${operation}: a "not found" ValidationException is not found`, () => {
      expect(NOT_FOUND_AS_VALIDATION.has(operation)).toBe(true);
      expect(isNotFound(awsError('ValidationException', message), operation)).toBe(true);
      // Any other validation problem of the same operation is a real error.
      expect(isNotFound(awsError('ValidationException', 'Value at instanceType failed to satisfy constraint'), operation)).toBe(false);
    });
  }

  it('a "Could not find" ValidationException of an operation that uses ResourceNotFound is not not-found', () => {
    expect(isNotFound(awsError('ValidationException', 'Could not find pipeline'), 'DescribePipeline')).toBe(false);
  });

  it('names the fix for missing credentials and denied permissions', () => {
    const creds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(isCredentialsError(creds)).toBe(true);
    expect(describeAwsError(creds, 'DescribePipeline')).toMatch(/configure-aws-credentials/);
    expect(describeAwsError(awsError('AccessDeniedException', 'not authorized'), 'CreatePipeline')).toMatch(/iam-policy/);
  });
});

describe('unreachable endpoints', () => {
  it('says the endpoint cannot be reached instead of a bare errno', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: {} });
    expect(describeAwsError(e, 'DescribePipeline')).toMatch(/cannot reach the AWS endpoint \(ECONNREFUSED.*AWS_ENDPOINT_URL/);
  });
});

describe('unlessNotFound', () => {
  it('gives undefined for a missing resource and rethrows everything else', async () => {
    const { unlessNotFound } = await import('../../../src/aws/errors.js');
    expect(await unlessNotFound('DescribePipeline', async () => 'found')).toBe('found');
    expect(await unlessNotFound('DescribeEndpoint', async () => Promise.reject(awsError('ValidationException', 'Could not find endpoint "x".')))).toBeUndefined();
    await expect(unlessNotFound('DescribeEndpoint', async () => Promise.reject(awsError('ValidationException', 'bad value')))).rejects.toThrow('bad value');
  });
});
