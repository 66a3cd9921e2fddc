/** Zhejiang's enterprises visited beside Jiangsu's: the read the cache and replica tests watch change. */
export const COMPARE_VISITED = '/v1/compare?regions=330000,320000&indicators=smb_outreach.enterprises_visited';

/** The April 2026 figure of Zhejiang's enterprises visited, re-sent as `printed` 万家. */
export const visitedRow = (printed: number) => ({
  region: '330000',
  indicator: 'smb_outreach.enterprises_visited',
  asOf: '2026-04-30',
  asOfPrecision: 'month',
  asOfInferred: false,
  value: printed * 1e4,
  valuePrinted: String(printed),
  unitPrinted: '万家',
  qualifier: 'exact',
  source: '002_caa4a03adb5becde',
  quote: '截至2026年4月末，浙江已组织走访企业596万家，纳入推荐清单数量172万家，其中147万家已获得授信支持，累放贷款6.5万亿元',
});

/** Zhejiang's value in a COMPARE_VISITED response. */
export const zhejiangVisited = (body: { rows: { cells: { observation: { value: number } }[] }[] }) => body.rows[0].cells[0].observation.value;
