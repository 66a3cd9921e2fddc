import { officialRegions } from '../../src/seed/gbt2260.js';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';

const catalog = readSeedCatalog();

// Every region the seed holds, written out by hand from GB/T 2260 (not read from the package the
// loader uses), so a wrong code, name, level or parent in either fails here.
const EXPECTED: [code: string, nameZh: string, level: string, parentCode: string | null][] = [
  ['CN', '中国', 'nation', null],
  ['110000', '北京市', 'province', 'CN'],
  ['310000', '上海市', 'province', 'CN'],
  ['320000', '江苏省', 'province', 'CN'],
  ['320100', '南京市', 'city', '320000'],
  ['320500', '苏州市', 'city', '320000'],
  ['330000', '浙江省', 'province', 'CN'],
  ['330100', '杭州市', 'city', '330000'],
  ['330300', '温州市', 'city', '330000'],
  ['330326', '平阳县', 'district', '330300'],
  ['330400', '嘉兴市', 'city', '330000'],
  ['330600', '绍兴市', 'city', '330000'],
  ['340000', '安徽省', 'province', 'CN'],
  ['340100', '合肥市', 'city', '340000'],
  ['370000', '山东省', 'province', 'CN'],
  ['370100', '济南市', 'city', '370000'],
  ['410000', '河南省', 'province', 'CN'],
  ['410100', '郑州市', 'city', '410000'],
  ['440000', '广东省', 'province', 'CN'],
  ['440100', '广州市', 'city', '440000'],
  ['510000', '四川省', 'province', 'CN'],
  ['510100', '成都市', 'city', '510000'],
];

describe('regions (GB/T 2260)', () => {
  it('holds exactly the regions written out above, with their official names, levels and parents', () => {
    expect(catalog.regions.map((r) => [r.code, r.nameZh, r.level, r.parentCode])).toEqual(EXPECTED);
  });

  it.each(EXPECTED.filter(([code]) => code !== 'CN'))('finds %s (%s) in the GB/T 2260 package', (code, nameZh, level, parentCode) => {
    expect(officialRegions().get(code)).toEqual({ code, nameZh, level, parentCode });
  });

  it('hangs a district of a municipality directly under the municipality', () => {
    // 上城区 of 杭州 has a city above it; 东城区 of 北京 does not (the package has no city level there).
    expect(officialRegions().get('330102')).toMatchObject({ nameZh: '上城区', level: 'district', parentCode: '330100' });
    expect(officialRegions().get('110101')).toMatchObject({ nameZh: '东城区', level: 'district', parentCode: '110000' });
  });

  it('includes every region that has a figure, a program or a pilot zone, and all their parents', () => {
    const byCode = new Map(catalog.regions.map((r) => [r.code, r]));
    const used = [...catalog.observations.map((o) => o.region), ...catalog.programs.map((p) => p.region), ...catalog.pilotZones.map((z) => z.region)];
    for (const code of used) {
      let region = byCode.get(code);
      expect(region).toBeDefined();
      while (region && region.parentCode) {
        expect(byCode.has(region.parentCode)).toBe(true);
        region = byCode.get(region.parentCode);
      }
      expect(region?.code).toBe('CN');
    }
  });

  it('has an English name for every region', () => {
    expect(catalog.regions.find((r) => r.code === '330326')?.nameEn).toBe('Pingyang');
    for (const region of catalog.regions) expect(region.nameEn).toMatch(/^[A-Z][A-Za-z' -]+$/);
  });
});
