const URL_IN_TEXT = /\b(?:https?|postgres(?:ql)?):\/\/[^\s"'<>]+/gi;

/** One URL as it may be shown or logged: no user, no password, and no query-string value (tokens travel there). */
function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not parseable: drop everything that could be a credential.
    return text.replace(/\/\/[^/@]*@/, '//redacted@').replace(/\?.*$/, '?redacted');
  }
  // Nothing to hide: the text as it was written, not as URL would normalise it.
  if (!url.username && !url.password && !url.search) return text;
  if (url.username || url.password) [url.username, url.password] = ['redacted', ''];
  for (const name of new Set(url.searchParams.keys())) url.searchParams.set(name, 'redacted');
  return url.toString();
}

/**
 * A text (a pull source, an error message, a log line) with the credentials of every URL in it
 * removed: what the operator configured stays recognisable, its secrets do not leave the process.
 */
export function redactCredentials(text: string): string {
  return text.replace(URL_IN_TEXT, redactUrl);
}
