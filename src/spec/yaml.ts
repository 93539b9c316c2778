/**
 * YAML text → plain data plus a source map, with bounded input. Every problem becomes a
 * diagnostic; nothing here throws for any input text.
 */
import { Composer, Document, LineCounter, Parser, isAlias, isMap, isScalar, isSeq, visit } from 'yaml';
import type { CST } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { diagnosticAt, type Problem } from './report.js';
import { childPointer, type SourceMap, type Span } from './source-map.js';

export interface YamlLimits {
  /** Largest accepted input, in UTF-8 bytes. */
  maxBytes: number;
  /** yaml's `maxAliasCount` (billion-laughs guard); also caps the aliases the walk expands. */
  maxAliasCount: number;
  /** Deepest accepted nesting of mappings and sequences. */
  maxDepth: number;
  /** Most values the document may expand to once aliases are resolved. */
  maxNodes: number;
}

export const defaultYamlLimits: YamlLimits = {
  maxBytes: 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 64,
  maxNodes: 200_000,
};

/** A mapping key that appears twice; the rules decide how to word it (parameters vs the rest). */
export interface DuplicateKey {
  /** Pointer of the mapping that holds the key. */
  mapping: string;
  key: string;
  first: Span;
  second: Span;
}

export interface ParsedYaml {
  /** The data; undefined when the text could not be parsed at all. */
  value: unknown;
  /** Problems found while parsing (syntax, bounds, keys, tags). */
  diagnostics: Diagnostic[];
  /** True when the data is too damaged to validate further (syntax errors, bounds exceeded). */
  fatal: boolean;
  duplicateKeys: DuplicateKey[];
}

// Only the YAML 1.2 core schema: anything else (!!binary, !!timestamp, custom !Ref…) is refused
// rather than silently turned into a string or an object the schema never describes.
const coreTags = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

const maxSyntaxErrors = 20;

const origin: Span = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

