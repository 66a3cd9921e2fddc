import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemDto } from '../errors/problem.dto.js';
import { lacksScope, PROBLEM_CONTENT_TYPE, PROBLEM_DETAILS, PROBLEM_TITLES, PROBLEM_TYPES, STATUS_TYPES } from '../errors/problem.js';
import { DOCUMENTED_SCHEMAS } from '../catalog/schema.js';
import { MEDIA_TYPES } from './representations.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Regional sci-tech and small-business finance figures (China)')
    .setDescription(
      'Region-level figures on small/micro-enterprise outreach, sci-tech lending, credit-information platforms and the ' +
        'sci-tech finance reform pilot zones, each with its unit, as-of date, qualifier (约/近/超/逾) and the verbatim clause ' +
        'of the source document it was taken from. Errors are RFC 9457 application/problem+json.',
    )
    .setVersion('1')
    .setOpenAPIVersion('3.1.0')

    .addTag('regions', 'GB/T 2260 regions that have figures, and their parents')
    .addTag('indicators', 'What is measured: unit, measure type, definition, comparability')
    .addTag('observations', 'The figures themselves, each with its citation')
    .addTag('sources', 'The documents figures are taken from')
    .addTag('pilot-zones', 'Sci-tech finance reform pilot zones (科创金融改革试验区)')
    .addTag('programs', 'Named schemes and platforms (浙科联合贷, 1+5+N, …)')
    .addTag('compare', 'Regions side by side, with warnings where figures cannot simply be compared')
    .addTag('rankings', 'Regions ordered by an indicator')
    .addTag('availability', 'Which region and indicator pairs have figures')
    .addTag('region-sets', 'Peer groups to compare in one call')
    .addTag('sync', 'Batch writes by scheduled data syncs (API key)')
    .addTag('changes', 'The change feed for downstream consumers')
    .addTag('snapshots', 'Everything published by the end of a day, as a Frictionless data package of CSV files')
    .addTag('health', 'Liveness and readiness')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key (not a JWT)', description: 'An API key from npm run apikey -- create' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}${methodKey.replace(/^./, (c) => c.toUpperCase())}`,
  });
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const operation of Object.values(methods) as Operation[]) {
      // The plugin puts a controller method's comment in summary; long readers look at description.
      if (operation.summary && !operation.description) operation.description = operation.summary;
      const problem = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } };
      // Every route refuses unknown or malformed parameters, over-long URLs, and answers 503 when the database cannot.
      operation.responses['400'] ??= { description: 'A parameter is unknown, repeated where one value is expected, or malformed; errors names each.', content: problem };
      operation.responses['414'] = { description: URL_TOO_LONG, content: problem };
      if (!operation.tags?.includes('health') && !operation.requestBody) {
        operation.responses['406'] = {
          description: 'The Accept header admits none of the media types this operation answers in (JSON, and CSV, NDJSON or charts where offered).',
          content: problem,
        };
      }
      if (!operation.tags?.includes('health')) {
        operation.responses['503'] ??= {
          description: 'The database is unavailable or a statement ran past the statement timeout; retry after Retry-After seconds.',
          headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600 } } },
          content: problem,
        };
      }
      operation.responses['500'] ??= {
        description: 'An unexpected error; it is logged and the response never carries internals.',
        content: problem,
      };
      if (!operation.tags?.includes('health')) documentRateLimit(operation);
      boundParameters(operation);
      examplesAsText(operation);
      exampleProblems(operation, path);
      for (const response of Object.values(operation.responses)) {
        // @ApiProduces gives every media type the JSON schema; the others have their own.
        const content = response.content as Record<string, object> | undefined;
        for (const [mediaType, schema] of Object.entries(DOCUMENT_SCHEMAS)) if (content?.[mediaType]) content[mediaType] = { schema: { $ref: `#/components/schemas/${schema}` } };
        response.headers = {
          ...response.headers,
          'Access-Control-Allow-Origin': { $ref: '#/components/headers/Access-Control-Allow-Origin' },
          'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
        };
      }
    }
  }
  // Terminus documents its own 503 body; ours is problem+json naming the failed checks, and liveness never fails.
  const ready = document.paths['/health/ready']?.get as Operation | undefined;
  if (ready)
    ready.responses['503'] = {
      description: 'Not ready: the database does not answer or a migration is pending (checks lists each).',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
    };
  delete (document.paths['/health/live']?.get as Operation | undefined)?.responses['503'];
  document.components = {
    ...document.components,
    headers: RATE_LIMIT_HEADERS,
    schemas: {
      ...document.components?.schemas,
      ...schemaComponents(DOCUMENTED_SCHEMAS),
      CsvDocument: { type: 'string', description: 'UTF-8 CSV with a byte-order mark and a header row.' },
      NdjsonDocument: { type: 'string', description: "UTF-8, one JSON object per line: the items of the JSON answer's data, every one that matches." },
      VegaLiteSpec: {
        type: 'object',
        description: 'A Vega-Lite v6 spec (https://vega.github.io/schema/vega-lite/v6.json) with its data inline: vegaEmbed(element, spec) draws it.',
        additionalProperties: true,
      },
      SvgDocument: { type: 'string', description: "The chart drawn on the server as SVG 1.1: every mark's citation is its <title>; text names a CJK font stack." },
    },
  };
  bodyExamples(document);
  document.servers = [
    { url: '/', description: 'Production or local: whichever server serves this document', 'x-internal': false } as OpenAPIObject['servers'] extends (infer S)[] | undefined
      ? S
      : never,
  ];
  return toJsonSchemaNulls(document) as OpenAPIObject;
}

