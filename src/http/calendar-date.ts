import { ValidateBy, type ValidationOptions } from 'class-validator';

/** True for a real calendar date in YYYY-MM-DD form (rejects 2026-02-30, which a regex lets through). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isCalendarDate', validator: { validate: isCalendarDate, defaultMessage: (args) => `${args?.property ?? 'value'} must be a calendar date in YYYY-MM-DD form` } },
    options,
  );
}