/** Parses one YAML document into data, filling `sourceMap` with the span of every value and key. */
export function parseYaml(text: string, sourceMap: SourceMap, limits: YamlLimits = defaultYamlLimits): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  const report = (span: Span, problem: Problem, pointer?: string): void => {
    diagnostics.push(diagnosticAt(sourceMap, span, problem, pointer));
  };
  const fail = (problem: Problem, span: Span = origin): ParsedYaml => {
    report(span, problem);
    return { value: undefined, diagnostics, fatal: true, duplicateKeys: [] };
  };

  // Cheap bound first: UTF-8 never takes fewer bytes than UTF-16 code units.
  if (text.length > limits.maxBytes || new TextEncoder().encode(text).length > limits.maxBytes) {
    return fail({
      code: 'yaml-too-large',
      message: `the spec is larger than ${limits.maxBytes} bytes`,
      hint: 'split the pipeline or move data out of the spec',
    });
  }

  const lineCounter = new LineCounter();
  const spanOf = (start: number, end: number): Span => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(Math.max(start, end));
    return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
  };

  let documents: Document.Parsed[];
  try {
    // Parse to the concrete syntax tree first (yaml builds it without recursion) and measure its
    // depth there: composing a few thousand nested `- - - …` exhausts the stack and can take the
    // whole process down, so deep input must be refused before the composer sees it.
    const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
    const deep = tooDeep(tokens, limits.maxDepth);
    if (deep !== undefined) {
      return fail({ code: 'yaml-too-deep', message: `the YAML nests deeper than ${limits.maxDepth} levels` }, spanOf(deep, deep));
    }
    const composer = new Composer({
      prettyErrors: false,
      uniqueKeys: false, // duplicates are reported by the walk below, with both positions
      schema: 'core',
      version: '1.2',
      strict: true,
      logLevel: 'silent', // problems are collected as diagnostics; a library must not print
    });
    documents = Array.from(composer.compose(tokens)) as Document.Parsed[];
  } catch (error) {
    // Deep flow nesting can exhaust the parser's stack; that is a bound, not a crash.
    return fail({ code: 'yaml-too-deep', message: `the YAML could not be parsed: ${errorText(error)}` });
  }

  const doc = documents[0];
  if (!doc || doc.contents === null) {
    return fail({ code: 'yaml-empty', message: 'the spec is empty', hint: 'start from an example in pipeline-specs/' });
  }
  for (const extra of documents.slice(1)) {
    const start = extra.range[0];
    report(spanOf(start, start), {
      code: 'yaml-multiple-documents',
      message: 'a spec file holds one YAML document; found another one here',
      hint: 'remove the `---` separator or put each pipeline in its own file',
    });
  }
  // One broken bracket can make the parser repeat itself thousands of times: report each
  // distinct error once, and at most a screenful of them.
  const seenErrors = new Set<string>();
  let syntaxErrors = 0;
  for (const e of doc.errors) {
    const key = `${e.pos[0]}:${e.message}`;
    if (seenErrors.has(key)) continue;
    seenErrors.add(key);
    if (++syntaxErrors > maxSyntaxErrors) {
      report(spanOf(e.pos[0], e.pos[1]), { code: 'yaml-syntax', message: `more YAML errors follow; fix the ones above first` });
      break;
    }
    // The parser turns its own stack exhaustion into an error; that is the nesting bound.
    if (/call stack/i.test(e.message)) {
      report(spanOf(e.pos[0], e.pos[1]), { code: 'yaml-too-deep', message: 'the YAML nests too deeply to parse' });
      break;
    }
    report(spanOf(e.pos[0], e.pos[1]), { code: 'yaml-syntax', message: e.message });
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') continue; // reported by the tag check, as an error
    report(spanOf(w.pos[0], w.pos[1]), { code: 'yaml-warning', message: w.message, severity: 'warning' });
  }
  if (diagnostics.some((d) => d.severity === 'error')) {
    return { value: undefined, diagnostics, fatal: true, duplicateKeys: [] };
  }

  // yaml's own alias accounting first: it is the reference guard against entity expansion.
  try {
    doc.toJS({ maxAliasCount: limits.maxAliasCount, mapAsMap: true });
  } catch (error) {
    if (error instanceof RangeError) return fail({ code: 'yaml-too-deep', message: 'the YAML nests too deeply' });
    return fail({
      code: 'yaml-too-many-aliases',
      message: `the YAML expands aliases too many times (limit ${limits.maxAliasCount})`,
      hint: 'aliases (*name) may not multiply the document; write the values out',
    }, firstAliasSpan(doc, spanOf));
  }

  const duplicateKeys: DuplicateKey[] = [];
  let aliasCount = 0;
  let nodeCount = 0;
  let fatal = false;
  const stack = new Set<unknown>();

  const nodeSpan = (node: YamlNode): Span => {
    const r = node.range;
    return r ? spanOf(r[0], r[1]) : origin;
  };

  const checkTag = (node: YamlNode, pointer: string): void => {
    const tag = node.tag;
    if (tag === undefined || coreTags.has(tag)) return;
    report(tagSpan(node) ?? nodeSpan(node), {
      code: 'yaml-tag',
      message: `the YAML tag \`${tag}\` is not allowed`,
      hint: 'specs use plain YAML (core schema): strings, numbers, booleans, null, mappings and sequences',
    }, pointer);
  };

  // The node's range starts at its content; the tag sits just before it on the same line
  // (possibly with an anchor in between), which is where the reader should look.
  const tagSpan = (node: YamlNode): Span | undefined => {
    const start = node.range?.[0];
    if (start === undefined) return undefined;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const before = text.slice(lineStart, start);
    const m = /(!\S*)\s+(?:&\S+\s+)?$/.exec(before) ?? /(!\S*)\s*$/.exec(before);
    if (!m) return undefined;
    const at = lineStart + m.index;
    return spanOf(at, at + (m[1]?.length ?? 0));
  };

  // `record` is false while expanding an alias: its content was checked and mapped where the
  // anchor is defined, and the alias's own span stands for everything under it.
  // `via` is the span of the alias being expanded, where problems inside the expansion are reported.
  const walk = (node: unknown, pointer: string, depth: number, record: boolean, via?: Span): unknown => {
    if (fatal) return null;
    if (++nodeCount > limits.maxNodes) {
      fatal = true;
      report(via ?? (isNodeLike(node) ? nodeSpan(node) : origin), {
        code: 'yaml-too-large',
        message: `the YAML expands to more than ${limits.maxNodes} values`,
      }, pointer);
      return null;
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (record) sourceMap.set(pointer, nodeSpan(node));
      if (++aliasCount > limits.maxAliasCount) {
        fatal = true;
        report(via ?? nodeSpan(node), {
          code: 'yaml-too-many-aliases',
          message: `the YAML uses more than ${limits.maxAliasCount} aliases`,
        }, pointer);
        return null;
      }
      const target = node.resolve(doc);
      if (!target) return null;
      if (stack.has(target)) {
        fatal = true;
        report(via ?? nodeSpan(node), {
          code: 'yaml-recursive-alias',
          message: `the alias \`*${node.source}\` refers to a value that contains it`,
        }, pointer);
        return null;
      }
      return walk(target, pointer, depth, false, via ?? nodeSpan(node));
    }
    if (!isNodeLike(node)) return null;
    const span = nodeSpan(node);
    if (record) checkTag(node, pointer);
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'number' && !Number.isFinite(v) && record) {
        // JSON (and so the pipeline definition) has no NaN or infinities.
        report(span, { code: 'yaml-number', message: `\`${node.source}\` is not a finite number`, hint: 'quote it if a string is meant' }, pointer);
      }
      // Only JSON-like scalars: a refused tag (e.g. !!binary) must not smuggle other objects in.
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
    }
    if (depth >= limits.maxDepth) {
      fatal = true;
      report(via ?? span, { code: 'yaml-too-deep', message: `the YAML nests deeper than ${limits.maxDepth} levels` }, pointer);
      return null;
    }
    stack.add(node);
    try {
      if (isSeq(node)) {
        const out: unknown[] = [];
        node.items.forEach((item, i) => {
          const p = childPointer(pointer, i);
          if (record && isNodeLike(item) && !isAlias(item)) sourceMap.set(p, nodeSpan(item));
          out.push(walk(item, p, depth + 1, record, via));
        });
        return out;
      }
      if (isMap(node)) {
        const out: Record<string, unknown> = {};
        const seen = new Map<string, Span>();
        for (const pair of node.items) {
          const keyNode = pair.key;
          const keySpan = isNodeLike(keyNode) ? nodeSpan(keyNode) : span;
          if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
            if (record) {
              const shown = isScalar(keyNode) ? String(keyNode.value) : undefined;
              report(keySpan, {
                code: 'yaml-key',
                message: shown === undefined ? 'mapping keys must be plain strings' : `the mapping key \`${shown}\` is not a string`,
                hint: shown === undefined ? 'write the key as a plain string' : `quote it: "${shown}"`,
              }, pointer);
            }
            continue;
          }
          if (record) checkTag(keyNode, pointer);
          const key = keyNode.value;
          const p = childPointer(pointer, key);
          const valueNode = pair.value;
          const valueSpan = isNodeLike(valueNode) ? nodeSpan(valueNode) : keySpan;
          const first = seen.get(key);
          if (first) {
            if (record) duplicateKeys.push({ mapping: pointer, key, first, second: keySpan });
          } else {
            seen.set(key, keySpan);
            if (record) sourceMap.set(p, valueSpan, keySpan);
          }
          // defineProperty: a `__proto__` key is data, never the object's prototype.
          Object.defineProperty(out, key, {
            value: walk(valueNode, p, depth + 1, record && !first, via),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      }
      return null;
    } finally {
      stack.delete(node);
    }
  };

  let value: unknown;
  try {
    sourceMap.set('', nodeSpan(doc.contents));
    value = walk(doc.contents, '', 0, true);
  } catch (error) {
    return fail({ code: 'yaml-too-deep', message: `the YAML could not be read: ${errorText(error)}` });
  }
  return { value, diagnostics, fatal: fatal || diagnostics.some((d) => d.severity === 'error' && !['yaml-tag', 'yaml-key', 'yaml-number'].includes(d.code)), duplicateKeys };
}

/** Offset of the first collection nested deeper than `maxDepth` in the syntax tree, found without recursion. */
function tooDeep(tokens: readonly CST.Token[], maxDepth: number): number | undefined {
  const stack: [unknown, number][] = tokens.map((t): [unknown, number] => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [unknown, number];
    if (typeof token !== 'object' || token === null) continue;
    const t = token as { type?: string; offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown }[] };
    if (t.type === 'document') stack.push([t.value, depth]);
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth + 1 > maxDepth) return t.offset ?? 0;
      for (const item of t.items ?? []) {
        stack.push([item.key, depth + 1]);
        stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/** Where the first alias of the document is: the place to start looking for an expansion bomb. */
function firstAliasSpan(doc: Document.Parsed, spanOf: (start: number, end: number) => Span): Span {
  let span: Span = origin;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) span = spanOf(node.range[0], node.range[1]);
      return visit.BREAK;
    },
  });
  return span;
}

function isNodeLike(x: unknown): x is YamlNode {
  return typeof x === 'object' && x !== null && 'range' in x;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