/** The schema of each non-JSON representation, named in components. */
const DOCUMENT_SCHEMAS: Record<string, string> = {
  [MEDIA_TYPES.csv]: 'CsvDocument',
  [MEDIA_TYPES.ndjson]: 'NdjsonDocument',
  [MEDIA_TYPES['vega-lite']]: 'VegaLiteSpec',
  [MEDIA_TYPES.svg]: 'SvgDocument',
};

/**
 * The catalog's written shapes as OpenAPI components, exactly as they are validated: each named
 * schema once, and a $ref wherever another embeds it.
 */
export function schemaComponents(named: Record<string, object>): Record<string, object> {
  const names = new Map(Object.entries(named).map(([name, schema]) => [schema, name]));
  const convert = (node: unknown, root: object): unknown => {
    if (Array.isArray(node)) return node.map((item) => convert(item, root));
    if (typeof node !== 'object' || node === null) return node;
    const name = names.get(node);
    if (name && node !== root) return { $ref: `#/components/schemas/${name}` };
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, convert(value, root)]));
  };
  return Object.fromEntries(Object.entries(named).map(([name, schema]) => [name, convert(schema, schema) as object]));
}

/** Fastify refuses path segments over this length (414); the app refuses longer URLs (414). */
export const MAX_PATH_PARAM = 200;
export const MAX_URL_LENGTH = 8192;
export const URL_TOO_LONG = `The URL is longer than ${MAX_URL_LENGTH} characters.`;

/** String parameters without a tighter documented bound get the limits the server enforces on every request. */
function boundParameters(operation: Operation): void {
  for (const parameter of operation.parameters ?? []) {
    const schema = parameter.schema as { type?: string; enum?: unknown; maxLength?: number } | undefined;
    if (schema?.type === 'string' && schema.enum === undefined && schema.maxLength === undefined) {
      schema.maxLength = parameter.in === 'path' ? MAX_PATH_PARAM : MAX_URL_LENGTH;
    }
  }
}

type Operation = {
  parameters?: { in: string; name?: string; required?: boolean; example?: unknown; description?: string; schema?: unknown; [TRY_IT_OUT]?: boolean }[];
  requestBody?: unknown;
  summary?: string;
  description?: string;
  tags?: string[];
  responses: Record<string, { description?: string; headers?: Record<string, unknown>; content?: unknown }>;
};

