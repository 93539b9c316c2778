// The smpk CLI entry point (wired up in src/cli/*). Placeholder until the commands land.
import { ExitCode } from '../exit-codes.js';

process.stdout.write('smpk: no commands yet\n');
process.exitCode = ExitCode.Success;
