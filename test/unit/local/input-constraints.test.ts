import { describe, expect, it } from 'vitest';
import { uncheckablePatterns, validateInput } from '../../../src/local/sagemaker/input-constraints.js';

describe('SageMaker input constraints', () => {
  it('compiles every model pattern it checks', () => {
    expect(uncheckablePatterns()).toEqual([]);
  });

  it('rejects what SageMaker rejects, with its message form', () => {
    expect(() => validateInput('StartPipelineExecution', { PipelineName: 'p', ClientRequestToken: 'too-short' })).toThrow(
      "1 validation error detected: Value 'too-short' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32",
    );
    const both = () => validateInput('CreatePipeline', { PipelineName: 'bad_name', ClientRequestToken: 'x'.repeat(32) });
    expect(both).toThrow(/^2 validation errors detected: /);
    expect(both).toThrow("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    expect(both).toThrow("Value 'bad_name' at 'pipelineName' failed to satisfy constraint: Member must satisfy regular expression pattern");
    expect(() => validateInput('AddTags', { ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/p', Tags: [{ Key: 'ok', Value: 'tab\tnot allowed' }] })).toThrow(
      /'tags\.1\.member\.value'/,
    );
    expect(() =>
      validateInput('StartPipelineExecution', { PipelineName: 'p', ClientRequestToken: 'x'.repeat(32), PipelineParameters: [{ Name: 'a b', Value: '1' }] }),
    ).toThrow(/'pipelineParameters\.1\.member\.name'/);
    expect(() => validateInput('ListModelPackages', { ModelApprovalStatus: 'Maybe' })).toThrow(/enum value set: \[Approved, Rejected, PendingManualApproval\]/);
    expect(() => validateInput('ListPipelineExecutionSteps', { PipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/p/execution/abc', MaxResults: 500 })).toThrow(
      /less than or equal to 100/,
    );
  });

  it('accepts valid input', () => {
    expect(() =>
      validateInput('StartPipelineExecution', { PipelineName: 'churn-model', ClientRequestToken: 'churn-model-0123456789abcdef-run-7-1', PipelineParameters: [{ Name: 'Epochs', Value: '3' }] }),
    ).not.toThrow();
  });
});
