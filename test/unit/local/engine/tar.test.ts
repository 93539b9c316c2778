import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { packTarGz, unpackTarGz } from '../../../../src/local/engine/tar.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'smpk-tar-'));
  dirs.push(d);
  return d;
};

describe('tar.gz', () => {
  it('round-trips files, including long names, and python’s tarfile reads what it packs', async () => {
    const src = temp();
    const long = `${'d'.repeat(60)}/${'f'.repeat(70)}.txt`;
    mkdirSync(path.join(src, 'sub', path.dirname(long)), { recursive: true });
    writeFileSync(path.join(src, 'a.txt'), 'A');
    writeFileSync(path.join(src, 'sub', long), 'LONG');
    const bytes = await packTarGz(src);
    expect(Buffer.from(await packTarGz(src)).equals(Buffer.from(bytes))).toBe(true);
    const out = temp();
    expect((await unpackTarGz(bytes, out)).sort()).toEqual(['a.txt', `sub/${long}`]);
    expect(readFileSync(path.join(out, 'sub', long), 'utf8')).toBe('LONG');
    const archive = path.join(temp(), 'x.tar.gz');
    writeFileSync(archive, bytes);
    const names = execFileSync('python3', ['-c', 'import sys,tarfile; print(sorted(tarfile.open(sys.argv[1]).getnames()))', archive], { encoding: 'utf8' });
    expect(names.trim()).toBe(`['a.txt', 'sub/${long}']`);
  });

  it('never writes outside the target directory', async () => {
    const archive = path.join(temp(), 'evil.tar.gz');
    execFileSync('python3', [
      '-c',
      "import io,sys,tarfile\nt=tarfile.open(sys.argv[1],'w:gz')\nfor n in ['../escape.txt','/abs.txt','ok.txt']:\n  i=tarfile.TarInfo(n); d=b'x'; i.size=1; t.addfile(i, io.BytesIO(d))\nt.close()",
      archive,
    ]);
    const root = temp();
    const out = path.join(root, 'inner');
    const written = await unpackTarGz(readFileSync(archive), out);
    expect(written.sort()).toEqual(['abs.txt', 'ok.txt']);
    expect(existsSync(path.join(root, 'escape.txt'))).toBe(false);
  });
});
