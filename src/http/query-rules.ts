import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from '../catalog/validation.js';

/** A query parameter that is a calendar date, by the same rule as a written one (2026-02-30 and 0000-01-01 are not). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: { validate: isCalendarDate, defaultMessage: (args) => `${args?.property ?? 'value'} must be a calendar date in YYYY-MM-DD form, from 0001-01-01 to 9999-12-31` },
    },
    options,
  );
}

/** A whole number in a range, with one message however it fails ("abc", 1.5, 0 and 201 are all told the range). */
export function IsWholeNumber(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWholeNumber',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`,
      },
    },
    options,
  );
}
