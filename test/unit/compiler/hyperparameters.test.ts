import { describe, expect, it } from 'vitest';
import { pythonJsonDumps, pythonNumber, pythonStr } from '../../../src/compiler/steps/hyperparameters.js';
import { versionAtLeast } from '../../../src/compiler/steps/estimator.js';

describe('Python formatting of hyperparameters', () => {
  it('prints numbers like Python repr', () => {
    // Expected values are Python 3.11's repr() of the same floats.
    const cases: [number, string][] = [
      [0.1, '0.1'], [1e-5, '1e-05'], [0.0001, '0.0001'], [0.00012, '0.00012'], [1.5e-7, '1.5e-07'],
      [123.456, '123.456'], [-0.5, '-0.5'], [2.5e-4, '0.00025'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [5e-324, '5e-324'], [12345678.9, '12345678.9'], [1e22, '1e+22'], [10, '10'], [-3, '-3'],
    ];
    for (const [value, text] of cases) expect(pythonNumber(value)).toBe(text);
  });

  it('distinguishes str() from json.dumps()', () => {
    expect(pythonStr(true)).toBe('True');
    expect(pythonJsonDumps(true)).toBe('true');
    expect(pythonStr('x')).toBe('x');
    expect(pythonJsonDumps('x')).toBe('"x"');
    expect(pythonJsonDumps('é')).toBe('"\\u00e9"');
    expect(pythonJsonDumps(20)).toBe('20');
  });

  it('compares framework versions numerically', () => {
    expect(versionAtLeast('2.1', '1.3')).toBe(true);
    expect(versionAtLeast('1.2', '1.3')).toBe(false);
    expect(versionAtLeast('1.15.0', '1.15')).toBe(true);
    expect(versionAtLeast('1.10', '1.6')).toBe(true);
  });
});
