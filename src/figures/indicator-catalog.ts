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

  constructor(
    readonly indicators: IndicatorInfo[],
    private readonly pairs: (Pairing & { of: string })[],
  ) {
    this.byCode = new Map(indicators.map((i) => [i.code, i]));
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

  /**
   * The indicators comparable with each of the given codes, the closest first: a variant of the same
   * series (scitech_sme_loan_balance_provincial of scitech_sme_loan_balance) before a related one.
   */
  pairings(codes: string[]): Map<string, Pairing[]> {
    const wanted = new Set(codes);
    const map = new Map<string, Pairing[]>();
    for (const { of, ...pairing } of this.pairs) if (wanted.has(of)) map.set(of, [...(map.get(of) ?? []), pairing]);
    const variant = (of: string, code: string) => code.startsWith(`${of}_`) || of.startsWith(`${code}_`);
    for (const [of, pairings] of map) pairings.sort((a, b) => Number(variant(of, b.code)) - Number(variant(of, a.code)));
    return map;
  }
}
