/**
 * Errors the local SageMaker/Logs/runtime services answer with, carrying the exception name
 * (`__type`) and HTTP status the real services use, so callers classify them by `error.name`
 * exactly as they do against AWS.
 */
export class ServiceError extends Error {
  constructor(
    /** The `__type` / `x-amzn-ErrorType`, e.g. ResourceNotFound, ValidationException. */
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** SageMaker's "no such resource" for the operations that model it (pipelines, jobs, schedules). */
export function resourceNotFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFound', message);
}

/** SageMaker's generic input rejection, also its "not found" for models, endpoints and configs. */
export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

/** Throws ValidationException unless `value` is a non-empty string (the operation's required member). */
export function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') {
    throw validation(`1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}
