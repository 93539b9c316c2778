/**
 * The engine's SpawnPort on real processes. Each child leads its own process group so that
 * stopping a job also ends whatever the script started (a training script's data loaders…).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { SpawnPort, SpawnRequest, SpawnedProcess } from './engine/ports.js';

/** A SpawnPort that runs commands as local processes. */
export function createProcessSpawner(): SpawnPort {
  return {
    spawn(request: SpawnRequest): SpawnedProcess {
      const child = spawn(request.command, request.args, {
        cwd: request.cwd,
        env: request.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const streamsDone: Promise<void>[] = (['stdout', 'stderr'] as const).map((name) => {
        const stream = child[name];
        return new Promise<void>((resolve) => {
          const lines = createInterface({ input: stream, crlfDelay: Infinity });
          lines.on('line', (line) => request.onLine(name, line));
          lines.on('close', () => resolve());
        });
      });
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
        child.on('error', (error) => {
          // ENOENT and friends: reported as the shell would, so the step fails with a reason.
          request.onLine('stderr', `failed to start ${request.command}: ${error.message}`);
          resolve({ code: 127, signal: null });
        });
        child.on('close', (code, signal) => {
          void Promise.all(streamsDone).then(() => resolve({ code, signal }));
        });
      });
      let finished = false;
      void exited.then(() => {
        finished = true;
      });
      return {
        exited,
        kill() {
          if (finished || child.pid === undefined) return;
          try {
            // Negative pid: the whole process group the child leads.
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        },
      };
    },
  };
}
