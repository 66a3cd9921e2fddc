import type { IndicatorKind, MeasureType, Unit } from '../catalog/schema.js';

export interface IndicatorInfo {
  code: string;
  nameZh: string;
  nameEn: string;
  topic: string;
  unit: Unit;
  measureType: MeasureType;
  kind: IndicatorKind;
  numerator: string | null;
  denominator: string | null;
}

/** An indicator that may stand in for another, and why the two differ. */
export interface Pairing {
  code: string;
  caveatEn: string;
  caveatZh: string;
}

/** The indicators (by topic and code) and which may be compared with which, as read once per data version. */
export class IndicatorCatalog {
  private readonly byCode: Map<string, IndicatorInfo>;
  private readonly pairingsOf = new Map<string, Pairing[]>();

  constructor(
    readonly indicators: IndicatorInfo[],
    pairs: (Pairing & { of: string })[],
  ) {
    this.byCode = new Map(indicators.map((i) => [i.code, i]));
    for (const { of, ...pairing } of pairs) this.pairingsOf.set(of, [...(this.pairingsOf.get(of) ?? []), pairing]);
    // The closest first: a variant of the same series (scitech_sme_loan_balance_provincial of scitech_sme_loan_balance) before a related one.
    const variant = (of: string, code: string) => code.startsWith(`${of}_`) || of.startsWith(`${code}_`);
    for (const [of, pairings] of this.pairingsOf) pairings.sort((a, b) => Number(variant(of, b.code)) - Number(variant(of, a.code)));
  }

  get(code: string): IndicatorInfo | undefined {
    return this.byCode.get(code);
  }

  /** The indicators of a topic (all, without one), by topic and code: measured ones first where `kind` asks for them. */
  of(topic?: string, kind?: IndicatorKind): IndicatorInfo[] {
    return this.indicators.filter((i) => (!topic || i.topic === topic) && (!kind || i.kind === kind));
  }

  /** Metadata of codes known to exist, in their order. */
  info(codes: string[]): Map<string, IndicatorInfo> {
    return new Map(codes.map((c) => [c, this.byCode.get(c)!]));
  }

  /** The indicators comparable with this one, the closest first. */
  pairings(code: string): Pairing[] {
    return this.pairingsOf.get(code) ?? [];
  }
}
