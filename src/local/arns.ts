/**
 * ARNs in SageMaker's real format under a fixed fake account. SageMaker lowercases resource
 * names in ARNs (pipeline/ChurnModel → pipeline/churnmodel), which catches kit code that
 * compares names with ARN segments; the engine's ARNs (engine/names.ts) follow the same rule.
 */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** `arn:aws:sagemaker:<region>:000000000000:<type>/<name lowercased>`. */
export function sagemakerArn(region: string, type: string, name: string): string {
  return `arn:aws:sagemaker:${region}:${LOCAL_ACCOUNT_ID}:${type}/${name.toLowerCase()}`;
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
