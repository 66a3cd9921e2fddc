import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DATE_PRECISIONS = ['day', 'month', 'quarter', 'year'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

@Entity('sources')
export class Source {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ type: 'text' })
  headline: string;

  @Column({ type: 'text' })
  publisher: string;

  @Column({ name: 'published_on', type: 'date' })
  publishedOn: string;

  @Column({ name: 'published_precision', type: 'text' })
  publishedPrecision: DatePrecision;

  @Column({ name: 'published_inferred', type: 'boolean' })
  publishedInferred: boolean;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
