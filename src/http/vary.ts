import type { FastifyReply } from 'fastify';

/** Adds fields to the reply's Vary header, keeping those others set (CORS sets Origin when it names the origin). */
export function addVary(reply: FastifyReply, ...fields: string[]): void {
  const present = String(reply.getHeader('vary') ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const known = new Set(present.map((field) => field.toLowerCase()));
  reply.header('Vary', [...present, ...fields.filter((field) => !known.has(field.toLowerCase()))].join(', '));
}
