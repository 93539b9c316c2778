/**
 * Runs one action body with the real host, and is its single catch: whatever is thrown — an Error
 * or not — fails the step with one readable sentence (the typescript-action template only handles
 * Error instances). Stack traces only when the workflow runs with debug logging.
 */
import * as core from '@actions/core';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AwsConfigError, type AwsClients } from '../../aws/clients.js';
import { describeAwsError, isCredentialsError } from '../../aws/errors.js';
import { systemClock } from '../../ops/clock.js';
import { githubIO, InputError, type ActionIO } from '../github.js';
import { nodeSpecFileSystem } from '../node-fs.js';
import { nodeSourceFiles } from '../source-files.js';
import type { ActionHost } from './host.js';

/** The sentence a failure is reported with. */
export function failureMessage(error: unknown): string {
  if (error instanceof InputError || error instanceof AwsConfigError) return error.message;
  if (isCredentialsError(error)) return describeAwsError(error, 'AWS');
  if (error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === 'object') return describeAwsError(error, 'AWS call');
  if (error instanceof Error) return `internal error: ${error.message}`;
  return `internal error: ${String(error)}`;
}

/** For actions that never call AWS: their bundles then carry no AWS SDK. */
export function noAwsClients(): AwsClients {
  throw new Error('this action does not call AWS');
}

/**
 * Runs `body` as the action; never throws. `clients` is injected by the entry point so that only
 * the actions that call AWS bundle the SDK.
 */
export async function runAction(
  body: (io: ActionIO, host: ActionHost) => Promise<void>,
  clients: (region: string, env: NodeJS.ProcessEnv) => AwsClients = noAwsClients,
  io: ActionIO = githubIO,
): Promise<void> {
  const controller = new AbortController();
  // GitHub cancels a job with SIGINT, then SIGTERM 7.5 s later: abort at the first so the remote run is stopped in time.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
  const host: ActionHost = {
    fs: nodeSpecFileSystem,
    env: process.env,
    sourceFiles: (root) => nodeSourceFiles(root),
    clients: (region) => clients(region, process.env),
    clock: systemClock,
    random: Math.random,
    uuid: randomUUID,
    signal: controller.signal,
    writeFile: (file, data) => {
      const target = path.resolve(process.cwd(), file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    },
  };
  try {
    await body(io, host);
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    io.fail(failureMessage(error));
  }
}
