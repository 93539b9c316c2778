/**
 * The emitter registry: spec step `type` → emitter. One file per step type under this folder;
 * adding a step type is one import and one entry here.
 */
import type { StepEmitter } from '../types.js';
import { clarifyCheckEmitter } from './clarify-check.js';
import { emrEmitter } from './emr.js';
import { processingEmitter } from './processing.js';
import { trainingEmitter } from './training.js';
import { tuningEmitter } from './tuning.js';
import { qualityCheckEmitter } from './quality-check.js';
import { callbackEmitter } from './callback.js';
import { conditionEmitter } from './condition.js';
import { failEmitter } from './fail.js';
import { lambdaEmitter } from './lambda.js';
import { modelEmitter } from './model.js';
import { registerModelEmitter } from './register-model.js';
import { transformEmitter } from './transform.js';

// Each emitter is typed on its own spec shape; the registry only needs the common surface.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEmitter = StepEmitter<any>;

export const emitters: ReadonlyMap<string, AnyEmitter> = new Map<string, AnyEmitter>([
  ['quality-check', qualityCheckEmitter],
  ['clarify-check', clarifyCheckEmitter],
  ['emr', emrEmitter],
  ['processing', processingEmitter],
  ['training', trainingEmitter],
  ['tuning', tuningEmitter],
  ['transform', transformEmitter],
  ['model', modelEmitter],
  ['register-model', registerModelEmitter],
  ['condition', conditionEmitter],
  ['fail', failEmitter],
  ['lambda', lambdaEmitter],
  ['callback', callbackEmitter],
]);
