import { decorate, displayFigure, formatValue } from '../../src/http/display.js';
import { requestLanguage } from '../../src/http/language.js';

describe('display forms', () => {
  it.each([
    [6.5e12, 'CNY', 'en', '6.5 trillion yuan'],
    [6.5e12, 'CNY', 'zh', '6.5万亿元'],
    [10_870_000_000, 'CNY', 'en', '10.87 billion yuan'],
    [10_870_000_000, 'CNY', 'zh', '108.7亿元'],
    [5_960_000, 'count', 'en', '5.96 million'],
    [5_960_000, 'count', 'zh', '596万'],
    [24.6644295302, 'percent', 'en', '24.66%'],
    [6.3, 'percentage_points', 'zh', '6.3个百分点'],
    [5, 'year', 'en', '5 years'],
  ] as const)('formats %d %s in %s as %s', (value, unit, language, text) => {
    expect(formatValue(value, unit, language)).toBe(text);
  });

  it('keeps the printed form in Chinese and words in English, with the qualifier', () => {
    const figure = { id: 1, value: 6.7e7, unit: 'count' as const, qualifier: 'more_than' as const, valuePrinted: '6700', unitPrinted: '万户' };
    expect(displayFigure(figure, 'zh')).toBe('超6700万户');
    expect(displayFigure(figure, 'en')).toBe('more than 67 million');
  });

  it.each([
    [undefined, 'zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    [undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, undefined, 'en'],
    [undefined, 'fr-FR', 'en'],
    [undefined, '*', 'en'],
    // q-values decide, not the order: English at 0.1 loses to Chinese at 1.
    [undefined, 'en;q=0.1, zh', 'zh'],
    [undefined, 'zh-Hant-TW;q=0.5, en;q=0.4', 'zh'],
    ['zh', 'en', 'zh'],
    ['zh-CN', undefined, 'zh'],
    ['zh-Hans', 'en', 'zh'],
    ['en-US', 'zh', 'en'],
    ['EN_gb', 'zh', 'en'],
  ])('takes lang=%s with Accept-Language %s as %s', (lang, header, language) => {
    expect(requestLanguage(lang, header ? { 'accept-language': header } : {})).toBe(language);
  });

  it('adds name, display and scaled without touching value', () => {
    const body = {
      region: { nameZh: '浙江省', nameEn: 'Zhejiang' },
      observation: { id: 1, value: 6.5e12, unit: 'CNY', qualifier: 'exact', valuePrinted: '6.5', unitPrinted: '万亿元' },
      count: { value: 3, unit: 'count', qualifier: 'exact' },
    };
    expect(decorate(body, { language: 'zh', normalizeTo: '亿元' })).toEqual({
      region: { nameZh: '浙江省', nameEn: 'Zhejiang', name: '浙江省' },
      observation: { ...body.observation, display: '6.5万亿元', scaled: { value: 65000, unit: '亿元' } },
      count: { ...body.count, display: '3' },
    });
  });
});
