/**
 * `count` daily figures of Zhejiang's enterprises visited, from `firstDay` (a UTC date) on, printing
 * `printed(i)` 万家 each: synthetic batch rows for load, fault and benchmark runs.
 */
export function dailyVisitedRows(count: number, firstDay: string, printed: (i: number) => number, label: string) {
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => ({
    region: '330000',
    indicator: 'smb_outreach.enterprises_visited',
    asOf: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    asOfPrecision: 'day',
    asOfInferred: false,
    value: printed(i) * 1e4,
    valuePrinted: String(printed(i)),
    unitPrinted: '万家',
    qualifier: 'exact',
    source: '002_caa4a03adb5becde',
    quote: `${label} row ${i}`,
  }));
}
