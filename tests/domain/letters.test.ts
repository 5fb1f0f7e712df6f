import { describe, expect, it } from 'vitest';
import { paragraphsOf } from '../../domain/letters/document';
import { CHAR_PITCH_PT, LINE_PITCH_PT, mmToTwips, TEXT_BLOCK_MM } from '../../domain/letters/layout';
import { composeLetter } from '../../domain/letters/compose';
import { bulletinFacts, itemLetterFacts, listingLetterFacts, missingOf } from '../../domain/letters/facts';
import { sampleHead } from '../../domain/letters/samples';
import { DEFAULT_TEMPLATES } from '../../domain/letters/templates';
import { chineseDate, docNumberText, pageNumberText, type LetterType } from '../../domain/letters/types';

describe('公文 conventions', () => {
  it('writes document numbers with 〔〕 and 号, dates without leading zeros, page numbers with dashes', () => {
    expect(docNumberText('白振办', 'reminder_letter', 2023, 12)).toBe('白振办函〔2023〕12号');
    expect(docNumberText('白振办', 'bulletin', 2026, 3)).toBe('白振办通〔2026〕3号');
    expect(() => docNumberText('白振办', 'summons', 2026, 0)).toThrow(/start at 1/);
    expect(chineseDate('2023-07-14')).toBe('2023年7月14日');
    expect(pageNumberText(1)).toBe('— 1 —');
  });

  it('lays out a 156 × 225 mm text block of 22 lines of 28 characters', () => {
    expect(TEXT_BLOCK_MM).toEqual({ width: 156, height: 225 });
    expect(LINE_PITCH_PT).toBeCloseTo(28.99, 1);
    expect(CHAR_PITCH_PT).toBeCloseTo(15.79, 1);
    expect(mmToTwips(37)).toBe(2098);
  });

  it('reads paragraphs and their heading levels from template output', () => {
    expect(paragraphsOf('各有关单位：\n\n一、总体情况\n\n截至11月6日，\n共有任务5项。\n\n（一）好\n\n1. 老旧小区改造')).toEqual([
      { level: 0, text: '各有关单位：' },
      { level: 1, text: '一、总体情况' },
      { level: 0, text: '截至11月6日，共有任务5项。' },
      { level: 2, text: '（一）好' },
      { level: 3, text: '1. 老旧小区改造' },
    ]);
  });
});

describe('the built-in wording says every letter the system issues', () => {
  const campaign = { campaignTitle: '百日攻坚行动', campaignDocNumber: null, officeName: '市整改办' };
  const items = [{ number: '7', content: '老旧小区雨污分流改造', deadlineDate: '2026-11-04', daysLate: 3, missing: missingOf({ lastReportAt: null, progressPercent: 0, status: 'assigned' }) }];
  const head = (type: LetterType) => ({ ...sampleHead(type), docNumber: '测办函〔2026〕1号' });

  it.each(['reminder_letter', 'urging_letter', 'supervision_letter', 'summons'] as const)('%s for an overdue item (a ladder step)', (type) => {
    const doc = composeLetter(DEFAULT_TEMPLATES[type], itemLetterFacts(campaign, '市住建局', items, '2026-11-10'), head(type));
    const text = doc.paragraphs.map((p) => p.text).join('\n');
    expect(text).toContain('老旧小区雨污分流改造');
    expect(text).toContain('2026年11月4日');
    expect(text).not.toContain('连续评定为');
  });

  it.each(['summons', 'listed_supervision'] as const)('%s for a unit rated 差 twice (a listing)', (type) => {
    const doc = composeLetter(DEFAULT_TEMPLATES[type], listingLetterFacts(campaign, '洮北区', [3, 4], ['逾期未完成2项'], '2026-11-10'), head(type));
    const text = doc.paragraphs.map((p) => p.text).join('\n');
    expect(text).toContain('第3期、第4期连续评定为“差”（逾期未完成2项）');
    expect(doc.title).toContain('洮北区');
  });

  it('bulletin from a dispatch sheet: ranking, laggards, listed units', () => {
    const row = (unitId: string, name: string, rank: number, rating: 'good' | 'fair' | 'poor', reasons: string[]) =>
      ({ unitId, name, rank, rating, ratingLabel: { good: '好', fair: '中', poor: '差' }[rating], reasons }) as never;
    const sheet = {
      seq: 3,
      periodStart: '2026-11-13T16:00:00.000Z',
      periodEnd: '2026-11-20T16:00:00.000Z',
      totals: { items: 5, closed: 2, overdue: 2, notReported: 1, completionRate: 40 } as never,
      units: [row('c', '洮北区', 3, 'poor', ['逾期未完成2项']), row('a', '市住建局', 1, 'good', []), row('b', '市水利局', 2, 'fair', ['未报送1项'])],
    };
    const doc = composeLetter(DEFAULT_TEMPLATES.bulletin, bulletinFacts(campaign, sheet, ['洮北区']), head('bulletin'));
    const text = doc.paragraphs.map((p) => p.text).join('\n');
    expect(doc.title).toBe('关于百日攻坚行动推进情况的通报（第3期）');
    expect(text).toContain('第3期（2026年11月14日至2026年11月20日）');
    expect(text.indexOf('1. 市住建局：好')).toBeLessThan(text.indexOf('3. 洮北区：差（逾期未完成2项）'));
    expect(text).toContain('洮北区等单位评定为“差”');
    expect(text).toContain('洮北区已被挂牌督办');
  });
});
