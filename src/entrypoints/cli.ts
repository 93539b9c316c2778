// The smpk executable: binds the CLI to the real process (streams, file system, environment,
// clock, signals). The only module with side effects at load.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandUsesAws, main } from '../cli/main.js';
import { systemClock } from '../ops/clock.js';
import { nodeSpecFileSystem } from '../platform/node-fs.js';
import { nodeSourceFiles } from '../platform/source-files.js';
import { processOutput } from '../platform/terminal.js';

// The AWS SDK warns on every run that future versions will need Node 22. That is a note for
// maintainers (tracked in the README), not for the reader of a CI log, so only that warning is dropped.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : `${warning.name}: ${warning.message}`;
  if (text.includes('NodeVersionSupportWarning') || rest.includes('NodeVersionSupportWarning')) return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// A cancelled CI job sends SIGINT (GitHub) or SIGTERM (GitLab, GitHub's second signal). The first
// one aborts the running command, which stops the remote execution before exiting; a second one
// means "now", so it exits at once.
const controller = new AbortController();
let signals = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    signals += 1;
    if (signals > 1) process.exit(130);
    process.stderr.write(`smpk: received ${sig}; stopping…\n`);
    controller.abort();
  });
}

const argv = process.argv.slice(2);
// The AWS SDK clients are most of the bundle; only commands that call AWS load them, so
// `smpk validate` and `smpk compile` start in a fraction of the time.
const aws = commandUsesAws(argv[0]) ? await import('../aws/clients.js') : undefined;

const code = await main(argv, {
  fs: nodeSpecFileSystem,
  output: processOutput,
  env: process.env,
  sourceFiles: (root) => nodeSourceFiles(root),
  clients: (region) => {
    if (!aws) throw new Error(`command ${JSON.stringify(argv[0])} calls AWS but is not marked as doing so in cli/main.ts`);
    return aws.createClients({ region, env: process.env });
  },
  clock: systemClock,
  random: Math.random,
  uuid: randomUUID,
  signal: controller.signal,
  localBackend: () => import('../local/index.js'),
  writeFile: (file, data) => {
    const target = path.resolve(process.cwd(), file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, data);
  },
});
process.exitCode = code;
