/** The runner for each step type that starts a job or creates a resource. */
import type { StepRunner } from './context.js';
import { runModel } from './model.js';
import { runProcessing } from './processing.js';
import { runQualityCheck } from './quality-check.js';
import { runRegisterModel } from './register-model.js';
import { runTraining } from './training.js';
import { runTransform } from './transform.js';
import { unsupportedStep } from './unsupported.js';

const RUNNERS: Record<string, StepRunner> = {
  Processing: runProcessing,
  Training: runTraining,
  Model: runModel,
  RegisterModel: runRegisterModel,
  Transform: runTransform,
  QualityCheck: runQualityCheck,
};

/** The runner for `type`; types the engine cannot emulate get one that fails with a clear reason. */
export function runnerFor(type: string): StepRunner {
  return RUNNERS[type] ?? unsupportedStep;
}
