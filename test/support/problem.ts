import type { Response } from 'supertest';

/** Asserts an RFC 9457 problem response and returns its body. */
export function expectProblem(response: Response, status: number): { type: string; title: string; status: number; detail: string; instance?: string; errors?: { location?: string; name: string; message: string }[] } {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.text) as ReturnType<typeof expectProblem>;
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^urn:problem:/), title: expect.any(String), detail: expect.any(String) });
  expect(body.detail.length).toBeGreaterThan(10);
  // Nothing internal leaks: no stack frames, no file paths, no SQL.
  expect(response.text).not.toMatch(/\bat \S+ \(|node_modules|\/src\/|SELECT |QueryFailedError/);
  return body;
}
