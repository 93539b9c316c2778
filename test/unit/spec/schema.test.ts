import { describe, expect, it } from 'vitest';
import { annotatedPointers, validateSchema } from '../../../src/spec/schema.js';
import { sortDiagnostics } from '../../../src/spec/diagnostics.js';
import { SourceMap } from '../../../src/spec/source-map.js';
import { parseYaml } from '../../../src/spec/yaml.js';

/** Validates YAML text against a schema and returns `line:col code message` lines. */
function check(text: string, schema?: object): string[] {
  const map = new SourceMap('s.yaml');
  const { value } = parseYaml(text, map);
  return sortDiagnostics(validateSchema(value, map, schema)).map((d) => `${d.line}:${d.column} ${d.code} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);
}

const valueSchema = {
  $id: 'test:values',
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z]+$', description: 'lower-case letters' },
    size: { $ref: '#/$defs/IntegerValue' },
    kind: { enum: ['small', 'large'] },
    tags: { type: 'object', propertyNames: { pattern: '^[a-z]+$' }, additionalProperties: { type: 'string' } },
    items: { type: 'array', uniqueItems: true, items: { type: 'integer', minimum: 0 } },
    retry: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] },
    step: { $ref: '#/$defs/Step' },
  },
  $defs: {
    Get: { type: 'object', additionalProperties: false, required: ['get'], properties: { get: { type: 'string', pattern: '^P\\.' } } },
    Join: { type: 'object', additionalProperties: false, required: ['join'], properties: { join: { type: 'array' } } },
    Expression: { oneOf: [{ $ref: '#/$defs/Get' }, { $ref: '#/$defs/Join' }] },
    IntegerValue: { oneOf: [{ type: 'integer' }, { $ref: '#/$defs/Expression' }] },
    Step: {
      type: 'object',
      required: ['type'],
      oneOf: [
        { type: 'object', additionalProperties: false, properties: { type: { const: 'a' }, alpha: { type: 'string' } }, required: ['type', 'alpha'] },
        { type: 'object', additionalProperties: false, properties: { type: { const: 'b' }, beta: { type: 'string' } }, required: ['type'] },
      ],
    },
  },
};

describe('validateSchema (generic translation)', () => {
  it('reports an unknown field at its key with a did-you-mean', () => {
    expect(check('naem: x\n', valueSchema)).toEqual(['1:1 schema-unknown-field unknown field `naem` | did you mean `name`?']);
  });

  it('reports type, enum and pattern problems at the value, listing what is allowed', () => {
    expect(check('name: Abc\nkind: smal\nitems: [1, -1, 1]\n', valueSchema)).toEqual([
      '1:7 schema-pattern `Abc` does not match the pattern `^[a-z]+$` | lower-case letters',
      '2:7 schema-value `smal` is not allowed; expected one of: small, large | did you mean `small`?',
      '3:12 schema-range must be at least 0, got -1',
      '3:16 schema-duplicate items 1 and 3 are the same; each may appear once',
    ]);
  });

  it('says "a value or an expression" once for a value union, not once per branch', () => {
    expect(check('size: [1]\n', valueSchema)).toEqual([
      '1:7 schema-type expected an integer or an expression ({get: ...}, {join: ...}), got a list',
    ]);
    expect(check('size: 1.5\n', valueSchema)).toHaveLength(1);
  });

  it('explains the expression the value was meant to be', () => {
    expect(check('size: {get: Q.x}\n', valueSchema)).toEqual(['1:13 schema-pattern `Q.x` does not match the pattern `^P\\.`']);
    expect(check('size: {get: P.x, extra: 1}\n', valueSchema)).toEqual(['1:18 schema-unknown-field unknown field `extra` | known fields: get']);
  });

  it('dispatches on a discriminator and reports only the matching branch', () => {
    expect(check('step: {type: a, beta: x}\n', valueSchema)).toEqual([
      // A missing member is reported at the key of the mapping that lacks it.
      '1:1 schema-missing-field missing required field `alpha`',
      '1:17 schema-unknown-field unknown field `beta` | known fields: type, alpha',
    ]);
    expect(check('step: {type: c}\n', valueSchema)).toEqual(['1:14 schema-value unknown type `c`; expected one of: a, b']);
  });

  it('names the kind when a value has the right text but the wrong type', () => {
    const typed = { $id: 'test:typed', type: 'object', properties: { v: { const: 1 }, m: { enum: [1024, 2048] } } };
    expect(check('v: "1"\nm: "1024"\n', typed)).toEqual([
      '1:4 schema-value expected `1`, got the string `1`',
      '2:4 schema-value expected one of: 1024, 2048; got the string `1024`',
    ]);
  });

  it('says which one of several required fields is needed', () => {
    expect(check('retry: {}\n', valueSchema)).toEqual(['1:1 schema-missing-field missing one of `a` or `b`']);
    expect(check('retry: {a: 1, b: 2}\n', valueSchema)).toEqual(['1:8 schema-one-of give only one of `a` or `b`']);
  });

  it('explains members whose names need escaping in a schema pointer', () => {
    const odd = { $id: 'test:odd', type: 'object', properties: { 'a b%/~': { type: 'object', properties: { x: { type: 'string' } } } } };
    expect(check('"a b%/~": {x: 1}\n', odd)).toEqual(['1:15 schema-type expected a string, got `1`']);
  });

  it('reports keys refused by propertyNames at the key', () => {
    expect(check('tags:\n  Bad: x\n', valueSchema)).toEqual(['2:3 schema-pattern `Bad` does not match the pattern `^[a-z]+$`']);
  });
});

describe('validateSchema (the pipeline-spec schema)', () => {
  const head = 'version: 1\npipeline: {name: p}\n';
  it('accepts a minimal valid spec', () => {
    expect(check(`${head}steps:\n  - {name: Stop, type: fail}\n`)).toEqual([]);
  });

  it('does not report the branches of other step types', () => {
    const out = check(`${head}steps:\n  - name: A\n    type: processing\n    processor: {image: x, instanceType: ml.m5.xlarge}\n    ifSteps: [B]\n`);
    expect(out).toEqual(['7:5 schema-unknown-field unknown field `ifSteps` | known fields: name, type, displayName, description, dependsOn, cache, retry, processor, code, arguments, inputs, outputs, propertyFiles, raw']);
  });

  it('suggests the meant form when a one-key mapping misspells it', () => {
    const out = check(`${head}steps:\n  - {name: C, type: condition, conditions: [{greaterThen: [1, 2]}]}\n`);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^4:45 schema-type expected \{equals: \.\.\.\}, .* got a mapping \| did you mean `greaterThan`\?$/);
  });

  it('gives no branch errors to a step without a type', () => {
    expect(check(`${head}steps:\n  - name: A\n`)).toEqual(['4:5 schema-missing-field missing required field `type`']);
  });
});

describe('annotatedPointers', () => {
  it('finds the values whose schema says they are paths relative to the spec file', () => {
    const map = new SourceMap('s.yaml');
    const { value } = parseYaml('version: 1\npipeline: {name: p}\nsteps:\n  - name: A\n    type: processing\n    code: x.py\n    inputs:\n      - {source: data, destination: /opt/ml/processing/in}\n    outputs:\n      - {name: o, source: /opt/ml/processing/o}\n', map);
    expect(annotatedPointers(value, (d) => /relative to the spec file/.test(d)).sort()).toEqual(['/steps/0/code', '/steps/0/inputs/0/source']);
  });
});
