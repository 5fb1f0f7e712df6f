import { describe, expect, it } from 'vitest';
import { parseHolidayNotice } from '../../domain/holiday-notice';

// The 2026 notice (国办发明电〔2025〕7号), as offices paste it.
const NOTICE_2026 = `国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。`;

describe('the State Council holiday notice, read from its text', () => {
  it('reads every holiday with its days off and its worked weekend days', () => {
    const n = parseHolidayNotice(NOTICE_2026, 2026);
    expect(n.problems).toEqual([]);
    expect(n.holidays).toEqual([
      { from: '2026-01-01', to: '2026-01-03', name: '元旦' },
      { from: '2026-02-15', to: '2026-02-23', name: '春节' },
      { from: '2026-04-04', to: '2026-04-06', name: '清明节' },
      { from: '2026-05-01', to: '2026-05-05', name: '劳动节' },
      { from: '2026-06-19', to: '2026-06-21', name: '端午节' },
      { from: '2026-09-25', to: '2026-09-27', name: '中秋节' },
      { from: '2026-10-01', to: '2026-10-07', name: '国庆节' },
    ]);
    expect(n.workdays).toEqual([
      { date: '2026-01-04', name: '元旦' },
      { date: '2026-02-14', name: '春节' },
      { date: '2026-02-28', name: '春节' },
      { date: '2026-05-09', name: '劳动节' },
      { date: '2026-09-20', name: '国庆节' },
      { date: '2026-10-10', name: '国庆节' },
    ]);
  });

  it('reads a range across new year (its days in the notice’s year), a single day off, and a month carried to the next date', () => {
    const n = parseHolidayNotice('一、元旦：12月31日至1月2日放假调休，共3天。\n二、端午节：6月19日（周五）放假，与周末连休。\n三、春节：2月6日至12日放假调休，共7天。2月14日、28日上班。', 2027);
    expect(n.problems).toEqual([]);
    expect(n.holidays).toEqual([
      { from: '2027-01-01', to: '2027-01-02', name: '元旦' },
      { from: '2027-06-19', name: '端午节' },
      { from: '2027-02-06', to: '2027-02-12', name: '春节' },
    ]);
    expect(n.workdays).toEqual([
      { date: '2027-02-14', name: '春节' },
      { date: '2027-02-28', name: '春节' },
    ]);
  });

  it('takes worked days from the clause that ends in 上班 only', () => {
    const n = parseHolidayNotice('一、元旦：1月1日至3日放假调休，共3天。其中，1月1日为法定节假日，1月4日（周日）上班。', 2027);
    expect(n.workdays).toEqual([{ date: '2027-01-04', name: '元旦' }]);
  });

  it('says what it cannot read instead of guessing', () => {
    expect(parseHolidayNotice('放假安排另行通知', 2027).problems[0]).toContain('编号段落');
    expect(parseHolidayNotice('一、春节：另行通知。', 2027).problems).toEqual(['“春节”：未找到放假日期']);
    expect(parseHolidayNotice('一、春节：2月30日至31日放假。', 2027).problems[0]).toContain('放假日期无效');
    expect(parseHolidayNotice('一、春节2月6日至12日放假。', 2027).problems[0]).toContain('未能读出节日名称');
    expect(parseHolidayNotice('一、春节：2月6日至12日放假。2月8日上班。', 2027).problems).toEqual(['“春节”：2027-02-08既是放假日又是上班日']);
    expect(parseHolidayNotice('一、春节：2028年2月6日至12日放假。', 2027).problems[0]).toContain('不在2027年内');
  });
});
