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

/** Each status's title, as RFC 9110 names it. */
export const PROBLEM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The problem type of each status where the status alone says what happened (a 400 may instead be a validation error). */
export const STATUS_TYPES: Record<number, string> = {
  400: PROBLEM_TYPES.badRequest,
  401: PROBLEM_TYPES.unauthorized,
  403: PROBLEM_TYPES.forbidden,
  404: PROBLEM_TYPES.notFound,
  405: PROBLEM_TYPES.methodNotAllowed,
  406: PROBLEM_TYPES.notAcceptable,
  408: PROBLEM_TYPES.requestTimeout,
  409: PROBLEM_TYPES.conflict,
  410: PROBLEM_TYPES.gone,
  413: PROBLEM_TYPES.payloadTooLarge,
  414: PROBLEM_TYPES.uriTooLong,
  415: PROBLEM_TYPES.unsupportedMediaType,
  422: PROBLEM_TYPES.unprocessable,
  429: PROBLEM_TYPES.tooManyRequests,
  431: PROBLEM_TYPES.headersTooLarge,
  500: PROBLEM_TYPES.internal,
  502: PROBLEM_TYPES.badGateway,
  503: PROBLEM_TYPES.serviceUnavailable,
};

/** What the server says where the words do not depend on the request: its answers and the OpenAPI document's examples share them. */
export const PROBLEM_DETAILS = {
  keyMissing: 'This needs an API key: send Authorization: Bearer <key>. Keys are created with npm run apikey -- create.',
  bodyTooLarge: 'The request body is larger than this endpoint accepts.',
  bodyNotJson: 'The request body must be application/json (send Content-Type: application/json).',
  unavailable: 'The database is unavailable or too slow to answer right now; retry after the number of seconds in Retry-After.',
  internal: 'An unexpected error occurred. It has been logged; retrying will not help until it is fixed.',
} as const;

export const lacksScope = (key: string, scope: string) => `The API key "${key}" lacks the ${scope} scope.`;

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
