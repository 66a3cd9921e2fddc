import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { WARNING_CODES } from '../comparability/comparability.js';
import { readInternally } from '../http/internal-request.js';
import { TOOLS } from '../mcp/mcp.tools.js';

/** The reads an assistant starts from, each with a working example. */
const START_HERE = [
  { title: 'Compare regions', path: '/v1/compare', example: '/v1/compare?regions=330000,320000&topic=smb_outreach' },
  { title: 'Rank regions by one indicator', path: '/v1/rankings/{indicator}', example: '/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province' },
  { title: "A region's profile", path: '/v1/regions/{code}/profile', example: '/v1/regions/330000/profile' },
  { title: 'Find regions', path: '/v1/regions', example: '/v1/regions?q=%E6%B5%99%E6%B1%9F' },
  { title: 'Indicators', path: '/v1/indicators', example: '/v1/indicators?topic=smb_outreach' },
  { title: 'Which pairs have figures', path: '/v1/availability', example: '/v1/availability?topic=smb_outreach' },
];

const firstSentence = (text: string | undefined) =>
  (text ?? '')
    .split(/(?<=\.)\s/)[0]
    .replace(/\s+/g, ' ')
    .trim();

/**
 * /llms.txt (llmstxt.org): what the API holds and how to ask it, for a language model, written
 * from the OpenAPI document, the MCP tools and the catalog (topics and indicators) as they are.
 */
@Injectable()
export class LlmsService {
  private fastify?: FastifyInstance;
  private document?: OpenAPIObject;

  attach(fastify: FastifyInstance, document: OpenAPIObject): void {
    this.fastify = fastify;
    this.document = document;
  }

  async text(): Promise<string> {
    const read = async <T>(url: string) => (await readInternally<T>(this.fastify!, url)).body;
    const topics = await read<{ data: { code: string; nameEn: string; nameZh: string; indicatorCount: number }[] }>('/v1/topics?lang=en');
    const indicators = await read<{ data: { code: string; topic: string; nameEn: string; unit: string }[] }>('/v1/indicators?pageSize=200&lang=en');
    const document = this.document!;
    const summaryOf = (path: string) => firstSentence((document.paths[path]?.get as { description?: string } | undefined)?.description);
    return [
      `# ${document.info.title}`,
      '',
      `> ${firstSentence(document.info.description)} Read-only; qualifiers: 约 about, 近 nearly, 超/逾 more than.`,
      '',
      `Comparisons and rankings carry warnings where figures cannot simply be set side by side (${WARNING_CODES.join(', ')}); read them before the numbers. Regions are GB/T 2260 codes, CN, or Chinese or English names (浙江, Zhejiang). Every read takes lang=zh or lang=en.`,
      '',
      '## Start here',
      '',
      ...START_HERE.map(({ title, path, example }) => `- [${title}](${example}): ${summaryOf(path)}`),
      '- [OpenAPI document](/openapi.json): every endpoint and parameter; Swagger UI at [/docs](/docs).',
      '',
      '## MCP',
      '',
      'POST /mcp: a read-only Model Context Protocol server (Streamable HTTP, stateless). Its tools answer with the JSON of the REST read and a text that states the warnings first:',
      '',
      ...TOOLS.map((tool) => `- ${tool.name} (${tool.path}): ${firstSentence(tool.description)}`),
      '',
      '## Topics and indicators',
      '',
      ...topics.data.flatMap((topic) => [
        `- ${topic.code}: ${topic.nameEn} (${topic.nameZh}), ${topic.indicatorCount} indicator${topic.indicatorCount === 1 ? '' : 's'}: ${indicators.data
          .filter((indicator) => indicator.topic === topic.code)
          .map((indicator) => indicator.code.slice(topic.code.length + 1))
          .join(', ')}`,
      ]),
      '',
    ].join('\n');
  }
}
