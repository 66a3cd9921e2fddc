import type { Response } from 'supertest';

/**
 * The one problem type each status may carry, written out here rather than imported from the
 * code under test. A 400 is a validation error (a parameter or field named in `errors`) unless
 * the test says the request itself was malformed.
 */
export const TYPE_OF_STATUS: Record<number, string> = {
  400: 'urn:problem:validation-error',
  401: 'urn:problem:unauthorized',
  403: 'urn:problem:forbidden',
  404: 'urn:problem:not-found',
  405: 'urn:problem:method-not-allowed',
  406: 'urn:problem:not-acceptable',
  408: 'urn:problem:request-timeout',
  409: 'urn:problem:conflict',
  410: 'urn:problem:gone',
  413: 'urn:problem:payload-too-large',
  414: 'urn:problem:uri-too-long',
  415: 'urn:problem:unsupported-media-type',
  422: 'urn:problem:unprocessable-content',
  429: 'urn:problem:too-many-requests',
  431: 'urn:problem:request-header-fields-too-large',
  500: 'urn:problem:internal-error',
  502: 'urn:problem:bad-gateway',
  503: 'urn:problem:service-unavailable',
};

export const MALFORMED = 'urn:problem:bad-request';

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { location?: string; pointer?: string; name: string; message: string }[];
};

/** Asserts an RFC 9457 problem response of exactly this status and type, and returns its body. */
export function expectProblem(response: Response, status: number, type = TYPE_OF_STATUS[status]): Problem {
  if (!type) throw new Error(`no problem type is expected for status ${status}`);
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.text) as Problem;
  expect(body).toMatchObject({ status, type, title: expect.any(String), detail: expect.any(String) });
  // Every problem names the request it answers (the README says so), but for the two sent before a request could be read.
  if (status !== 408 && status !== 431) expect(body.instance).toMatch(/^\//);
  expect(body.detail.length).toBeGreaterThan(10);
  if (type === TYPE_OF_STATUS[400]) expect(body.errors?.length).toBeGreaterThan(0);
  // Nothing internal leaks: no stack frames, no file paths, no SQL.
  expect(response.text).not.toMatch(/\bat \S+ \(|node_modules|\/src\/|SELECT |QueryFailedError/);
  return body;
}
