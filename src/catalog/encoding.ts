import { TextDecoder } from 'node:util';
import { Transform } from 'node:stream';

/** The encoding a file's first bytes declare: UTF-16 by its byte-order mark, else UTF-8. */
function declared(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

const refused = (encoding: string) =>
  new Error(`the file is not valid ${encoding.toUpperCase()}: save it as UTF-8 (in Excel, "CSV UTF-8"); bytes in another encoding are refused rather than read as U+FFFD`);

/** A file's text: UTF-8 (a byte-order mark dropped), or UTF-16 when its byte-order mark says so. Bytes that are neither are an error, never replacement characters. */
export function decodeText(bytes: Uint8Array): string {
  const encoding = declared(bytes);
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw refused(encoding);
  }
  return withoutNul(text);
}

/** NUL is valid UTF-8 but never text: a file full of them is UTF-16 without its byte-order mark. */
function withoutNul(text: string): string {
  if (text.includes('\u0000')) throw new Error('the file holds NUL bytes, as UTF-16 without a byte-order mark does: save it as UTF-8 (in Excel, "CSV UTF-8")');
  return text;
}

/** The same decoding for a stream of bytes (a file too large to hold), chunk by chunk. */
export function decodingStream(): Transform {
  let decoder: TextDecoder | undefined;
  const decode = (chunk?: Buffer) => {
    decoder ??= new TextDecoder(declared(chunk ?? new Uint8Array()), { fatal: true });
    let text: string;
    try {
      text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw refused(decoder.encoding);
    }
    return withoutNul(text);
  };
  return new Transform({
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decode(chunk));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        done(null, decode());
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
