/**
 * GitHub Actions I/O behind a small port, so action bodies are plain functions tested with a fake:
 * inputs, outputs, log lines, annotations (diagnostics on the spec lines), the job summary, failure.
 */
import * as core from '@actions/core';
import type { Diagnostic } from '../spec/diagnostics.js';

export interface ActionIO {
  /** A trimmed input; '' when unset. */
  input(name: string): string;
  /** A multi-line input, blank lines and `#` comments dropped. */
  lines(name: string): string[];
  /** A boolean input (true/false, case-insensitive); `fallback` when unset. */
  flag(name: string, fallback: boolean): boolean;
  output(name: string, value: string): void;
  info(line: string): void;
  warning(line: string): void;
  /** A diagnostic as an annotation on its file:line:column. */
  annotate(d: Diagnostic): void;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  fail(message: string): void;
}

/** Inputs as InputError: a usage problem in the workflow file (exit 2, like the CLI). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Real GitHub Actions I/O through @actions/core. */
export const githubIO: ActionIO = {
  input: (name) => core.getInput(name).trim(),
  lines: (name) =>
    core
      .getMultilineInput(name)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  flag: (name, fallback) => {
    const v = core.getInput(name).trim().toLowerCase();
    if (v === '') return fallback;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new InputError(`input ${name} must be true or false, not ${JSON.stringify(v)}`);
  },
  output: (name, value) => core.setOutput(name, value),
  info: (line) => core.info(line),
  warning: (line) => core.warning(line),
  annotate: (d) => {
    const props = {
      title: d.code,
      file: d.file,
      startLine: d.line,
      startColumn: d.column,
      ...(d.endLine !== undefined ? { endLine: d.endLine } : {}),
      // GitHub ignores columns on multi-line annotations; only send an end column on the same line.
      ...(d.endColumn !== undefined && (d.endLine === undefined || d.endLine === d.line) ? { endColumn: d.endColumn } : {}),
    };
    const text = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
    if (d.severity === 'error') core.error(text, props);
    else core.warning(text, props);
  },
  summary: async (markdown) => {
    // No summary file outside GitHub (e.g. a local `act` run without it): skip rather than fail.
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(markdown, true).write();
  },
  fail: (message) => core.setFailed(message),
};

/** GitHub shows at most 10 error annotations per step; the rest are pointed to, not dropped silently. */
export const ANNOTATION_LIMIT = 10;

/** Annotates up to the limit and says how many more there are. */
export function annotateAll(io: ActionIO, diagnostics: readonly Diagnostic[]): void {
  diagnostics.slice(0, ANNOTATION_LIMIT).forEach((d) => io.annotate(d));
  if (diagnostics.length > ANNOTATION_LIMIT) {
    io.warning(`${diagnostics.length - ANNOTATION_LIMIT} more problems are listed in the log and the job summary.`);
  }
}

/** A positive number input (minutes, say), or undefined when unset; anything else is an InputError. */
export function positiveNumberInput(io: ActionIO, name: string): number | undefined {
  const v = io.input(name);
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`input ${name} must be a positive number, not ${JSON.stringify(v)}`);
  return n;
}

/** Parses `KEY=VALUE` lines of a multi-line input. */
export function keyValueLines(io: ActionIO, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of io.lines(name)) {
    const i = line.indexOf('=');
    if (i <= 0) throw new InputError(`input ${name}: each line must be KEY=VALUE, got ${JSON.stringify(line)}`);
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}
