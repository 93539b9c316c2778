/** Escapes text for an XML element body or attribute. */
export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' } as Record<string, string>)[c]};`);
}

/** Decodes the five predefined XML entities and numeric references (enough for S3 request bodies). */
export function xmlUnescape(text: string): string {
  return text.replace(/&(lt|gt|amp|apos|quot|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' } as Record<string, string>)[e] ?? '';
  });
}

/** The text of every `<tag>…</tag>` in `xml`, in order (S3 request bodies are flat enough for this). */
export function xmlValues(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) out.push(xmlUnescape(m[1] ?? ''));
  return out;
}
