/** A setting the kit needs before it can talk to AWS is missing: exit code 2, one sentence. */
export class AwsConfigError extends Error {
  override readonly name = 'AwsConfigError';
}
