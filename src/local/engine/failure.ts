/**
 * Step failures and their classification. The class decides which RetryPolicies apply, the way
 * SageMaker maps a failed job or call onto `Step.*` and `SageMaker.*` exception types.
 */

/** RetryPolicies ExceptionType values; `undefined` marks a failure no policy retries (a client/algorithm error). */
export type RetryClass =
  | 'Step.SERVICE_FAULT'
  | 'Step.THROTTLING'
  | 'SageMaker.JOB_INTERNAL_ERROR'
  | 'SageMaker.CAPACITY_ERROR'
  | 'SageMaker.RESOURCE_LIMIT';

/** Maximum length of FailureReason in the SageMaker API (botocore `FailureReason`). */
export const FAILURE_REASON_MAX = 1024;

/** A step (or its job) failed; `reason` becomes the step's FailureReason. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    readonly reason: string,
    readonly retryClass?: RetryClass,
  ) {
    super(reason);
  }
}

/** The execution was stopped while the step ran; the step ends Stopped, not Failed. */
export class StepStopped extends Error {
  override readonly name = 'StepStopped';
  constructor() {
    super('stopped');
  }
}

/** Clips text to a SageMaker length limit, keeping the end (where the error usually is) marked by an ellipsis. */
export function clip(text: string, max = FAILURE_REASON_MAX): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.floor(max / 3))}…${text.slice(text.length - (max - Math.floor(max / 3) - 1))}`;
}

/** Turns anything thrown while running a step into a StepFailure (errors from ports are service faults). */
export function toStepFailure(error: unknown): StepFailure {
  if (error instanceof StepFailure) return error;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  const message = error instanceof Error ? error.message : String(error);
  // Ports (object store, records) raising is the local analogue of a SageMaker-side fault:
  // throttling errors by type, everything else a service fault — both retryable by policy.
  if (/Throttl|SlowDown|TooManyRequests/.test(name)) return new StepFailure(`ThrottlingException: ${message}`, 'Step.THROTTLING');
  return new StepFailure(`InternalServerError: ${message}`, 'Step.SERVICE_FAULT');
}
