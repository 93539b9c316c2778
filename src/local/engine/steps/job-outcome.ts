/** Turning a finished job process into success, a stop, or a StepFailure with a SageMaker-like reason. */
import { readFile } from 'node:fs/promises';
import { clip, StepFailure, StepStopped } from '../failure.js';
import type { JobProcessResult } from '../run-process.js';

/**
 * Throws unless the process succeeded. `failureFile` is the container contract's
 * /opt/ml/output/failure: when the script wrote it, its text is the reason, as on SageMaker.
 */
export async function assertJobSucceeded(result: JobProcessResult, commandLine: string, failureFile?: string): Promise<void> {
  if (result.stopped) throw new StepStopped();
  if (result.timedOut) {
    throw new StepFailure('MaxRuntimeExceeded: the job ran longer than StoppingCondition.MaxRuntimeInSeconds and was stopped.');
  }
  if (result.code === 0) return;
  let written = '';
  if (failureFile !== undefined) written = (await readFile(failureFile, 'utf8').catch(() => '')).trim();
  if (result.code === null) {
    // Killed by a signal we did not send (OOM killer, host): an infrastructure failure, which
    // SageMaker reports as an internal error that `SageMaker.JOB_INTERNAL_ERROR` retries.
    throw new StepFailure(
      clip(`InternalServerError: the job's process was killed by ${result.signal ?? 'a signal'} (${commandLine}).${tailText(result.tail)}`),
      'SageMaker.JOB_INTERNAL_ERROR',
    );
  }
  const detail = written !== '' ? `\nErrorMessage "${written}"` : tailText(result.tail);
  throw new StepFailure(clip(`AlgorithmError: ExitCode ${result.code}, command "${commandLine}".${detail}`));
}

function tailText(tail: string[]): string {
  const lines = tail.filter((l) => l.trim() !== '');
  return lines.length === 0 ? '' : `\nLast log lines:\n${lines.join('\n')}`;
}
