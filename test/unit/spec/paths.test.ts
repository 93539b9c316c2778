import { describe, expect, it } from 'vitest';
import { resolveSpecPath } from '../../../src/spec/paths.js';

describe('resolveSpecPath', () => {
  it('resolves relative to the spec folder', () => {
    expect(resolveSpecPath('pipeline-specs/a.yaml', 'code/run.py')).toEqual({ ok: true, path: 'pipeline-specs/code/run.py' });
    expect(resolveSpecPath('pipeline-specs/a.yaml', '../src/x.py')).toEqual({ ok: true, path: 'src/x.py' });
    expect(resolveSpecPath('a.yaml', 'dir/')).toEqual({ ok: true, path: 'dir' });
  });
  it('refuses absolute paths and paths above the repository root', () => {
    expect(resolveSpecPath('pipeline-specs/a.yaml', '/etc/passwd')).toEqual({ ok: false, reason: 'absolute' });
    expect(resolveSpecPath('pipeline-specs/a.yaml', 'C:\\x')).toEqual({ ok: false, reason: 'absolute' });
    expect(resolveSpecPath('pipeline-specs/a.yaml', '../../x')).toEqual({ ok: false, reason: 'escapes' });
    expect(resolveSpecPath('pipeline-specs/a.yaml', 'code/../../..')).toEqual({ ok: false, reason: 'escapes' });
    expect(resolveSpecPath('a.yaml', '..\\x')).toEqual({ ok: false, reason: 'escapes' });
  });
});
