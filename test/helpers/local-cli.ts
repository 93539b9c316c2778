/**
 * A CLI context for end-to-end tests against a running local backend: the real file system
 * (repository = process.cwd()), real clock, output in memory, and clients pointed at the backend
 * through the same environment variables `smpk demo` uses.
 */
import { randomUUID } from 'node:crypto';
import { createClients } from '../../src/aws/clients.js';
import type { CliContext } from '../../src/cli/context.js';
import { localEnvironment } from '../../src/cli/local.js';
import { systemClock } from '../../src/ops/clock.js';
import { nodeSpecFileSystem } from '../../src/platform/node-fs.js';
import { nodeSourceFiles } from '../../src/platform/source-files.js';
import { memoryOutput } from '../../src/platform/terminal.js';

export function localCli(endpoint: string, extraEnv: Record<string, string> = {}) {
  const output = memoryOutput();
  const written: Record<string, string> = {};
  const env = localEnvironment({ ...extraEnv }, endpoint);
  const ctx: CliContext = {
    fs: nodeSpecFileSystem,
    output,
    env,
    sourceFiles: (root) => nodeSourceFiles(root),
    clients: (region) => createClients({ region, env }),
    clock: systemClock,
    random: Math.random,
    uuid: randomUUID,
    signal: new AbortController().signal,
    localBackend: () => import('../../src/local/index.js'),
    // Files the commands write (reports, dotenv) are kept in memory for the assertions.
    writeFile: (file, data) => {
      written[file] = data;
    },
  };
  return { ctx, output, written };
}
