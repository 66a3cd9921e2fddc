import { officialRegions } from '../../src/seed/gbt2260.js';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';

const catalog = readSeedCatalog();
const byCode = new Map(catalog.regions.map((r) => [r.code, r]));

describe('regions (GB/T 2260)', () => {
  it.each([
    ['110000', '北京市', 'province'],
    ['310000', '上海市', 'province'],
    ['320000', '江苏省', 'province'],
    ['320100', '南京市', 'city'],
    ['320500', '苏州市', 'city'],
    ['330000', '浙江省', 'province'],
    ['330100', '杭州市', 'city'],
    ['330400', '嘉兴市', 'city'],
    ['340100', '合肥市', 'city'],
    ['370100', '济南市', 'city'],
  ])('knows %s as %s (%s)', (code, nameZh, level) => {
    expect(officialRegions().get(code)).toMatchObject({ code, nameZh, level });
    expect(byCode.get(code)).toMatchObject({ code, nameZh, level });
  });

  it('takes every seeded name, level and parent from the GB/T 2260 package', () => {
    for (const region of catalog.regions.filter((r) => r.code !== 'CN')) {
      const official = officialRegions().get(region.code)!;
      expect(region).toEqual({ ...official, nameEn: region.nameEn });
      const expectedLevel = region.code.endsWith('0000') ? 'province' : region.code.endsWith('00') ? 'city' : 'district';
      expect(region.level).toBe(expectedLevel);
    }
  });

  it('includes every region that has a figure, a program or a pilot zone, and all their parents', () => {
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
    for (const region of catalog.regions) expect(region.nameEn).toMatch(/^[A-Z][A-Za-z' -]+$/);
  });
});
