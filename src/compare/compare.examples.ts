/**
 * Worked examples for the OpenAPI document, abbreviated from real responses. A test requests each
 * summary's URL and checks the live response still contains the example, so they cannot drift.
 */
export const COMPARE_EXAMPLES = {
  zhejiangVsJiangsuOutreach: {
    summary: 'GET /v1/compare?regions=330000,320000&indicators=smb_outreach.enterprises_visited,smb_outreach.loans_disbursed_cumulative&lang=en',
    value: {
      align: 'latest-each',
      regions: [
        { code: '330000', name: 'Zhejiang', input: '330000' },
        { code: '320000', name: 'Jiangsu', input: '320000' },
      ],
      rows: [
        {
          indicator: { code: 'smb_outreach.enterprises_visited', unit: 'count', measureType: 'cumulative' },
          pairedWith: [{ code: 'smb_outreach.entities_visited' }],
          cells: [
            {
              region: '330000',
              indicator: 'smb_outreach.enterprises_visited',
              observation: { value: 5960000, valuePrinted: '596', unitPrinted: '万家', asOf: '2026-04-30', asOfInferred: false, display: '5.96 million' },
              rank: 1,
            },
            {
              region: '320000',
              indicator: 'smb_outreach.entities_visited',
              observation: { value: 4940000, valuePrinted: '494', unitPrinted: '万户', asOf: '2026-04-30', asOfInferred: true, display: '4.94 million' },
              rank: 2,
            },
          ],
          summary: { leader: '330000', difference: 1020000, differenceUnit: 'count', ratio: 1.20647773279 },
          warningCodes: ['DEFINITION_MISMATCH', 'INFERRED_DATE'],
        },
        {
          indicator: { code: 'smb_outreach.loans_disbursed_cumulative', unit: 'CNY', measureType: 'cumulative' },
          cells: [
            { region: '330000', observation: { value: 6500000000000, valuePrinted: '6.5', unitPrinted: '万亿元', display: '6.5 trillion yuan' } },
            { region: '320000', observation: { value: 3950000000000, valuePrinted: '3.95', unitPrinted: '万亿元', display: '3.95 trillion yuan' } },
          ],
          summary: { leader: '330000', difference: 2550000000000, differenceUnit: 'CNY', ratio: 1.64556962025 },
          warningCodes: ['INFERRED_DATE'],
        },
      ],
    },
  },
};

export const RANKING_EXAMPLES = {
  provinces: {
    summary: 'GET /v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province&lang=zh',
    value: {
      indicator: { code: 'smb_outreach.loans_disbursed_cumulative', name: '累计发放贷款' },
      entries: [
        { rank: 1, region: { code: '330000', name: '浙江省' }, observation: { value: 6500000000000, display: '6.5万亿元', asOf: '2026-04-30' } },
        { rank: 2, region: { code: '320000', name: '江苏省' }, observation: { value: 3950000000000, display: '3.95万亿元', asOf: '2026-04-30', asOfInferred: true } },
      ],
      nationalBaseline: { value: 12600000000000, display: '12.6万亿元', asOf: '2025-05-31' },
      warnings: [
        { code: 'INFERRED_DATE', message: '江苏省累计发放贷款的日期（2026-04-30）系根据文章推断，原文未注明。', cells: [{ region: '320000' }] },
        {
          code: 'AS_OF_MISMATCH',
          message: '对比基准中国累计发放贷款（2025-05-31）早于浙江省累计发放贷款（2026-04-30）334天：暂无同期中国数据，二者并非同一时点。',
          gapDays: 334,
          cells: [{ region: '330000' }, { region: 'CN' }],
        },
        { code: 'INFERRED_DATE', message: '中国累计发放贷款的日期（2025-05-31）系根据文章推断，原文未注明。', cells: [{ region: 'CN' }] },
      ],
    },
  },
};

export const PILOT_ZONE_EXAMPLES = {
  jinanHefeiJiaxing: {
    summary: 'GET /v1/pilot-zones/compare?zones=370100,340100,330400&lang=en',
    value: {
      zones: [
        { regionCode: '370100', approvalYear: 2021, batch: 1, planDocument: '山东省济南市建设科创金融改革试验区总体方案' },
        { regionCode: '340100', approvalYear: 2022, batch: 2 },
        { regionCode: '330400', approvalYear: 2022, batch: 2 },
      ],
      comparison: {
        rows: [
          {
            indicator: { code: 'pilot_zones.investment_leveraged_cumulative' },
            cells: [{ observation: null }, { observation: { value: 840000000000, display: 'more than 840 billion yuan' } }, { observation: null }],
            warningCodes: ['MISSING', 'APPROXIMATE'],
          },
          { indicator: { code: 'pilot_zones.major_projects_landed' }, warningCodes: ['MISSING'] },
          {
            indicator: { code: 'pilot_zones.plan_target_years' },
            cells: [{ observation: { value: 5, asOf: '2021-12-31' } }, { observation: { value: 5 } }, { observation: { value: 5 } }],
            warningCodes: ['AS_OF_MISMATCH', 'APPROXIMATE'],
          },
          { indicator: { code: 'pilot_zones.state_capital_injected_cumulative' }, warningCodes: ['MISSING', 'APPROXIMATE'] },
        ],
      },
    },
  },
};
