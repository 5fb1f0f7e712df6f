import { describe, expect, it } from 'vitest';
import { resolveDeadlinePhrase } from '../../domain/deadline-phrase';
import { expandCounties, splitUnitList } from '../../domain/unit-list';

const sprint = { startDate: '2020-09-22' };

describe('deadline phrases', () => {
  it.each([
    ['2020-10-31', '2020-10-31'],
    ['2020年10月31日', '2020-10-31'],
    ['8月15日前', '2021-08-15'], // before the campaign's start month: next year
    ['10月底前', '2020-10-31'],
    ['10月中旬前', '2020-10-20'],
    ['10月上旬前', '2020-10-10'],
    ['10月下旬', '2020-10-31'],
    ['11月份', '2020-11-30'],
    ['2月底前', '2021-02-28'],
    ['12月31日前', '2020-12-31'],
  ])('"%s" → %s', (phrase, date) => {
    expect(resolveDeadlinePhrase(phrase, sprint)).toMatchObject({ kind: 'time_limited', deadline: date, shown: date });
  });

  it('reads working days, immediate and long-term items', () => {
    expect(resolveDeadlinePhrase('15个工作日内', sprint)).toMatchObject({ kind: 'time_limited', deadline: '15WD' });
    expect(resolveDeadlinePhrase('立行立改', sprint)).toMatchObject({ kind: 'immediate', deadline: '5WD' });
    expect(resolveDeadlinePhrase('长期坚持', sprint)).toMatchObject({ kind: 'long_term', deadline: null });
  });

  it('explains what it cannot read', () => {
    expect(resolveDeadlinePhrase('尽快', sprint)).toMatchObject({ error: expect.stringContaining('cannot read "尽快"') });
    expect(resolveDeadlinePhrase('2月30日前', sprint)).toMatchObject({ error: expect.stringContaining('no such date') });
    expect(resolveDeadlinePhrase('13月底前', sprint)).toMatchObject({ error: expect.stringContaining('no month 13') });
  });
});

describe('unit lists', () => {
  it('splits a document list and drops the closing formula', () => {
    expect(splitUnitList('各县市区，市住建局、市水利局、市医保局等按职责分工负责落实')).toEqual(['各县市区', '市住建局', '市水利局', '市医保局']);
    expect(splitUnitList('市扶贫办负责落实')).toEqual(['市扶贫办']);
    expect(splitUnitList('各县市区具体落实')).toEqual(['各县市区']);
  });

  it('expands 各县市区 to every county-level unit', () => {
    expect(expandCounties(['各县市区', '市住建局'], ['洮北区', '洮南市'])).toEqual(['洮北区', '洮南市', '市住建局']);
    expect(expandCounties(['各县（市、区）'], ['洮北区'])).toEqual(['洮北区']);
  });
});
