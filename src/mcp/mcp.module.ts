import { Module } from '@nestjs/common';
import { McpController } from './mcp.controller.js';
import { McpService } from './mcp.service.js';

/** The read-only MCP server at /mcp: the REST reads as tools for assistants. */
@Module({ controllers: [McpController], providers: [McpService], exports: [McpService] })
export class McpModule {}
