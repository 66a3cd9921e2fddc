import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Requests the service makes to itself: the response cache refilling its answers after a write
 * (no client's request: neither charged nor recorded), and the REST reads an MCP tool call makes
 * (charged once, as the call). Marked by a header whose token is new in every process, so a client
 * cannot pass for either.
 */
export type InternalRequestKind = 'refill' | 'read';

const INTERNAL_HEADER = 'x-internal-request';
const TOKEN = randomBytes(24).toString('base64url');

export const internalRequestHeaders = (kind: InternalRequestKind): Record<string, string> => ({ [INTERNAL_HEADER]: `${kind}:${TOKEN}` });

/** Which internal request this is; undefined for a client's. */
export function internalRequestKind(request: IncomingMessage): InternalRequestKind | undefined {
  const value = request.headers[INTERNAL_HEADER];
  if (typeof value !== 'string' || !value.endsWith(`:${TOKEN}`)) return undefined;
  const kind = value.slice(0, -TOKEN.length - 1);
  return kind === 'refill' || kind === 'read' ? kind : undefined;
}

/** A JSON read of this app through its whole pipeline (validation, names, warnings), as the client at `remoteAddress` would get it. */
export async function readInternally<T = Record<string, unknown>>(fastify: FastifyInstance, url: string, remoteAddress?: string): Promise<{ status: number; body: T }> {
  const response = await fastify.inject({ method: 'GET', url, headers: { accept: 'application/json', ...internalRequestHeaders('read') }, remoteAddress });
  return { status: response.statusCode, body: response.json<T>() };
}
