/** Exit codes, fixed for the whole kit (CLI and actions alike). */
export const ExitCode = {
  /** Everything the command set out to do succeeded. */
  Success: 0,
  /** The remote run (pipeline execution, build, deployment) failed or was stopped. */
  RemoteFailed: 1,
  /** The input was invalid: a spec, a flag, a file, a missing setting. */
  InvalidInput: 2,
  /** The metric gate decided against the candidate. */
  GateFailed: 3,
  /** The deadline passed while the remote run goes on; it can be resumed. */
  TimedOut: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
