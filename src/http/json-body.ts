import type { FastifyInstance } from 'fastify';
import { PROBLEM_TYPES } from '../errors/problem.js';
import { sendProblem } from '../errors/problem.filter.js';
import { policyOf } from './route-policy.js';
import secureJson from 'secure-json-parse';

/** Deeper than any batch is written; deeper bodies are refused before they are parsed (stringifying one again would overflow the stack). */
export const MAX_JSON_DEPTH = 32;

/** How deep a JSON text's arrays and objects nest, read in one pass without recursion (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** Strict: bytes that are not UTF-8 are an error, not a replacement character. A BOM is dropped. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

class BodyError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/** application/json as Fastify parses it (prototype poisoning refused), with a bound on nesting. */
export function registerJsonParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      // Decoding leniently would turn the bad bytes into U+FFFD and store that in place of what was meant.
      return done(new BodyError('The request body is not valid UTF-8; JSON must be sent as UTF-8 (RFC 8259), without other encodings such as UTF-16.'));
    }
    if (text.trim() === '') return done(new BodyError('The request body is empty; send a JSON document.'));
    if (jsonDepth(text) > MAX_JSON_DEPTH) return done(new BodyError(`The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels; no batch does.`));
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      done(new BodyError(`The request body is not valid JSON: ${(error as Error).message}`));
    }
  });
}

/** How many large bodies (routes whose policy raises the body limit: sync batches) one instance receives at once. */
export const MAX_LARGE_BODIES = 2;

/**
 * Bounds the memory large bodies take: a third batch arriving while two are being received or
 * written is answered 429 with Retry-After at once, before its body is read (it is the sender's
 * to retry, not a fault of the service). Batches are written one at a time anyway (the sync lock),
 * so nothing is lost by waiting.
 */
export function registerLargeBodyBound(fastify: FastifyInstance): void {
  let receiving = 0;
  fastify.addHook('onRequest', async (request, reply) => {
    if (!policyOf(request).bodyLimit) return;
    if (receiving >= MAX_LARGE_BODIES) {
      reply.header('Retry-After', '5');
      sendProblem(reply, {
        type: PROBLEM_TYPES.tooManyRequests,
        title: 'Too Many Requests',
        status: 429,
        detail: `This instance is receiving ${MAX_LARGE_BODIES} batches already; send this one again after the seconds in Retry-After.`,
        instance: request.url,
      });
      return reply;
    }
    receiving++;
    // Released when the answer is sent or the connection goes, whichever is first.
    reply.raw.once('close', () => receiving--);
  });
}
