import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Marks a request the service makes to itself on behalf of a client request that was already
 * counted (an MCP tool call's REST read): it is not counted against the rate limit a second time.
 * A client cannot guess the token, which is new in every process.
 */
const INTERNAL_HEADER = 'x-internal-request';
const INTERNAL_TOKEN = randomBytes(24).toString('base64url');

export const internalRequestHeaders = (): Record<string, string> => ({ [INTERNAL_HEADER]: INTERNAL_TOKEN });

export const isInternalRequest = (request: IncomingMessage) => request.headers[INTERNAL_HEADER] === INTERNAL_TOKEN;
