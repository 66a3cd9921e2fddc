import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

export class FieldProblemDto {
  @ApiProperty({ enum: ['query', 'path', 'body', 'header'], enumName: 'ProblemLocation', required: false })
  location?: 'query' | 'path' | 'body' | 'header';
  /** The parameter or field, dotted for nested body fields. @example "pageSize" */
  name: string;
  /** @example "pageSize must not be greater than 200" */
  message: string;
}

/** RFC 9457 problem details. */
export class ProblemDto {
  /** A URI identifying the kind of problem. @example "urn:problem:validation-error" */
  type: string;
  /** @example "Bad Request" */
  title: string;
  /** @example 400 */
  status: number;
  /** What went wrong in this request, in words a person can act on. */
  detail: string;
  /** The request path that produced the problem. @example "/v1/observations?pageSize=500" */
  instance?: string;
  /** One entry per invalid parameter or field. */
  errors?: FieldProblemDto[];
  /** The request's id (its X-Request-Id), to quote when asking about it; the service log has the same. @example "7f0c2c4e-4b4e-4a8f-9d59-0d1f7d1c2a10" */
  requestId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid parameters: each one is listed in `errors`.',
  404: 'Nothing with that identifier.',
  503: 'The database is unreachable or not migrated; retry after the Retry-After seconds.',
};

/** Documents the problem+json responses an operation can give. */
export function ApiProblemResponses(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto, FieldProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Problem details.',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
