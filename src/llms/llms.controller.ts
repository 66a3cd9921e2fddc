import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Policy } from '../http/route-policy.js';
import { LlmsService } from './llms.service.js';

/** GET /llms.txt: Markdown for language models, kept with the data version like any read. */
@ApiExcludeController()
@Controller('llms.txt')
export class LlmsController {
  constructor(private readonly llms: LlmsService) {}

  @Get()
  @Policy({ cache: 'public', representation: false })
  async text(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('Content-Type', 'text/markdown; charset=utf-8');
    return this.llms.text();
  }
}
