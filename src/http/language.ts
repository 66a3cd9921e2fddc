import Negotiator from 'negotiator';
import type { IncomingHttpHeaders } from 'node:http';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What `lang` accepts: zh or en, alone or as a language tag (zh-CN, zh-Hans, zh-Hant-TW, en-US, en_GB). */
export const LANGUAGE_TAG = /^(zh|en)([-_][A-Za-z0-9]{1,8})*$/i;

/**
 * The one language negotiation of every read: `lang` when given (any tag of zh or en), else the
 * best of zh and en by Accept-Language with its q-values (zh-CN matches zh), else English.
 */
export function requestLanguage(lang: unknown, headers: IncomingHttpHeaders): Language {
  if (typeof lang === 'string' && LANGUAGE_TAG.test(lang)) return lang.slice(0, 2).toLowerCase() as Language;
  if (!headers['accept-language']) return 'en';
  // English first: it wins ties and *.
  return (new Negotiator({ headers }).language(['en', 'zh']) as Language | undefined) ?? 'en';
}
