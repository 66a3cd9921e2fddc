import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const AS_OF_PRECISIONS = ['day', 'month', 'quarter', 'year', 'period'] as const;
export type AsOfPrecision = (typeof AS_OF_PRECISIONS)[number];

export const QUALIFIERS = ['exact', 'about', 'nearly', 'more_than', 'at_least', 'up_to'] as const;
export type Qualifier = (typeof QUALIFIERS)[number];

@Entity('observations')
export class Observation {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ name: 'indicator_code', type: 'text' })
  indicatorCode: string;

  @Column({ name: 'as_of', type: 'date' })
  asOf: string;

  @Column({ name: 'as_of_precision', type: 'text' })
  asOfPrecision: AsOfPrecision;

  @Column({ name: 'as_of_inferred', type: 'boolean' })
  asOfInferred: boolean;

  @Column({ name: 'period_start', type: 'date', nullable: true })
  periodStart: string | null;

  @Column({ type: 'numeric' })
  value: number;

  @Column({ name: 'value_printed', type: 'text' })
  valuePrinted: string;

  @Column({ name: 'unit_printed', type: 'text' })
  unitPrinted: string;

  @Column({ type: 'text' })
  qualifier: Qualifier;

  @Column({ type: 'text', nullable: true })
  reporter: string | null;

  @Column({ name: 'program_id', type: 'text', nullable: true })
  programId: string | null;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ type: 'text' })
  quote: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
