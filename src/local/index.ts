/** The local backend's public surface (used by `smpk local start` and the end-to-end tests). */
export { startLocalBackend, type LocalBackend, type LocalBackendOptions } from './server.js';
export { parseFaults, type FaultConfig } from './faults.js';
export type { Clock } from './clock.js';
export type { ExecutionRunner } from './executions.js';
export type { InferenceHarness, InferenceRequest, InferenceResult } from './runtime-service.js';
export { localBackendOptionsFromEnv } from './env-options.js';
