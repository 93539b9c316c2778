/** Names and ARNs of the resources an execution creates, shaped like those SageMaker Pipelines generates. */

/** `pipelines-<execution id>-<step>-<suffix>`, trimmed to SageMaker's 63-character job name limit. */
export function jobName(executionId: string, stepName: string, suffix: string): string {
  const head = `pipelines-${executionId}-`;
  const tail = `-${suffix}`;
  const step = stepName.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, Math.max(1, 63 - head.length - tail.length));
  return `${head}${step}${tail}`.replace(/-+/g, '-');
}

/** `arn:aws:sagemaker:<region>:<account>:<resource>/<name>`; SageMaker lowercases names in ARNs. */
export function sagemakerArn(region: string, accountId: string, resource: string, name: string): string {
  return `arn:aws:sagemaker:${region}:${accountId}:${resource}/${name.toLowerCase()}`;
}

/** Region, account and execution id from `arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>`. */
export function parseExecutionArn(arn: string): { region: string; accountId: string; executionId: string } {
  const parts = arn.split(':');
  const executionId = arn.split('/').pop() ?? 'local';
  return { region: parts[3] || 'us-east-1', accountId: parts[4] || '000000000000', executionId };
}
