import { Column, Entity, PrimaryColumn } from 'typeorm';

export const UNITS = ['CNY', 'count', 'percent', 'percentage_points', 'year'] as const;
export type Unit = (typeof UNITS)[number];

export const MEASURE_TYPES = ['cumulative', 'balance', 'count_at_date', 'yoy_growth', 'growth', 'share', 'limit', 'rate', 'rate_change', 'flow', 'duration', 'ratio'] as const;
export const INDICATOR_KINDS = ['measured', 'derived'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export type MeasureType = (typeof MEASURE_TYPES)[number];

@Entity('topics')
export class Topic {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;
}

@Entity('indicators')
export class Indicator {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ name: 'name_zh', type: 'text' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'text' })
  unit: Unit;

  @Column({ name: 'measure_type', type: 'text' })
  measureType: MeasureType;

  @Column({ name: 'definition_zh', type: 'text' })
  definitionZh: string;

  @Column({ name: 'definition_en', type: 'text' })
  definitionEn: string;

  @Column({ type: 'text' })
  kind: IndicatorKind;

  @Column({ name: 'numerator_code', type: 'text', nullable: true })
  numeratorCode: string | null;

  @Column({ name: 'denominator_code', type: 'text', nullable: true })
  denominatorCode: string | null;
}

@Entity('indicator_comparisons')
export class IndicatorComparison {
  @PrimaryColumn({ name: 'indicator_code', type: 'text' })
  indicatorCode: string;

  @PrimaryColumn({ name: 'comparable_code', type: 'text' })
  comparableCode: string;

  @Column({ name: 'caveat_en', type: 'text' })
  caveatEn: string;

  @Column({ name: 'caveat_zh', type: 'text' })
  caveatZh: string;
}
