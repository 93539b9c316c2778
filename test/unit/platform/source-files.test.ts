import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memorySourceFiles, nodeSourceFiles } from '../../../src/platform/source-files.js';

const base = mkdtempSync(join(tmpdir(), 'smpk-source-files-'));
const repo = join(base, 'repo');
mkdirSync(join(repo, 'code', 'lib'), { recursive: true });
writeFileSync(join(repo, 'code', 'a.py'), 'a');
writeFileSync(join(repo, 'code', 'lib', 'b.py'), 'b');
writeFileSync(join(base, 'secret'), 'outside');
symlinkSync(join(base, 'secret'), join(repo, 'code', 'leak'));
symlinkSync(join(repo, 'code', 'a.py'), join(repo, 'code', 'alias.py'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('nodeSourceFiles', () => {
  const files = nodeSourceFiles(repo);
  it('reads files and lists directories relative to the root', () => {
    expect(new TextDecoder().decode(files.readFile('code/a.py'))).toBe('a');
    expect(files.listDirectory('code')?.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { name: 'a.py', kind: 'file' },
      { name: 'alias.py', kind: 'file' },
      { name: 'lib', kind: 'directory' },
    ]);
    expect(files.readFile('code')).toBeUndefined();
    expect(files.listDirectory('code/a.py')).toBeUndefined();
  });

  it('refuses paths and symlinks that leave the root', () => {
    expect(files.readFile('../secret')).toBeUndefined();
    expect(files.readFile('code/leak')).toBeUndefined();
    expect(files.readFile(join(base, 'secret'))).toBeUndefined();
    expect(new TextDecoder().decode(files.readFile('code/alias.py'))).toBe('a');
  });
});

describe('memorySourceFiles', () => {
  it('derives directories from file paths', () => {
    const files = memorySourceFiles({ 'x/y/z.txt': 'z', 'x/w.txt': new Uint8Array([1]) });
    expect(files.listDirectory('x')?.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'w.txt', kind: 'file' },
      { name: 'y', kind: 'directory' },
    ]);
    expect(files.listDirectory('')).toEqual([{ name: 'x', kind: 'directory' }]);
    expect(files.readFile('x/../x/w.txt')).toEqual(new Uint8Array([1]));
    expect(files.readFile('../x/w.txt')).toBeUndefined();
    expect(files.listDirectory('nope')).toBeUndefined();
  });
});
