import { HttpException } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export type ProblemLocation = 'query' | 'path' | 'body' | 'header';

export interface FieldProblem {
  location?: ProblemLocation;
  name: string;
  message: string;
}

export interface ProblemInit {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

export interface ProblemBody extends ProblemInit {
  instance?: string;
  /** Extension members (RFC 9457 section 3.2). */
  [extension: string]: unknown;
}

/** Problem type URIs: stable identifiers a client can switch on (RFC 9457 section 3.1.1). */
export const PROBLEM_TYPES = {
  badRequest: 'urn:problem:bad-request',
  requestTimeout: 'urn:problem:request-timeout',
  uriTooLong: 'urn:problem:uri-too-long',
  headersTooLarge: 'urn:problem:request-header-fields-too-large',
  tooManyRequests: 'urn:problem:too-many-requests',
  unauthorized: 'urn:problem:unauthorized',
  forbidden: 'urn:problem:forbidden',
  conflict: 'urn:problem:conflict',
  gone: 'urn:problem:gone',
  badGateway: 'urn:problem:bad-gateway',
  unprocessable: 'urn:problem:unprocessable-content',
  validation: 'urn:problem:validation-error',
  notFound: 'urn:problem:not-found',
  methodNotAllowed: 'urn:problem:method-not-allowed',
  payloadTooLarge: 'urn:problem:payload-too-large',
  unsupportedMediaType: 'urn:problem:unsupported-media-type',
  notAcceptable: 'urn:problem:not-acceptable',
  serviceUnavailable: 'urn:problem:service-unavailable',
  internal: 'urn:problem:internal-error',
} as const;

/** An error that already knows its RFC 9457 shape. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemInit) {
    super(problem, problem.status);
  }

  static notFound(what: string, key: string, hint?: string): ProblemException {
    return new ProblemException({
      type: PROBLEM_TYPES.notFound,
      title: 'Not Found',
      status: 404,
      detail: `No ${what} with ${key}.${hint ? ` ${hint}` : ''}`,
    });
  }

  static validation(errors: FieldProblem[]): ProblemException {
    const detail =
      errors.length === 1
        ? `The request has 1 invalid parameter: ${describe(errors[0])}`
        : `The request has ${errors.length} invalid parameters: ${errors.map(describe).join('; ')}`;
    return new ProblemException({ type: PROBLEM_TYPES.validation, title: 'Bad Request', status: 400, detail, errors });
  }
}

function describe(error: FieldProblem): string {
  return `${error.location ? `${error.location} ` : ''}${error.name}: ${error.message}`;
}
