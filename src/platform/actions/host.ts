/** What an action body receives besides its I/O: the same injected side effects as the CLI. */
import type { CliContext } from '../../cli/context.js';

export type ActionHost = Omit<CliContext, 'output' | 'localBackend'>;
