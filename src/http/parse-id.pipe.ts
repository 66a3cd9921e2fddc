import { Injectable, type PipeTransform } from '@nestjs/common';
import { ProblemException } from '../errors/problem.js';

/** A positive integer id that fits Postgres's bigint and JavaScript's safe integers. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{0,14}$/.test(value)) {
      throw ProblemException.validation([{ location: 'path', name: 'id', message: 'id must be a positive integer' }]);
    }
    return Number(value);
  }
}
