import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsString, MaxLength } from 'class-validator';
import { commaList } from './comma-list.js';
import { TRY_IT_OUT } from './openapi.js';
import type { ProblemLocation } from '../errors/problem.js';
import type { Vocabulary } from '../figures/vocabulary.js';

/** The kinds of thing a parameter may name, each resolved by the Vocabulary. */
const RESOLVERS = {
  regions: (v: Vocabulary, value: string[], name: string, where: ProblemLocation) => v.regions(value, name, where),
  region: (v: Vocabulary, value: string, name: string, where: ProblemLocation) => v.region(value, name, where),
  regionSet: (v: Vocabulary, value: string, name: string, where: ProblemLocation) => v.regionSet(value, name, where),
  topic: (v: Vocabulary, value: string, name: string, where: ProblemLocation) => v.topic(value, name, where),
  indicators: (v: Vocabulary, value: string[], name: string, where: ProblemLocation) => v.indicators(value, name, where),
  indicator: (v: Vocabulary, value: string, name: string, where: ProblemLocation) => v.indicator(value, name, where),
  source: (v: Vocabulary, value: string, name: string, where: ProblemLocation) => v.source(value, name, where),
};
export type NameKind = keyof typeof RESOLVERS;

const NAMES = Symbol('names');

/**
 * Marks a query parameter as naming something the Vocabulary knows. The query pipe resolves it with
 * every other parameter, so a name that names nothing is reported with the rest of the request's
 * problems, with its closest matches.
 */
export function Names(kind: NameKind): PropertyDecorator {
  return (target, property) => {
    const names: Record<string, NameKind> = { ...(Reflect.getMetadata(NAMES, target) ?? {}), [property]: kind };
    Reflect.defineMetadata(NAMES, names, target);
  };
}

/** The named parameters of a query DTO, by property. */
export function namedParameters(dto: { prototype: object }): Record<string, NameKind> {
  return (Reflect.getMetadata(NAMES, dto.prototype) as Record<string, NameKind> | undefined) ?? {};
}

/** Resolves a value of this kind (throws the vocabulary's problem when it names nothing). */
export function resolveName(vocabulary: Vocabulary, kind: NameKind, value: unknown, name: string, where: ProblemLocation): Promise<unknown> {
  return (RESOLVERS[kind] as (v: Vocabulary, value: unknown, name: string, where: ProblemLocation) => Promise<unknown>)(vocabulary, value, name, where);
}

const MAX_NAME = 100;

/**
 * A query parameter that names one or more things, declared once for every endpoint that takes it:
 * the documentation, the syntax rule (a comma list, names of sensible length) and the resolution.
 * `tryItOut`: Swagger UI fills the example in, for a parameter the operation cannot answer without.
 */
export function NameParameter(kind: NameKind, options: { list?: number; example?: string; enum?: string[]; tryItOut?: boolean } = {}): PropertyDecorator {
  const list = options.list !== undefined;
  return applyDecorators(
    IsOptional(),
    ...(list
      ? [
          Transform(commaList),
          ArrayMaxSize(options.list!, { message: `$property can list at most ${options.list} items` }),
          ArrayMinSize(1, { message: '$property must name at least one item' }),
        ]
      : [IsString({ message: '$property must be given once' })]),
    MaxLength(MAX_NAME, { each: list, message: `$property must list names of at most ${MAX_NAME} characters` }),
    Names(kind),
    ApiProperty({
      type: String,
      required: false,
      ...(options.example ? { example: options.example } : {}),
      ...(options.tryItOut ? { [TRY_IT_OUT]: true } : {}),
      ...(options.enum ? { enum: options.enum } : {}),
      maxLength: list ? MAX_NAME * options.list! : MAX_NAME,
    }),
  );
}
