import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { ProblemException, type FieldProblem } from '../errors/problem.js';
import { namedParameters, resolveName } from './name-parameter.js';
import { Vocabulary } from '../figures/vocabulary.js';
import { closestNames } from '../errors/closest-names.js';

/** The parameters a DTO declares (its validated properties, inherited ones included). */
type Dto = abstract new (...args: never[]) => object;

function declared(dto: Dto): string[] {
  return [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .map((m) => m.propertyName),
    ),
  ].sort();
}

function unknownParameter(name: string, known: string[]): string {
  const suggestions = closestNames(name, known);
  return `"${name}" is not a known parameter; ${suggestions.length ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : `this endpoint takes ${known.join(', ')}`}`;
}

/**
 * Every query is checked here, whole: parameters the endpoint does not take (inherited names such as
 * toString included), each parameter's own rule, then every name it gives (regions, topics,
 * indicators, sources) against the Vocabulary. One response lists every problem of the request.
 * Names are validated here and resolved again where they are used: the Vocabulary keeps its index
 * per data version, so the second look costs nothing.
 */
@Injectable()
export class QueryPipe implements PipeTransform {
  constructor(private readonly vocabulary: Vocabulary) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype;
    if (metadata.type !== 'query' || !dto || [String, Number, Boolean, Object, Array].includes(dto as never)) return value;
    const raw = (value ?? {}) as Record<string, unknown>;
    const known = declared(dto as Dto);
    const problems: FieldProblem[] = Object.keys(raw)
      .filter((name) => !known.includes(name))
      .map((name) => ({ location: 'query', name, message: unknownParameter(name, known) }));

    const instance = plainToInstance(dto as new () => object, Object.fromEntries(Object.entries(raw).filter(([name]) => known.includes(name))));
    const invalid = new Set<string>();
    for (const error of await validate(instance, { stopAtFirstError: true, forbidUnknownValues: false, validationError: { target: false, value: false } })) {
      invalid.add(error.property);
      problems.push({ location: 'query', name: error.property, message: Object.values(error.constraints ?? {})[0] ?? `${error.property} is not valid` });
    }

    for (const [property, kind] of Object.entries(namedParameters(dto as Dto))) {
      const given = (instance as Record<string, unknown>)[property];
      if (given === undefined || invalid.has(property)) continue;
      try {
        await resolveName(this.vocabulary, kind, given, property, 'query');
      } catch (error) {
        if (!(error instanceof ProblemException) || !error.problem.errors) throw error;
        problems.push(...error.problem.errors);
      }
    }
    if (problems.length) throw ProblemException.validation(problems);
    return instance;
  }
}

/** A path segment naming a region (code or name): the region's code, or 404 with the closest matches. */
@Injectable()
export class RegionParam implements PipeTransform<string, Promise<string>> {
  constructor(private readonly vocabulary: Vocabulary) {}

  async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return (await this.vocabulary.region(value, metadata.data ?? 'code', 'path')).code;
  }
}

/** A path segment naming an indicator: its code, or 404 with the closest matches. */
@Injectable()
export class IndicatorParam implements PipeTransform<string, Promise<string>> {
  constructor(private readonly vocabulary: Vocabulary) {}

  async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return (await this.vocabulary.indicator(value, metadata.data ?? 'code', 'path')).code;
  }
}

/** A path segment naming a source document (its id or file name): the source's id, or 404 with the closest matches. */
@Injectable()
export class SourceParam implements PipeTransform<string, Promise<string>> {
  constructor(private readonly vocabulary: Vocabulary) {}

  async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return (await this.vocabulary.source(value, metadata.data ?? 'id', 'path')).id;
  }
}
