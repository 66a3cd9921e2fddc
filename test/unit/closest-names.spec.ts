import { closestNames, editDistance } from '../../src/errors/closest-names.js';

describe('closest names', () => {
  it('measures edits', () => {
    expect(editDistance('asof', 'asOf')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('lnag', 'lang')).toBe(1);
  });

  it('suggests the parameter a person meant', () => {
    const known = ['asOf', 'from', 'indicator', 'latest', 'page', 'pageSize', 'region', 'sort', 'to', 'topic'];
    expect(closestNames('asof', known)).toEqual(['asOf']);
    expect(closestNames('regions', known)).toEqual(['region']);
    expect(closestNames('page_size', known)[0]).toBe('pageSize');
    expect(closestNames('colour', known)).toEqual([]);
  });

  it('matches names that contain the input', () => {
    expect(closestNames('杭州', ['杭州市', '湖州市', '浙江省'])).toEqual(['杭州市']);
  });
});
