import { describe, expect, it } from 'vitest';
import { emitEmr } from '../../../../src/compiler/steps/emr.js';
import type { EmrStep } from '../../../../src/spec/types.generated.js';
import { fakeContext, json } from './check-fake-context.js';

// g_cluster_config of test_emr_step.py (SDK v2.257.6).
const clusterConfig = {
  Instances: {
    InstanceGroups: [
      { Name: 'Master Instance Group', InstanceRole: 'MASTER', InstanceCount: 1, InstanceType: 'm1.small', Market: 'ON_DEMAND' },
    ],
    InstanceCount: 1,
    HadoopVersion: 'MyHadoopVersion',
  },
  AmiVersion: '3.8.0',
  AdditionalInfo: 'MyAdditionalInfo',
};

describe('emr emitter', () => {
  // test_emr_step_with_one_step_config, both parametrizations of execution_role_arn.
  it.each([undefined, 'arn:aws:iam:000000000000:role/runtime-role'])('emits the SDK step on a running cluster (role %s)', (role) => {
    const ctx = fakeContext();
    const step: EmrStep = {
      name: 'MyEMRStep',
      type: 'emr',
      clusterId: 'MyClusterID',
      stepConfig: {
        jar: 's3:/script-runner/script-runner.jar',
        args: ['--arg_0', 'arg_0_value'],
        mainClass: 'com.my.main',
        properties: { Foo: 'Foo_value', Bar: 'Bar_value' },
      },
      ...(role === undefined ? {} : { executionRoleArn: role }),
    };

    const [definition, ...rest] = emitEmr(step, ctx, '/steps/0');

    const expected = {
      Name: 'MyEMRStep',
      Type: 'EMR',
      Arguments: {
        StepConfig: {
          HadoopJarStep: {
            Jar: 's3:/script-runner/script-runner.jar',
            Args: ['--arg_0', 'arg_0_value'],
            MainClass: 'com.my.main',
            Properties: [
              { Key: 'Foo', Value: 'Foo_value' },
              { Key: 'Bar', Value: 'Bar_value' },
            ],
          },
        },
        ClusterId: 'MyClusterID',
        ...(role === undefined ? {} : { ExecutionRoleArn: role }),
      },
    };
    expect(rest).toHaveLength(0);
    // The SDK's insertion order: StepConfig (Jar, Args, MainClass, Properties), then the cluster.
    expect(JSON.stringify(definition)).toBe(JSON.stringify(expected));
    expect(ctx.errors).toStrictEqual([]);
  });

  // test_emr_step_with_valid_cluster_config.
  it('emits the SDK step with a cluster SageMaker creates, passing the cluster config through', () => {
    const ctx = fakeContext();
    const [definition] = emitEmr(
      { name: 'MyEMRStep', type: 'emr', clusterConfig, stepConfig: { jar: 's3:/script-runner/script-runner.jar' } },
      ctx,
      '/steps/0',
    );
    const expected = {
      Name: 'MyEMRStep',
      Type: 'EMR',
      Arguments: { StepConfig: { HadoopJarStep: { Jar: 's3:/script-runner/script-runner.jar' } }, ClusterConfig: clusterConfig },
    };
    expect(JSON.stringify(definition)).toBe(JSON.stringify(expected));
    expect(ctx.errors).toStrictEqual([]);
  });

  it('converts expressions anywhere in the step and cluster config', () => {
    const ctx = fakeContext();
    const [definition] = emitEmr(
      {
        name: 'E',
        type: 'emr',
        clusterConfig: {
          ReleaseLabel: { get: 'Parameters.Release' },
          Instances: { InstanceFleets: [{ InstanceFleetType: 'MASTER', TargetOnDemandCapacity: { get: 'Parameters.Cap' } }] },
        },
        stepConfig: {
          jar: 'command-runner.jar',
          args: ['spark-submit', { get: 'Parameters.Script' }],
          properties: { 'spark.x': { get: 'Parameters.X' } },
        },
      },
      ctx,
      '/steps/0',
    );
    expect(json(definition?.Arguments)).toStrictEqual({
      StepConfig: {
        HadoopJarStep: {
          Jar: 'command-runner.jar',
          Args: ['spark-submit', { Get: 'Parameters.Script' }],
          Properties: [{ Key: 'spark.x', Value: { Get: 'Parameters.X' } }],
        },
      },
      ClusterConfig: {
        ReleaseLabel: { Get: 'Parameters.Release' },
        Instances: { InstanceFleets: [{ InstanceFleetType: 'MASTER', TargetOnDemandCapacity: { Get: 'Parameters.Cap' } }] },
      },
    });
  });

  it('deep-merges raw into the arguments', () => {
    const ctx = fakeContext();
    const [definition] = emitEmr(
      { name: 'E', type: 'emr', clusterId: 'j-1', stepConfig: { jar: 'j' }, raw: { StepConfig: { ActionOnFailure: 'CONTINUE' } } },
      ctx,
      '/steps/0',
    );
    expect(definition?.Arguments).toStrictEqual({
      StepConfig: { HadoopJarStep: { Jar: 'j' }, ActionOnFailure: 'CONTINUE' },
      ClusterId: 'j-1',
    });
  });

  it('rejects both or neither cluster, and a runtime role without a cluster id', () => {
    const ctx = fakeContext();
    emitEmr({ name: 'A', type: 'emr', stepConfig: { jar: 'j' } }, ctx, '/steps/0');
    emitEmr({ name: 'B', type: 'emr', clusterId: 'c', clusterConfig, stepConfig: { jar: 'j' } }, ctx, '/steps/1');
    emitEmr({ name: 'C', type: 'emr', clusterConfig, executionRoleArn: 'arn:r', stepConfig: { jar: 'j' } }, ctx, '/steps/2');
    expect(ctx.errors).toStrictEqual([
      { pointer: '/steps/0', message: 'EMR step A needs either clusterId or clusterConfig.' },
      { pointer: '/steps/1/clusterConfig', message: 'EMR step B cannot have both clusterId and clusterConfig.' },
      { pointer: '/steps/2/executionRoleArn', message: 'EMR step C cannot have executionRoleArn without clusterId.' },
    ]);
  });

  // test_emr_step_throws_exception_when_cluster_config_contains_restricted_entities.
  it.each([
    [{ Name: 'someName', Instances: { InstanceGroups: [{}] } }, '/steps/0/clusterConfig/Name', 'clusterConfig must not contain Name'],
    [{ AutoTerminationPolicy: {}, Instances: { InstanceGroups: [{}] } }, '/steps/0/clusterConfig/AutoTerminationPolicy', 'must not contain AutoTerminationPolicy'],
    [{ Steps: [], Instances: { InstanceGroups: [{}] } }, '/steps/0/clusterConfig/Steps', 'must not contain Steps'],
    [{ AmiVersion: '3.8.0' }, '/steps/0/clusterConfig', 'clusterConfig must contain Instances'],
    [{ Instances: {} }, '/steps/0/clusterConfig/Instances', 'either InstanceGroups or InstanceFleets'],
    [{ Instances: { InstanceGroups: [{}], InstanceFleets: [{}] } }, '/steps/0/clusterConfig/Instances', 'either InstanceGroups or InstanceFleets'],
    [{ Instances: { InstanceGroups: [{}], KeepJobFlowAliveWhenNoSteps: true } }, '/steps/0/clusterConfig/Instances/KeepJobFlowAliveWhenNoSteps', 'must not contain KeepJobFlowAliveWhenNoSteps'],
    [{ Instances: { InstanceGroups: [{}], TerminationProtected: true } }, '/steps/0/clusterConfig/Instances/TerminationProtected', 'must not contain TerminationProtected'],
  ])('rejects the restricted cluster config %j', (config, pointer, message) => {
    const ctx = fakeContext();
    emitEmr({ name: 'MyEMRStep', type: 'emr', clusterConfig: config as NonNullable<EmrStep['clusterConfig']>, stepConfig: { jar: 'j' } }, ctx, '/steps/0');
    expect(ctx.errors).toHaveLength(1);
    expect(ctx.errors[0]?.pointer).toBe(pointer);
    expect(ctx.errors[0]?.message).toContain(message);
  });
});
