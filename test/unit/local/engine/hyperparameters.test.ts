import { describe, expect, it } from 'vitest';
import { decodeHyperparameters, hyperparameterArgs } from '../../../../src/local/engine/steps/training.js';

describe('hyperparameters under the training toolkit contract', () => {
  it('decodes the SDK’s JSON-encoded values and keeps undecodable ones as text', () => {
    expect(decodeHyperparameters({ program: '"train.py"', epochs: '10', lr: '1e-05', flag: 'true', objective: 'reg:linear', nested: '{"a": 1}' })).toEqual({
      program: 'train.py',
      epochs: 10,
      lr: 0.00001,
      flag: true,
      objective: 'reg:linear',
      nested: { a: 1 },
    });
  });

  it('builds --key value arguments like mapping.to_cmd_args: sorted, Python spellings', () => {
    const raw = { x: '1.0', lr: '1e-05', b: 'true', name: '"adam"', m: '{"k": 2, "a": "z"}' };
    expect(hyperparameterArgs(decodeHyperparameters(raw), raw)).toEqual(['-b', 'True', '--lr', '1e-05', '-m', 'a=z,k=2', '--name', 'adam', '-x', '1.0']);
  });
});
