import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateConditions } from '../../../../src/local/engine/conditions.js';
import type { ExpressionScope } from '../../../../src/local/engine/expressions.js';
import type { JsonObject, JsonValue } from '../../../../src/local/engine/ports.js';

const report = { metrics: { accuracy: { value: 0.82 }, label: 'good' } };

function scope(): ExpressionScope {
  return {
    parameters: new Map<string, JsonValue>([
      ['Threshold', 0.8],
      ['Mode', 'full'],
      ['Count', 3],
      ['Flag', true],
    ]),
    execution: { pipelineName: 'p', pipelineArn: 'pa', executionId: 'e', executionArn: 'ea', startTime: new Date(0), now: () => new Date(0) },
    stepProperties: (name) => (name === 'Eval' ? { ProcessingOutputConfig: { Outputs: [{ OutputName: 'evaluation', S3Output: { S3Uri: 's3://b/eval' } }] } } : undefined),
    propertyFileUri: (step, file) => (step === 'Eval' && file === 'Report' ? 's3://b/eval/evaluation.json' : undefined),
    readObject: async (bucket, key) => (bucket === 'b' && key === 'eval/evaluation.json' ? new TextEncoder().encode(JSON.stringify(report)) : undefined),
  };
}

const accuracy = { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Eval.PropertyFiles.Report' }, Path: 'metrics.accuracy.value' } };
const cmp = (Type: string, LeftValue: JsonValue, RightValue: JsonValue): JsonObject => ({ Type, LeftValue, RightValue });

describe('conditions', () => {
  it.each([
    ['GreaterThan', 0.82, 0.8, true],
    ['GreaterThan', 0.8, 0.8, false],
    ['GreaterThanOrEqualTo', 0.8, 0.8, true],
    ['GreaterThanOrEqualTo', 0.79, 0.8, false],
    ['LessThan', 0.79, 0.8, true],
    ['LessThan', 0.8, 0.8, false],
    ['LessThanOrEqualTo', 0.8, 0.8, true],
    ['LessThanOrEqualTo', 0.81, 0.8, false],
    ['Equals', 3, 3.0, true],
    ['Equals', 'a', 'b', false],
  ] as const)('%s(%s, %s) is %s', async (type, left, right, expected) => {
    expect(await evaluateCondition(cmp(type, left, right), scope())).toBe(expected);
  });

  it('compares JsonGet values from a property file with typed parameters', async () => {
    expect(await evaluateCondition(cmp('GreaterThanOrEqualTo', accuracy, { Get: 'Parameters.Threshold' }), scope())).toBe(true);
    expect(await evaluateCondition(cmp('LessThan', accuracy, { Get: 'Parameters.Threshold' }), scope())).toBe(false);
    expect(await evaluateCondition(cmp('Equals', { Get: 'Parameters.Flag' }, true), scope())).toBe(true);
    expect(await evaluateCondition(cmp('Equals', { Get: 'Parameters.Count' }, 3), scope())).toBe(true);
  });

  it('reads JsonGet through an S3 URI built with Join', async () => {
    const viaUri = {
      'Std:JsonGet': {
        S3Uri: { 'Std:Join': { On: '/', Values: [{ Get: "Steps.Eval.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri" }, 'evaluation.json'] } },
        Path: "$.metrics['label']",
      },
    };
    expect(await evaluateCondition(cmp('Equals', viaUri, 'good'), scope())).toBe(true);
  });

  it('In matches any of its values, and Not and Or compose', async () => {
    const inMode = (values: JsonValue[]): JsonObject => ({ Type: 'In', QueryValue: { Get: 'Parameters.Mode' }, Values: values });
    expect(await evaluateCondition(inMode(['quick', 'full']), scope())).toBe(true);
    expect(await evaluateCondition(inMode(['quick']), scope())).toBe(false);
    expect(await evaluateCondition({ Type: 'Not', Condition: inMode(['quick']) }, scope())).toBe(true);
    expect(await evaluateCondition({ Type: 'Or', Conditions: [inMode(['quick']), cmp('GreaterThan', accuracy, 0.5)] }, scope())).toBe(true);
    expect(await evaluateCondition({ Type: 'Or', Conditions: [inMode(['quick']), cmp('GreaterThan', accuracy, 0.9)] }, scope())).toBe(false);
  });

  it('ANDs a list of conditions', async () => {
    expect(await evaluateConditions([cmp('GreaterThan', accuracy, 0.5), cmp('LessThan', accuracy, 0.9)], scope())).toBe(true);
    expect(await evaluateConditions([cmp('GreaterThan', accuracy, 0.5), cmp('LessThan', accuracy, 0.6)], scope())).toBe(false);
    expect(await evaluateConditions([], scope())).toBe(true);
  });

  it('fails with a readable reason when a JsonGet path or file is missing', async () => {
    await expect(evaluateCondition(cmp('Equals', { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Eval.PropertyFiles.Report' }, Path: 'metrics.f1' } }, 1), scope())).rejects.toThrow(
      "Invalid json path 'metrics.f1': nothing at that path in s3://b/eval/evaluation.json.",
    );
    await expect(evaluateCondition(cmp('Equals', { 'Std:JsonGet': { S3Uri: 's3://b/none.json', Path: 'a' } }, 1), scope())).rejects.toThrow(
      'Received an error while reading file s3://b/none.json from S3: NoSuchKey',
    );
  });
});
