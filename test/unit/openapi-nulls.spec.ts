import { toJsonSchemaNulls } from '../../src/http/openapi.js';

describe('nullable schemas in OpenAPI 3.1 terms', () => {
  it('adds null to a scalar type and its enum', () => {
    expect(toJsonSchemaNulls({ type: 'string', nullable: true, enum: ['day', 'month'] })).toEqual({ type: ['string', 'null'], enum: ['day', 'month', null] });
  });

  it('turns a nullable reference into anyOf with null, keeping its description', () => {
    expect(toJsonSchemaNulls({ nullable: true, type: 'object', description: 'd', allOf: [{ $ref: '#/x' }] })).toEqual({
      description: 'd',
      anyOf: [{ allOf: [{ $ref: '#/x' }] }, { type: 'null' }],
    });
  });

  it('leaves other schemas alone, however deep', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'array', items: { type: 'string', nullable: true } } } };
    expect(toJsonSchemaNulls(schema)).toEqual({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'array', items: { type: ['string', 'null'] } } } });
  });
});
