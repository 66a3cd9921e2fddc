/** A figure rescaled to the unit asked for with normalizeTo. */
export class ScaledValueDto {
  /** @example 65000 */
  value: number;
  /** @example "亿元" */
  unit: string;
}
