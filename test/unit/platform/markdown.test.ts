import { describe, expect, it } from 'vitest';
import { code, escapeMarkdown, link, raw, table } from '../../../src/platform/markdown.js';

describe('markdown escaping of untrusted text', () => {
  it('neutralises HTML, links, images, emphasis and table breaks', () => {
    const hostile = '<img src=x onerror=alert(1)> [click](https://evil) ![i](x) **b** | col';
    const out = escapeMarkdown(hostile);
    expect(out).not.toMatch(/<img/);
    expect(out).toContain('&lt;img');
    expect(out).toContain('\\[click\\]\\(https:\u200b//evil\\)');
    expect(out).toContain('\\!\\[i\\]');
    expect(out).toContain('\\*\\*b\\*\\*');
    expect(out).toContain('\\| col');
  });
  it('cannot mention people or break lines', () => {
    expect(escapeMarkdown('@octocat\nnext')).toBe('@\u200doctocat next');
  });
  it('truncates long text', () => {
    expect(escapeMarkdown('x'.repeat(600), 10)).toBe(`${'x'.repeat(9)}…`);
  });
  it('code spans escape HTML, and Markdown and mentions inside them are not parsed', () => {
    expect(code('a`b<c>')).toBe('<code>a&#96;b&lt;c&gt;</code>');
    expect(code('[x](https://evil) @team')).toBe('<code>&#91;x&#93;&#40;https:\u200b//evil&#41; &#64;team</code>');
  });
  it('bare URLs in untrusted text do not become links', () => {
    expect(escapeMarkdown('see https://evil.example and www.evil.example')).toBe('see https:\u200b//evil.example and www\u200b.evil.example');
  });
  it('tables escape cells unless marked raw', () => {
    expect(table(['A', 'B'], [['x|y', raw('**ok**')]])).toBe('| A | B |\n|---|---|\n| x\\|y | **ok** |\n');
  });
  it('links only to https URLs', () => {
    expect(link('run', 'https://github.com/a/b/actions/runs/1')).toBe('[run](https://github.com/a/b/actions/runs/1)');
    expect(link('x', 'javascript:alert(1)')).toBe('x');
  });
});
