/**
 * Markdown for job summaries, PR/MR comments and artifacts. Everything that comes from a spec, a
 * report or a remote service is untrusted text: it is escaped so it can neither inject HTML
 * (GitHub and GitLab render some), links, images or mentions, nor break a table.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Escapes text for inline Markdown: HTML special characters become entities, Markdown
 * punctuation is backslash-escaped, line breaks become spaces, and `@` is followed by a
 * zero-width joiner so it cannot ping anyone.
 */
export function escapeMarkdown(text: unknown, maxLength = 500): string {
  let s = String(text ?? '');
  if (s.length > maxLength) s = `${s.slice(0, maxLength - 1)}…`;
  return breakAutolinks(
    s
      .replace(/[&<>"]/g, (c) => HTML[c] as string)
      .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
      .replace(/@/g, '@\u200d')
      .replace(/\r?\n|\r/g, ' '),
  );
}

/**
 * GitHub and GitLab turn bare `https://…` and `www.…` into links; a zero-width space after the
 * scheme (or the `www`) keeps untrusted text from becoming a clickable link while reading the same.
 */
function breakAutolinks(s: string): string {
  return s.replace(/([a-z][a-z0-9+.-]*:)(\/\/)/gi, '$1\u200b$2').replace(/\bwww\./gi, 'www\u200b.');
}

/**
 * Inline code that cannot be broken out of. Markdown is still parsed inside an HTML `<code>`
 * element on GitHub and GitLab, so Markdown punctuation and `@` become numeric entities (shown as
 * themselves, never parsed), and bare URLs are kept from autolinking.
 */
export function code(text: unknown, maxLength = 200): string {
  let s = String(text ?? '').replace(/\r?\n|\r/g, ' ');
  if (s.length > maxLength) s = `${s.slice(0, maxLength - 1)}…`;
  const escaped = s.replace(/[&<>"]/g, (c) => HTML[c] as string).replace(/[\\`*_{}[\]()#+!|~@]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<code>${breakAutolinks(escaped)}</code>`;
}

/** A Markdown table; cells are escaped unless passed through `raw()`. */
export function table(header: readonly string[], rows: readonly (readonly (string | Raw)[])[]): string {
  const cell = (c: string | Raw) => (c instanceof Raw ? c.text : escapeMarkdown(c));
  const lines = [
    `| ${header.map((h) => escapeMarkdown(h)).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Already-safe Markdown (built by us from escaped parts). */
export class Raw {
  constructor(readonly text: string) {}
}

/** Marks trusted, already-escaped Markdown for `table`. */
export function raw(text: string): Raw {
  return new Raw(text);
}

/** A link whose URL is checked to be http(s) and whose label is escaped; otherwise just the label. */
export function link(label: unknown, url: string | undefined): string {
  if (!url || !/^https:\/\/[^\s<>"]+$/.test(url)) return escapeMarkdown(label);
  return `[${escapeMarkdown(label)}](${url.replace(/[()]/g, (c) => encodeURIComponent(c))})`;
}