const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': { description: 'Requests allowed per minute from this client address.', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647 } },
  'X-RateLimit-Remaining': { description: 'Requests left in the current minute.', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } },
  'X-RateLimit-Reset': { description: 'Seconds until the allowance is renewed.', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } },
  'Access-Control-Allow-Origin': { description: 'The origins allowed by CORS_ORIGINS ("*" by default: the figures are public).', schema: { type: 'string', maxLength: 2048 } },
  'X-Request-Id': {
    description:
      "The request's id: the X-Request-Id it was sent with (a token of up to 128 letters, digits and . _ : -), else a new UUID. Problems carry it as requestId; the service log has it.",
    schema: { type: 'string', maxLength: 128, pattern: '^[\\w.:-]{1,128}$' },
  },
};

/** The throttler guard answers every request (health checks excepted) with these headers, and 429 past the limit. */
function documentRateLimit(operation: Operation): void {
  const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
  for (const [status, response] of Object.entries(operation.responses)) {
    if (/^[24]/.test(status))
      response.headers = {
        ...response.headers,
        'X-RateLimit-Limit': ref('X-RateLimit-Limit'),
        'X-RateLimit-Remaining': ref('X-RateLimit-Remaining'),
        'X-RateLimit-Reset': ref('X-RateLimit-Reset'),
      };
  }

  operation.responses['429'] = {
    description: 'Too many requests from this address; retry after Retry-After seconds.',
    headers: {
      'Retry-After': ref('Retry-After'),
      'X-RateLimit-Limit': ref('X-RateLimit-Limit'),
      'X-RateLimit-Remaining': ref('X-RateLimit-Remaining'),
      'X-RateLimit-Reset': ref('X-RateLimit-Reset'),
    },
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
  };
}

/**
 * Swagger UI fills a request body from its media type's example and ignores JSON Schema's
 * `examples`, so a body whose schema is a named component gets that component's first example.
 */
function bodyExamples(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, { examples?: unknown[] }>;
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods) as Operation[]) {
      const content = (operation.requestBody as { content?: Record<string, { schema?: { $ref?: string }; example?: unknown }> } | undefined)?.content ?? {};
      for (const media of Object.values(content)) {
        const example = schemas[media.schema?.$ref?.replace('#/components/schemas/', '') ?? '']?.examples?.[0];
        if (example !== undefined) media.example = example;
      }
    }
  }
}

/** Marks an optional parameter whose example "Try it out" fills in: one the operation cannot answer without (one of several alternatives). */
export const TRY_IT_OUT = 'x-try-it-out';

/**
 * Swagger UI fills every parameter's example into "Try it out", so an optional filter's example
 * would become a default that narrows (or empties) the answer. Optional parameters keep their
 * example as text in their description; required ones (path parameters) and those marked
 * TRY_IT_OUT keep it as a value.
 */
function examplesAsText(operation: Operation): void {
  for (const parameter of operation.parameters ?? []) {
    const schema = (parameter.schema ?? {}) as { example?: unknown };
    const prefilled = parameter.required || parameter[TRY_IT_OUT];
    delete parameter[TRY_IT_OUT];
    const example = parameter.example ?? schema.example;
    if (prefilled || example === undefined) continue;
    delete parameter.example;
    delete schema.example;
    parameter.description = `${parameter.description ? `${parameter.description.replace(/\.?$/, '.')} ` : ''}Example: \`${typeof example === 'string' ? example : JSON.stringify(example)}\`.`;
  }
}

