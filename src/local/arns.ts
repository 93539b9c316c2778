/**
 * ARNs in SageMaker's real format under a fixed fake account. SageMaker lowercases the
 * resource name in most ARNs (pipeline, endpoint, model, jobs…) but keeps the case of model
 * package group names; the kit must not depend on either, but realistic ARNs catch code that does.
 */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** `arn:aws:sagemaker:<region>:000000000000:<type>/<name>` with SageMaker's casing rule. */
export function sagemakerArn(region: string, type: string, name: string): string {
  const keepCase = type === 'model-package-group';
  return `arn:aws:sagemaker:${region}:${LOCAL_ACCOUNT_ID}:${type}/${keepCase ? name : name.toLowerCase()}`;
}

/** The resource name part of a SageMaker ARN (`.../pipeline/<name>` → name), or the input when it is no ARN. */
export function nameFromArn(nameOrArn: string, type: string): string {
  const match = new RegExp(`^arn:aws[a-z-]*:sagemaker:[^:]*:[^:]*:${type}/([^/]+)$`).exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

/** The region an ARN names, if it is an ARN. */
export function regionOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:[a-z-]+:([a-z0-9-]+):/.exec(arn)?.[1];
}
