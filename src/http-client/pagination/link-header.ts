/**
 * RFC 8288 `Link` header: `<url>; rel="next", <url>; rel="last"`. URLs may
 * hold commas, so entries are split on the angle brackets, not on commas.
 */
export function parseLinkHeader(value: string | null): Map<string, string> {
  const links = new Map<string, string>();
  if (!value) return links;
  const entry = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
  for (const m of value.matchAll(entry)) {
    const url = m[1] ?? '';
    const params = m[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const names = (rel?.[1] ?? rel?.[2] ?? '').split(/\s+/).filter(Boolean);
    for (const name of names) if (!links.has(name.toLowerCase())) links.set(name.toLowerCase(), url);
  }
  return links;
}
