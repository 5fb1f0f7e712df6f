/**
 * Realistic sample facts for every letter type (from the 2020 hundred-day sprint of seed 002),
 * for template previews and `npm run letters:sample`: what a template designer fills in.
 */
import type { LetterHead } from './compose';
import { chineseDate, docNumberText, LETTER_TYPES, type LetterType } from './types';

const ISSUER = { mark: '白城市脱贫攻坚领导小组办公室', abbreviation: '白脱贫办', signature: '白城市脱贫攻坚领导小组办公室' };
const CAMPAIGN = { campaignTitle: '白城市脱贫攻坚“百日冲刺”专项行动', campaignDocNumber: '白脱贫发〔2020〕13号', officeName: '市脱贫攻坚领导小组办公室' };

const ITEMS = [
  { number: '3', content: '开展贫困户住房安全“回头看”，对鉴定为C级、D级危房的立即组织改造', deadline: '2020年10月31日', daysLate: 12, missing: '改造验收佐证材料' },
  { number: '7', content: '完成农村饮水安全工程水质检测全覆盖', deadline: '2020年10月20日', daysLate: 23, missing: '' },
];

export const SAMPLE_FACTS: Record<LetterType, object> = {
  reminder_letter: { ...CAMPAIGN, items: ITEMS.slice(0, 1).map((i) => ({ ...i, daysLate: 0 })), replyBy: '2020年11月6日' },
  urging_letter: { ...CAMPAIGN, items: ITEMS, replyBy: '2020年11月13日' },
  supervision_letter: { ...CAMPAIGN, items: ITEMS, replyBy: '2020年11月20日' },
  bulletin: {
    ...CAMPAIGN,
    seq: 6,
    periodText: '第6期（2020年10月31日至11月6日）',
    asOf: '2020年11月6日',
    totals: { items: 21, closed: 13, completionRate: 61.9, overdue: 3, notReported: 4 },
    ranking: [
      { rank: 1, name: '市住房和城乡建设局', ratingLabel: '好', reasons: '' },
      { rank: 2, name: '市水利局', ratingLabel: '中', reasons: '未报送1项' },
      { rank: 3, name: '洮北区', ratingLabel: '差', reasons: '逾期未完成2项；未报送2项（应报3项）' },
    ],
    laggards: '洮北区',
    listed: '洮北区',
  },
  summons: { ...CAMPAIGN, unitName: '洮北区人民政府', contactUnitName: '白城市农业农村局', poorPeriods: '第5期、第6期', reasons: '逾期未完成2项；未报送2项（应报3项）', items: [] },
  assignment_letter: {
    ...CAMPAIGN,
    unitName: '市住房和城乡建设局',
    count: 2,
    leadCount: 1,
    coCount: 1,
    items: [
      { number: '3', content: ITEMS[0]!.content, deadline: '2020年10月31日', role: '牵头', daysLate: 0, missing: '' },
      { number: '9', content: '完成农村低保、特困人员住房安全保障兜底', deadline: '2020年11月30日', role: '配合', daysLate: 0, missing: '' },
    ],
    replyBy: '2020年9月23日',
  },
  listed_supervision: { ...CAMPAIGN, unitName: '洮北区人民政府', contactUnitName: '白城市农业农村局', poorPeriods: '第5期、第6期', reasons: '逾期未完成2项；未报送2项（应报3项）', replyBy: '2020年11月13日', items: [] },
};

const ADDRESSEE: Record<LetterType, string[]> = {
  reminder_letter: ['市住房和城乡建设局'],
  urging_letter: ['市水利局'],
  supervision_letter: ['市水利局'],
  bulletin: ['各县（市、区）脱贫攻坚领导小组', '市直有关部门'],
  summons: ['洮北区人民政府', '白城市农业农村局'],
  listed_supervision: ['洮北区人民政府'],
  assignment_letter: ['市住房和城乡建设局'],
};

export function sampleHead(type: LetterType): LetterHead {
  return {
    type,
    issuingBodyMark: ISSUER.mark,
    signature: ISSUER.signature,
    docNumber: docNumberText(ISSUER.abbreviation, type, 2020, LETTER_TYPES.indexOf(type) + 12),
    date: chineseDate('2020-11-09'),
    addressees: ADDRESSEE[type],
    cc: type === 'bulletin' || type === 'summons' || type === 'listed_supervision' ? ['市委督查室', '市政府督查室'] : [],
  };
}
