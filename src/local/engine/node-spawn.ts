/** The production SpawnPort: node:child_process, one process group per job so kill() reaches grandchildren. */
import { spawn as spawnChild } from 'node:child_process';
import type { SpawnPort, SpawnedProcess, SpawnRequest } from './ports.js';

/** A SpawnPort backed by real local processes. */
export function createNodeSpawner(): SpawnPort {
  return { spawn: (request) => start(request) };
}

function start(request: SpawnRequest): SpawnedProcess {
  let exitedAlready = false;
  // detached: the child leads its own process group, so killing -pid also ends what it started
  // (a shell script's python, a framework's workers) instead of leaving orphans behind.
  const child = spawnChild(request.command, request.args, {
    cwd: request.cwd,
    env: request.env,
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lineSplitter = (stream: 'stdout' | 'stderr') => {
    let buffered = '';
    return {
      push(chunk: Buffer): void {
        buffered += chunk.toString('utf8');
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          request.onLine(stream, buffered.slice(0, nl).replace(/\r$/, ''));
          buffered = buffered.slice(nl + 1);
          nl = buffered.indexOf('\n');
        }
      },
      flush(): void {
        if (buffered !== '') request.onLine(stream, buffered);
        buffered = '';
      },
    };
  };
  const out = lineSplitter('stdout');
  const err = lineSplitter('stderr');
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('error', (error) => {
      exitedAlready = true;
      request.onLine('stderr', `failed to start '${request.command}': ${error.message}`);
      resolve({ code: 127, signal: null });
    });
    // A container ends when its main process does, taking background children with it. Locally
    // a leftover child would hold the pipes open and 'close' would never fire: give output a
    // moment to drain, then end the group.
    child.on('exit', () => {
      setTimeout(() => killGroup(), 1000).unref();
    });
    // 'close' (not 'exit') fires after stdio has drained, so every line reached onLine first.
    child.on('close', (code, signal) => {
      exitedAlready = true;
      out.flush();
      err.flush();
      resolve({ code, signal });
    });
  });
  function killGroup(): void {
    if (exitedAlready || child.pid === undefined) return;
    try {
      if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // Already gone between the check and the kill.
    }
  }
  return { exited, kill: killGroup };
}
