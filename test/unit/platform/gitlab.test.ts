import { describe, expect, it } from 'vitest';
import { DOTENV_MAX_BYTES, dotenvWriter, renderDotenv } from '../../../src/platform/gitlab.js';

describe('GitLab dotenv report', () => {
  it('writes one KEY=value per line', () => {
    expect(renderDotenv({ SMPK_EXECUTION_ARN: 'arn:x', SMPK_EXECUTION_STATUS: 'Executing' })).toBe('SMPK_EXECUTION_ARN=arn:x\nSMPK_EXECUTION_STATUS=Executing\n');
  });
  it('refuses what GitLab cannot read', () => {
    expect(() => renderDotenv({ 'BAD-KEY': 'x' })).toThrow(/not a valid variable name/);
    expect(() => renderDotenv({ K: 'a\nb' })).toThrow(/line break/);
    expect(() => renderDotenv({ K: 'x'.repeat(DOTENV_MAX_BYTES) })).toThrow(/at most 5120/);
  });
  it('rewrites the whole report as values arrive', () => {
    const writes: string[] = [];
    const set = dotenvWriter((t) => writes.push(t));
    set({ A: '1', S: 'Executing' });
    set({ S: 'Succeeded' });
    expect(writes).toEqual(['A=1\nS=Executing\n', 'A=1\nS=Succeeded\n']);
  });
});
