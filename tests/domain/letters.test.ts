import { describe, expect, it } from 'vitest';
import { paragraphsOf } from '../../domain/letters/document';
import { CHAR_PITCH_PT, LINE_PITCH_PT, mmToTwips, TEXT_BLOCK_MM } from '../../domain/letters/layout';
import { chineseDate, docNumberText, pageNumberText } from '../../domain/letters/types';

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
