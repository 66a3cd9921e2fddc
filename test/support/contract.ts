import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Document = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  components: { schemas: Record<string, object> };
};

/** Validates live responses against the OpenAPI document's schemas: the document must never lie. */
export class Contract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly document: Document) {
    const add = (addFormats as unknown as { default?: (ajv: Ajv) => void }).default ?? (addFormats as unknown as (ajv: Ajv) => void);
    add(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: document.components });
  }

  /** The path template of the document that a concrete path matches. */
  template(path: string): string | undefined {
    const pathname = path.split('?')[0];
    return Object.keys(this.document.paths).find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname));
  }

  /** Problems with a response, or [] when the document describes it exactly. */
  check(method: string, path: string, status: number, contentType: string, body: unknown): string[] {
    const template = this.template(path);
    if (!template) return [`${path} is not in the document`];
    const operation = this.document.paths[template][method.toLowerCase()];
    if (!operation) return [`${method} ${template} is not in the document`];
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) return [`${method} ${template} does not document status ${status}`];
    // A response documented without content (a redirect) has none to check.
    if (!response.content && !body) return [];
    const mediaType = contentType.split(';')[0].trim();
    const content = response.content?.[mediaType];
    if (!content) return [`${method} ${template} ${status} does not document ${mediaType}`];
    if (!content.schema) return [];
    const key = `${method} ${template} ${status} ${mediaType}`;
    let validate = this.cache.get(key);
    if (!validate) {
      const schema = JSON.parse(JSON.stringify(content.schema).replace(/"#\/components\//g, '"openapi#/components/'));
      validate = this.ajv.compile(schema);
      this.cache.set(key, validate);
    }
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
