import { describe, expect, it, vi } from 'vitest';
import { SourceMap } from '../../../src/spec/source-map.js';
import { defaultYamlLimits, parseYaml } from '../../../src/spec/yaml.js';

const parse = (text: string, limits = defaultYamlLimits) => {
  const map = new SourceMap('spec.yaml');
  return { map, ...parseYaml(text, map, limits) };
};

describe('parseYaml', () => {
  it('maps every value and key to its span by JSON pointer', () => {
    const { map, value, diagnostics } = parse('a:\n  b: [1, "x"]\n  "c/d": {e: true}\n');
    expect(diagnostics).toEqual([]);
    expect(value).toEqual({ a: { b: [1, 'x'], 'c/d': { e: true } } });
    expect(map.spanOf('/a/b/1').start).toEqual({ line: 2, column: 10 });
    expect(map.keySpanOf('/a/b').start).toEqual({ line: 2, column: 3 });
    expect(map.keySpanOf('/a/c~1d').start).toEqual({ line: 3, column: 3 });
    expect(map.spanOf('/a/c~1d/e').start).toEqual({ line: 3, column: 14 });
  });

  it('reports syntax errors with positions and stops', () => {
    const { diagnostics, fatal } = parse('a: [1, 2\nb: 3\n');
    expect(fatal).toBe(true);
    expect(diagnostics[0]).toMatchObject({ code: 'yaml-syntax', line: 2, severity: 'error' });
  });

  it('reports each syntax error once and stops after a screenful', () => {
    const many = parse('['.repeat(5000));
    expect(many.diagnostics.length).toBeLessThanOrEqual(21);
    const keys = many.diagnostics.map((d) => `${d.line}:${d.column}:${d.message}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses deep nesting of every shape before composing it (which would exhaust the stack)', () => {
    const ladder = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    for (const bomb of [`${'- '.repeat(100_000)}x`, '['.repeat(100_000), '{a: '.repeat(50_000), ladder, `k: ${'[{a: '.repeat(5000)}`]) {
      const { diagnostics, fatal } = parse(bomb);
      expect(fatal).toBe(true);
      expect(diagnostics.map((d) => d.code)).toEqual(['yaml-too-deep']);
    }
  }, 60_000);

  it('bounds the depth an alias adds where it is used', () => {
    const deep = (n: number, inner: string): string => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
    // Each half is 41 levels deep on its own; together they are 71.
    const text = `a: &x ${deep(40, '1')}\nb: ${deep(30, '*x')}\n`;
    expect(parse(text).diagnostics.map((d) => [d.code, d.line])).toEqual([['yaml-too-deep', 2]]);
    expect(parse(text, { ...defaultYamlLimits, maxDepth: 80 }).diagnostics).toEqual([]);
  });

  it('records duplicate keys with both positions instead of keeping one silently', () => {
    const { duplicateKeys, fatal } = parse('a: 1\nb: 2\na: 3\n');
    expect(fatal).toBe(false);
    expect(duplicateKeys).toEqual([
      expect.objectContaining({ mapping: '', key: 'a', first: expect.objectContaining({ start: { line: 1, column: 1 } }), second: expect.objectContaining({ start: { line: 3, column: 1 } }) }),
    ]);
  });

  it('reports a refused tag at the tag, past any anchor', () => {
    const { diagnostics } = parse('a: !Ref x\nb: !Sub &n y\nc:\n  - !!binary aGk=\n');
    expect(diagnostics.map((d) => [d.line, d.column, d.endColumn])).toEqual([[1, 4, 8], [2, 4, 8], [4, 5, 13]]);
  });

  it('refuses non-string keys and tags outside the core schema', () => {
    const { diagnostics } = parse('1: a\ntrue: b\nc: !Ref x\nd: !!binary aGk=\ne: !!str 5\n');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['yaml-key', 1], ['yaml-key', 2], ['yaml-tag', 3], ['yaml-tag', 4],
    ]);
  });

  it('refuses numbers JSON cannot carry', () => {
    const { diagnostics, fatal } = parse('a: .nan\nb: -.inf\nc: 1e3\n');
    expect(fatal).toBe(false);
    expect(diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['yaml-number', 1, '`.nan` is not a finite number'],
      ['yaml-number', 2, '`-.inf` is not a finite number'],
    ]);
  });

  it('bounds size, aliases and depth', () => {
    expect(parse('a: 1\n', { ...defaultYamlLimits, maxBytes: 3 }).diagnostics[0]?.code).toBe('yaml-too-large');
    // Multi-byte characters count as bytes, not characters.
    expect(parse('a: ééé\n', { ...defaultYamlLimits, maxBytes: 8 }).diagnostics[0]?.code).toBe('yaml-too-large');
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 8; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const b = parse(bomb);
    expect(b.fatal).toBe(true);
    expect(b.diagnostics[0]).toMatchObject({ code: 'yaml-too-many-aliases', line: 2 });
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`;
    expect(parse(deep).diagnostics[0]?.code).toBe('yaml-too-deep');
    expect(parse(deep, { ...defaultYamlLimits, maxDepth: 100 }).diagnostics).toEqual([]);
  });

  it('expands a few aliases and maps them to the alias position', () => {
    const { value, map, diagnostics } = parse('base: &b {x: 1}\nuse: *b\n');
    expect(diagnostics).toEqual([]);
    expect(value).toEqual({ base: { x: 1 }, use: { x: 1 } });
    expect(map.spanOf('/use/x').start).toEqual({ line: 2, column: 6 });
  });

  it('refuses an alias that contains itself', () => {
    const { diagnostics } = parse('a: &x [1, *x]\n');
    expect(diagnostics.some((d) => d.code === 'yaml-recursive-alias' || d.code === 'yaml-too-many-aliases')).toBe(true);
  });

  it('prints nothing, even for keys a JavaScript object cannot hold', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const log = vi.spyOn(console, 'warn');
    try {
      expect(parse('? [a]\n: 1\n').diagnostics.map((d) => d.code)).toEqual(['yaml-key']);
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('keeps __proto__ as data', () => {
    const { value } = parse('__proto__: {polluted: true}\n');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports empty input and extra documents', () => {
    expect(parse('# nothing\n').diagnostics[0]?.code).toBe('yaml-empty');
    expect(parse('').diagnostics[0]?.code).toBe('yaml-empty');
    expect(parse('a: 1\n---\nb: 2\n').diagnostics[0]).toMatchObject({ code: 'yaml-multiple-documents', line: 2 });
  });
});
