import { Injectable } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { readInternally } from '../http/internal-request.js';
import { requestLanguage } from '../http/language.js';
import { TOOLS, type ToolDefinition } from './mcp.tools.js';

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Record<string, unknown> };

/** The catalogue an assistant may read whole: what the figures cite, and what they measure. */
const RESOURCES = [
  { uri: 'regional-finance://sources', name: 'Source documents', description: 'Every source document the figures cite: title, publisher, date and file name.', url: '/v1/sources' },
  {
    uri: 'regional-finance://indicators',
    name: 'Indicator catalog',
    description: 'Every indicator: unit, measure type, definition and comparable indicators.',
    url: '/v1/indicators?pageSize=200',
  },
];

/** Parameters a tool does not take: tools answer JSON, never a download or a chart. */
const NOT_FOR_TOOLS = new Set(['format', 'shape']);

/**
 * The read-only MCP server: each tool is the REST read of its route, asked of this very app (so the
 * validation, names, warnings and citations are the REST answer's own), its input schema that
 * route's parameters in the OpenAPI document.
 */
@Injectable()
export class McpService {
  private fastify?: FastifyInstance;
  private tools: (ToolDefinition & { inputSchema: Tool['inputSchema'] })[] = [];

  /** Called once the app and its OpenAPI document exist. */
  attach(fastify: FastifyInstance, document: OpenAPIObject): void {
    this.fastify = fastify;
    this.tools = TOOLS.map((tool) => ({ ...tool, inputSchema: inputSchemaOf(document, tool.path) }));
  }

  /** A server for one request (the transport is stateless), reading as the client at `remoteAddress`. */
  server(remoteAddress: string | undefined): Server {
    const server = new Server({ name: 'regional-finance-api', version: '0.1.0' }, { capabilities: { tools: {}, resources: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: this.tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema, annotations: { readOnlyHint: true, openWorldHint: false } })),
    }));
    server.setRequestHandler(CallToolRequestSchema, (request) => this.call(request.params.name, request.params.arguments ?? {}, remoteAddress));
    server.setRequestHandler(ListResourcesRequestSchema, () => ({
      resources: RESOURCES.map(({ uri, name, description }) => ({ uri, name, description, mimeType: 'application/json' })),
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      const resource = RESOURCES.find((r) => r.uri === request.params.uri);
      if (!resource) throw new Error(`No resource ${request.params.uri}; there are ${RESOURCES.map((r) => r.uri).join(', ')}`);
      const { body } = await readInternally(this.fastify!, resource.url, remoteAddress);
      return { contents: [{ uri: resource.uri, mimeType: 'application/json', text: JSON.stringify(body) }] };
    });
    return server;
  }

  private async call(name: string, args: Record<string, unknown>, remoteAddress: string | undefined): Promise<CallToolResult> {
    const tool = this.tools.find((t) => t.name === name);
    if (!tool) return failure(`There is no tool "${name}"; the tools are ${this.tools.map((t) => t.name).join(', ')}.`);
    const required = (tool.inputSchema.required ?? []).filter((parameter) => args[parameter] === undefined || args[parameter] === '');
    if (required.length) return failure(`${name} needs ${required.join(' and ')}.`);
    const path = (template: string) => template.replace(/\{(\w+)\}/g, (_, parameter: string) => encodeURIComponent(String(args[parameter])));
    const query = new URLSearchParams();
    for (const [parameter, value] of Object.entries(args)) {
      if (tool.path.includes(`{${parameter}}`) || value === undefined || value === null) continue;
      query.set(parameter, Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : JSON.stringify(value));
    }
    const suffix = query.size ? `?${query.toString()}` : '';
    const first = await readInternally(this.fastify!, `${path(tool.path)}${suffix}`, remoteAddress);
    if (first.status >= 400) return problem(first.body);
    let body = first.body;
    if (tool.alongside) {
      const second = await readInternally(
        this.fastify!,
        `${path(tool.alongside.path)}${typeof args.lang === 'string' ? `?lang=${encodeURIComponent(args.lang)}` : ''}`,
        remoteAddress,
      );
      if (second.status >= 400) return problem(second.body);
      body = { ...body, [tool.alongside.as]: second.body };
    }
    const language = requestLanguage(args.lang, {});
    return { content: [{ type: 'text', text: tool.summarize(body, language).join('\n') }], structuredContent: body };
  }
}

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/** A REST problem as a tool error: what was wrong, and each parameter at fault. */
function problem(body: Record<string, unknown>): CallToolResult {
  const errors = (body.errors ?? []) as { name: string; message: string }[];
  return {
    isError: true,
    content: [{ type: 'text', text: [`${String(body.title)}: ${String(body.detail)}`, ...errors.map((e) => `- ${e.name}: ${e.message}`)].join('\n') }],
    structuredContent: body,
  };
}

/** A route's parameters as one JSON Schema object, references resolved: the same declaration the REST API validates. */
export function inputSchemaOf(document: OpenAPIObject, path: string): Tool['inputSchema'] {
  const operation = document.paths[path]?.get as { parameters?: Parameter[] } | undefined;
  if (!operation) throw new Error(`No GET ${path} in the OpenAPI document`);
  const resolve = (node: unknown, depth = 0): unknown => {
    if (Array.isArray(node)) return node.map((item) => resolve(item, depth));
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as { $ref?: string }).$ref;
    if (ref && depth < 8) return resolve(document.components!.schemas![ref.split('/').pop()!], depth + 1);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value, depth)]));
  };
  const parameters = (operation.parameters ?? []).filter((p) => (p.in === 'query' || p.in === 'path') && !NOT_FOR_TOOLS.has(p.name));
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, { ...(resolve(p.schema) as object), ...(p.description ? { description: p.description } : {}) }])),
    required: parameters.filter((p) => p.in === 'path' || p.required).map((p) => p.name),
    additionalProperties: false,
  };
}
