/**
 * The emitter registry: spec step `type` → emitter. One file per step type under this folder;
 * adding a step type is one import and one entry here.
 */
import type { StepEmitter } from '../types.js';
import { processingEmitter } from './processing.js';

// Each emitter is typed on its own spec shape; the registry only needs the common surface.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEmitter = StepEmitter<any>;

export const emitters: ReadonlyMap<string, AnyEmitter> = new Map<string, AnyEmitter>([
  ['processing', processingEmitter],
]);
