import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ProblemException, type FieldProblem, type ProblemLocation } from './problem.js';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const name = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      name,
      message: constraint === 'whitelistValidation' ? `"${name}" is not a known parameter` : message,
    }));
    return [...own, ...flatten(error.children ?? [], name)];
  });
}

const LOCATIONS: Partial<Record<ArgumentMetadata['type'], ProblemLocation>> = { query: 'query', param: 'path', body: 'body' };

/**
 * class-validator with the settings every endpoint shares: unknown fields are errors, strings from
 * the query are converted to the DTO's types, and each failure names where and what went wrong.
 */
export class ProblemValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ProblemException.validation(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      const location = LOCATIONS[metadata.type];
      if (error instanceof ProblemException && location) {
        const errors = error.problem.errors?.map((e) => ({ in: location, ...e })) ?? [];
        throw ProblemException.validation(errors);
      }
      throw error;
    }
  }
}
