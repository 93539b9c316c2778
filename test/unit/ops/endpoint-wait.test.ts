import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../src/ops/clock.js';
import { verifyServing, waitForEndpoint } from '../../../src/ops/endpoint-wait.js';

const sm = mockClient(SageMakerClient);
afterEach(() => sm.reset());

async function waitThrough(statuses: [string, string][], deadlineMs = 3_600_000) {
  const queue = [...statuses];
  sm.on(DescribeEndpointCommand).callsFake(() => {
    const [status, config] = queue.length > 1 ? (queue.shift() as [string, string]) : (queue[0] as [string, string]);
    return { EndpointStatus: status, EndpointConfigName: config, FailureReason: status === 'InService' ? undefined : `reason ${status}` };
  });
  const unknown: string[] = [];
  const result = await waitForEndpoint(
    { endpointName: 'e', expectedConfig: 'new', deadline: deadlineMs, intervalMs: 30_000 },
    { sagemaker: new SageMakerClient({ region: 'us-east-1' }), clock: virtualClock(0), random: () => 0.5, reporter: { unknownStatus: (s) => unknown.push(s) } },
  );
  return { result, unknown };
}

describe('waitForEndpoint: every EndpointStatus', () => {
  it.each([
    [[['Creating', 'new'], ['InService', 'new']], 'in-service'],
    [[['Updating', 'new'], ['SystemUpdating', 'new'], ['InService', 'new']], 'in-service'],
    [[['Updating', 'old'], ['InService', 'old']], 'rolled-back'],
    [[['Updating', 'new'], ['RollingBack', 'new'], ['InService', 'new']], 'rolled-back'],
    [[['Creating', 'new'], ['Failed', 'new']], 'failed'],
    [[['Updating', 'new'], ['OutOfService', 'new']], 'out-of-service'],
    [[['Updating', 'new'], ['RollingBack', 'old'], ['UpdateRollbackFailed', 'old']], 'rollback-failed'],
    [[['Updating', 'new'], ['Deleting', 'new']], 'deleting'],
  ] as [[string, string][], string][])('%j → %s', async (statuses, outcome) => {
    const { result } = await waitThrough(statuses);
    expect(result.outcome).toBe(outcome);
    expect(result.transitions).toEqual(statuses.map(([s]) => s));
  });

  it('an unknown status is reported once and waited through', async () => {
    const { result, unknown } = await waitThrough([['Creating', 'new'], ['Warming', 'new'], ['Warming', 'new'], ['InService', 'new']]);
    expect(result.outcome).toBe('in-service');
    expect(unknown).toEqual(['Warming']);
  });

  it('the deadline ends the wait with the last status', async () => {
    const { result } = await waitThrough([['Updating', 'new']], 120_000);
    expect(result).toMatchObject({ outcome: 'deadline', status: 'Updating' });
  });
});

describe('verifyServing', () => {
  it('names the config and capacity problems', () => {
    expect(verifyServing({ $metadata: {}, EndpointName: 'e', EndpointArn: 'a', EndpointStatus: 'InService', CreationTime: new Date(0), LastModifiedTime: new Date(0), EndpointConfigName: 'old', ProductionVariants: [{ VariantName: 'AllTraffic', CurrentWeight: 0, CurrentInstanceCount: 0 }] }, 'new')).toEqual([
      'the endpoint serves old, not new',
      'variant AllTraffic has weight 0',
      'variant AllTraffic has 0 instances',
    ]);
  });
});