/** What each status's problem says in an example, as the server words it. */
const PROBLEM_EXAMPLES: Record<number, (path: string, missing: string) => Record<string, unknown>> = {
  400: (path) => ({
    detail: 'The request has 1 invalid parameter: query colour: "colour" is not a known parameter',
    errors: [{ location: 'query', name: 'colour', message: '"colour" is not a known parameter' }],
    instance: `${path}?colour=red`,
  }),
  401: () => ({ detail: PROBLEM_DETAILS.keyMissing }),
  403: () => ({ detail: lacksScope('reader', 'sync:write') }),
  404: (_path, missing) => ({ detail: 'Nothing matches "nowhere"; the detail names the closest matches, and where to find what exists.', instance: missing }),
  406: () => ({ detail: 'This endpoint answers application/json; the Accept header "image/png" admits neither.' }),
  409: () => ({ detail: 'A batch with this Idempotency-Key is still being written; retry after Retry-After seconds.' }),
  410: () => ({ detail: 'Observation 1 was retracted; its history is at /v1/observations/1/revisions.' }),
  413: () => ({ detail: PROBLEM_DETAILS.bodyTooLarge }),
  414: () => ({ detail: URL_TOO_LONG }),
  415: () => ({ detail: PROBLEM_DETAILS.bodyNotJson }),
  422: () => ({
    detail: 'Batch 7 was rejected with 1 problem; nothing was written.',
    errors: [{ location: 'body', pointer: '/observations/0/asOf', name: 'asOf', message: 'must be a calendar date from 0001-01-01 to 9999-12-31 in YYYY-MM-DD form' }],
  }),
  429: () => ({ detail: 'This client address has made its 600 requests for this minute; retry after 12 s (Retry-After).' }),
  500: () => ({ detail: PROBLEM_DETAILS.internal }),
  502: () => ({ detail: 'The pull source answered 404; nothing was written.' }),
  503: () => ({ detail: PROBLEM_DETAILS.unavailable }),
};

/** Each problem response gets an example of its own status (Swagger UI otherwise shows the schema's, a 400, for all). */
function exampleProblems(operation: Operation, template: string): void {
  const example = (name: string) => {
    const parameter = operation.parameters?.find((p) => p.in === 'path' && p.name === name);
    return String((parameter?.schema as { example?: string | number } | undefined)?.example ?? name);
  };
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => example(name));
  const missing = template.replace(/\{(\w+)\}/g, 'nowhere');
  for (const [status, response] of Object.entries(operation.responses)) {
    const content = response.content as Record<string, object> | undefined;
    const code = Number(status);
    if (!content?.[PROBLEM_CONTENT_TYPE] || !PROBLEM_EXAMPLES[code]) continue;
    // Copies: responses share their content objects.
    response.content = {
      ...content,
      [PROBLEM_CONTENT_TYPE]: {
        ...content[PROBLEM_CONTENT_TYPE],
        example: {
          type: code === 400 ? PROBLEM_TYPES.validation : STATUS_TYPES[code],
          title: PROBLEM_TITLES[code],
          status: code,
          instance: path,
          ...PROBLEM_EXAMPLES[code](path, missing),
        },
      },
    };
  }
}

/**
 * OpenAPI 3.1 says "may be null" in JSON Schema terms. The plugin writes 3.0's `nullable: true`,
 * which beside an allOf/$ref does not admit null at all; validators and generators then disagree
 * with the server. This rewrites it: type: [t, "null"], or anyOf [schema, {type: "null"}].
 */
export function toJsonSchemaNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchemaNulls);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, toJsonSchemaNulls(value)]));
  if (nullable !== true) return out;
  if (out.allOf || out.$ref || out.oneOf || out.anyOf) {
    const { description, example, default: fallback, type: _type, ...schema } = out;
    return {
      ...(description ? { description } : {}),
      ...(example !== undefined ? { example } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
      anyOf: [schema, { type: 'null' }],
    };
  }
  if (typeof out.type === 'string') {
    const enumValues = Array.isArray(out.enum) ? { enum: [...out.enum, null] } : {};
    return { ...out, type: [out.type, 'null'], ...enumValues };
  }
  return out;
}

/** Swagger UI at /docs, the document at /openapi.json and /openapi.yaml. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'Regional finance figures API',
    swaggerOptions: { tryItOutEnabled: true, displayRequestDuration: true, defaultModelsExpandDepth: 0 },
  });
  return document;
}
