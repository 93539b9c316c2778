/**
 * Source maps: JSON pointer → position in the YAML text. The loader fills one while parsing; every
 * later phase reports problems by pointer and gets file positions back from here.
 */
import type { Position } from './diagnostics.js';

export interface Span {
  start: Position;
  end: Position;
}

export class SourceMap {
  readonly file: string;
  private readonly spans = new Map<string, Span>();
  private readonly keySpans = new Map<string, Span>();

  constructor(file: string) {
    this.file = file;
  }

  /** Records where the value at `pointer` sits (and, for mapping members, where its key sits). */
  set(pointer: string, value: Span, key?: Span): void {
    this.spans.set(pointer, value);
    if (key) this.keySpans.set(pointer, key);
  }

  /**
   * The span of the value at `pointer`, or of its nearest recorded ancestor, so that a problem
   * about a missing member still points at the mapping that lacks it.
   */
  spanOf(pointer: string): Span {
    for (let p = pointer; ; p = parentPointer(p)) {
      const span = this.spans.get(p);
      if (span) return span;
      if (p === '') return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    }
  }

  /** The span of the key of a mapping member (falls back to its value). */
  keySpanOf(pointer: string): Span {
    return this.keySpans.get(pointer) ?? this.spanOf(pointer);
  }

  has(pointer: string): boolean {
    return this.spans.has(pointer);
  }
}

/** Escapes one reference token for a JSON pointer (RFC 6901). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins a parent pointer and a child token. */
export function childPointer(parent: string, token: string | number): string {
  return `${parent}/${escapePointerToken(token)}`;
}

/** The pointer of the parent value ('' stays ''). */
export function parentPointer(pointer: string): string {
  const i = pointer.lastIndexOf('/');
  return i <= 0 ? '' : pointer.slice(0, i);
}
