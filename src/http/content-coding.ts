/**
 * True when an Accept-Encoding header (RFC 9110 §12.5.3) takes gzip: named with a q above 0, or
 * matched by * when gzip itself is not named.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star: boolean | undefined;
  for (const part of header.split(',')) {
    const [coding, ...parameters] = part.split(';');
    const name = coding.trim().toLowerCase();
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue;
    const q = parameters.map((parameter) => parameter.trim().toLowerCase()).find((parameter) => parameter.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name !== '*') return accepted;
    star = accepted;
  }
  return star ?? false;
}
