/**
 * An official document as structure: what the renderers lay out. Built from a template's text
 * and the letter's facts; paragraphs know their level (GB/T 9704: 一、 黑体; （一） 楷体; 1. 仿宋).
 */
import type { DocFormat } from './types';

export interface DocParagraph {
  /** 0: body text; 1: "一、" heading; 2: "（一）" heading; 3: "1." heading. */
  level: 0 | 1 | 2 | 3;
  text: string;
}

export interface OfficialDocument {
  /**
   * GB/T 9704-2012 layout: 'letter' (信函格式, §10.1: mark 30 mm from the page top between red
   * double rules, the number top right, no page number on page 1, a 版记 of 抄送 only) or
   * 'document' (文件格式: mark 35 mm into the text block, the number centred over a red rule,
   * 版记 of 抄送 and 印发 between rules). Absent: 'document'.
   */
  format?: DocFormat;
  /** 份号, 密级和保密期限, 紧急程度: top left of page 1 when given. */
  copyNumber?: string;
  secrecy?: string;
  urgency?: string;
  /** 发文机关标志: the issuing body's full name, printed red at the top. */
  issuingBodyMark: string;
  /** 发文字号, e.g. 白振办函〔2023〕12号. */
  docNumber: string;
  title: string;
  /** 主送机关. */
  addressees: string[];
  paragraphs: DocParagraph[];
  /** 发文机关署名. */
  signature: string;
  /** 成文日期, e.g. 2023年7月14日. */
  date: string;
  /** 抄送机关. */
  cc: string[];
  /** 印发机关 and 印发日期 (版记). */
  printedBy: string;
  printedDate: string;
}

const LEVEL_1 = /^[一二三四五六七八九十]+、/;
const LEVEL_2 = /^（[一二三四五六七八九十]+）/;
const LEVEL_3 = /^\d+[.．]\s*/;

/** Template output → paragraphs: split on blank lines, trim, drop empties, detect heading levels. */
export function paragraphsOf(text: string): DocParagraph[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, '').trim())
    .filter((p) => p.length > 0)
    .map((p) => ({ level: LEVEL_1.test(p) ? 1 : LEVEL_2.test(p) ? 2 : LEVEL_3.test(p) ? 3 : 0, text: p }));
}
