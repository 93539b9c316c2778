// The smpk executable: binds the CLI to the real process (streams, file system, environment).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../cli/main.js';
import { nodeSpecFileSystem } from '../platform/node-fs.js';
import { nodeSourceFiles } from '../platform/source-files.js';
import { processOutput } from '../platform/terminal.js';

const code = await main(process.argv.slice(2), {
  fs: nodeSpecFileSystem,
  output: processOutput,
  env: process.env,
  sourceFiles: (root) => nodeSourceFiles(root),
  writeFile: (file, data) => {
    const target = path.resolve(process.cwd(), file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, data);
  },
});
process.exitCode = code;
