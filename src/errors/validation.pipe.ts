import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { closestNames } from '../http/closest-names.js';
import { ProblemException, type FieldProblem, type ProblemLocation } from './problem.js';

function unknownParameter(name: string, known: string[]): string {
  const suggestions = closestNames(name, known);
  const hint = suggestions.length ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : `known parameters: ${known.join(', ')}`;
  return `"${name}" is not a known parameter; ${hint}`;
}

function flatten(errors: ValidationError[], known: string[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const name = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      name,
      message: constraint === 'whitelistValidation' ? unknownParameter(name, known) : message,
    }));
    return [...own, ...flatten(error.children ?? [], [], name)];
  });
}

/** The parameter names a DTO declares, for suggesting the right one when a name is misspelt. */
function knownProperties(metatype: ArgumentMetadata['metatype']): string[] {
  if (!metatype) return [];
  const names = getMetadataStorage()
    .getTargetValidationMetadatas(metatype, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set(names)].sort();
}

const LOCATIONS: Partial<Record<ArgumentMetadata['type'], ProblemLocation>> = { query: 'query', param: 'path', body: 'body' };

class ValidationFailure extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('validation failed');
  }
}

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
      // The factory has no access to the DTO; transform() adds location and suggestions.
      exceptionFactory: (errors) => new ValidationFailure(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof ValidationFailure)) throw error;
      const location = LOCATIONS[metadata.type];
      throw ProblemException.validation(flatten(error.errors, knownProperties(metadata.metatype)).map((e) => (location ? { location, ...e } : e)));
    }
  }
}
