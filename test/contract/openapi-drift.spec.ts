import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config/paths.js';
import { runScript } from '../support/processes.js';

// Every contract change shows in review: the committed openapi.json must be what the code produces.
describe('openapi.json', () => {
  it('matches the document the code generates (run npm run openapi after changing the API)', async () => {
    const result = await runScript('src/cli/openapi.js', {}, ['--check']);
    expect(result.stderr).not.toContain('out of date');
    expect(result.code).toBe(0);
  });
});

type Operation = { parameters?: { name: string; in: string; schema?: { $ref?: string } }[]; responses: Record<string, { content?: Record<string, unknown> }> };

describe('representations in openapi.json', () => {
  it('lists, for every operation with a format parameter, exactly the media types that format offers', async () => {
    const { MEDIA_TYPES } = await import('../../src/http/representations.js');
    const document = JSON.parse(readFileSync(path.join(projectRoot, 'openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { enum?: string[] }> };
    };
    const checked: string[] = [];
    for (const [route, methods] of Object.entries(document.paths))
      for (const operation of Object.values(methods)) {
        const format = operation.parameters?.find((p) => p.name === 'format' && p.in === 'query');
        if (!format) continue;
        const formats = document.components.schemas[format.schema!.$ref!.split('/').pop()!].enum!;
        expect([route, Object.keys(operation.responses['200'].content!).sort()]).toEqual([route, formats.map((f) => MEDIA_TYPES[f as keyof typeof MEDIA_TYPES]).sort()]);
        checked.push(route);
      }
    expect(checked).toEqual(expect.arrayContaining(['/v1/compare', '/v1/rankings/{indicator}', '/v1/observations/{id}/revisions', '/v1/availability', '/v1/observations']));
  });
});
