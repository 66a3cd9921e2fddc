import { Controller, Post, Req, Res } from '@nestjs/common';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Policy } from '../http/route-policy.js';
import { McpService } from './mcp.service.js';

/**
 * POST /mcp: the Model Context Protocol over Streamable HTTP, stateless (a server and transport
 * per request, answering JSON). It goes through the same hooks as any route: rate limit, CORS,
 * security headers, the request log. A stateless server opens no stream and keeps no session, so
 * GET and DELETE are 405 like any method a route lacks. JSON-RPC, not REST: left out of the
 * OpenAPI document.
 */
@ApiExcludeController()
@Controller('mcp')
export class McpController {
  constructor(private readonly mcp: McpService) {}

  @Post()
  @Policy({ cache: 'none', representation: false })
  async post(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const server = this.mcp.server(request.raw.socket.remoteAddress);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
      const answer = await transport.handleRequest(new Request(`http://${request.hostname}${request.url}`, { method: 'POST', headers }), { parsedBody: request.body });
      reply.status(answer.status);
      answer.headers.forEach((value, name) => void reply.header(name, value));
      return await answer.text();
    } finally {
      await server.close();
    }
  }
}
