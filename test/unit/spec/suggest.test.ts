import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../../src/spec/suggest.js';

describe('suggest', () => {
  it('counts a swap of adjacent letters as one edit', () => {
    expect(editDistance('instnaceType', 'instanceType')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('suggests close names only', () => {
    expect(closest('Preprocss', ['Preprocess', 'Train'])).toBe('Preprocess');
    expect(closest('modelname', ['ModelName', 'Other'])).toBe('ModelName');
    expect(closest('c', ['a', 'b'])).toBeUndefined();
    expect(closest('hyperparameterRanges', ['ranges', 'objective'])).toBeUndefined();
    expect(didYouMean('tran', ['train', 'test'])).toBe('did you mean `train`?');
    expect(didYouMean('same', ['same'])).toBeUndefined();
  });
});
