import { describe, expect, it } from 'vitest';
import { listReferences, parseExpression, parseGetText } from '../../../src/spec/references.js';

describe('references', () => {
  it('parses Get texts into typed references', () => {
    expect(parseGetText('Parameters.Epochs')).toEqual({ kind: 'parameter', name: 'Epochs' });
    expect(parseGetText('Execution.PipelineExecutionId')).toEqual({ kind: 'execution', variable: 'PipelineExecutionId' });
    expect(parseGetText('Steps.Train-1.ModelArtifacts.S3ModelArtifacts')).toEqual({ kind: 'step-property', step: 'Train-1', path: 'ModelArtifacts.S3ModelArtifacts' });
    expect(parseGetText("Steps.Eval.ProcessingOutputConfig.Outputs['a.b'].S3Output.S3Uri")).toEqual({
      kind: 'step-property', step: 'Eval', path: "ProcessingOutputConfig.Outputs['a.b'].S3Output.S3Uri",
    });
    expect(parseGetText('Nope.X')).toBeUndefined();
  });

  it('only treats single-key expression objects as expressions', () => {
    expect(parseExpression({ output: 'Prep.train', extra: 1 })).toBeUndefined();
    expect(parseExpression('s3://x')).toBeUndefined();
    expect(parseExpression({ output: 'Prep.train.csv' })).toEqual({
      kind: 'output', text: 'Prep.train.csv', reference: { kind: 'output', step: 'Prep', output: 'train.csv' },
    });
  });

  it('lists nested references with their pointers in document order', () => {
    const spec = {
      steps: [
        {
          name: 'B',
          value: { join: { on: '/', values: ['s3:/', { get: 'Parameters.Bucket' }, { output: 'A.out' }] } },
          report: { jsonGet: { s3Uri: { join: { values: [{ get: 'Steps.A.ProcessingJobArn' }] } }, path: 'x' } },
          best: { topModel: { step: 'T' } },
          file: { jsonGet: { propertyFile: 'A.Report', path: 'a' } },
        },
      ],
    };
    expect(listReferences(spec)).toEqual([
      { pointer: '/steps/0/value/join/values/1', reference: { kind: 'parameter', name: 'Bucket' } },
      { pointer: '/steps/0/value/join/values/2', reference: { kind: 'output', step: 'A', output: 'out' } },
      { pointer: '/steps/0/report/jsonGet/s3Uri/join/values/0', reference: { kind: 'step-property', step: 'A', path: 'ProcessingJobArn' } },
      { pointer: '/steps/0/best', reference: { kind: 'top-model', step: 'T', rank: 0 } },
      { pointer: '/steps/0/file', reference: { kind: 'property-file', step: 'A', propertyFile: 'Report' } },
    ]);
  });
});
