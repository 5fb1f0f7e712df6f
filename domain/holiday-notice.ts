/**
 * The State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知), read from
 * its text as offices paste it: each numbered paragraph names a holiday, its days off ("1月1日（周四）
 * 至3日（周六）放假调休，共3天") and the weekend days worked instead ("1月4日（周日）上班"). The
 * result is what `POST /calendar/versions` takes; anything the reader cannot place is reported,
 * never guessed. Pure.
 */
import { isValidDate, type DateStr } from './time';

export interface ParsedNotice {
  holidays: { from: DateStr; to?: DateStr; name: string }[];
  workdays: { date: DateStr; name: string }[];
  problems: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const NUMBERED = /(?:^|\n|。)\s*[一二三四五六七八九十]+、/g;
/** 1月1日, 2027年1月1日 (the weekday in brackets ignored). */
const DAY = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/g;

export function parseHolidayNotice(text: string, year: number): ParsedNotice {
  const out: ParsedNotice = { holidays: [], workdays: [], problems: [] };
  const starts = [...text.matchAll(NUMBERED)].map((m) => m.index! + m[0].length);
  if (!starts.length) {
    out.problems.push('未找到“一、”“二、”等编号段落：请粘贴通知正文');
    return out;
  }
  const sections = starts.map((s, i) => text.slice(s, i + 1 < starts.length ? starts[i + 1] : text.length).replace(/\s+/g, ''));
  for (const section of sections) {
    const colon = section.search(/[：:]/);
    if (colon < 1 || colon > 20) continue; // not a holiday paragraph (e.g. the closing remarks)
    const name = section.slice(0, colon);
    const rest = section.slice(colon + 1);
    const off = rest.search(/放假/);
    if (off < 0) {
      out.problems.push(`“${name}”：未找到放假日期`);
      continue;
    }
    // Days off: the first date, and "至[M月]D日" after it.
    const head = rest.slice(0, off);
    const first = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/.exec(head);
    if (!first) {
      out.problems.push(`“${name}”：未能读出放假日期`);
      continue;
    }
    const y1 = first[1] ? Number(first[1]) : year;
    const from = `${y1}-${pad(Number(first[2]))}-${pad(Number(first[3]))}`;
    const tail = /至(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日/.exec(head.slice(first.index + first[0].length));
    let to: string | undefined;
    if (tail) {
      const m2 = tail[2] ? Number(tail[2]) : Number(first[2]);
      // A range into January of the next year (元旦 from 12月31日) without the year written.
      const y2 = tail[1] ? Number(tail[1]) : m2 < Number(first[2]) ? y1 + 1 : y1;
      to = `${y2}-${pad(m2)}-${pad(Number(tail[3]))}`;
    }
    if (!isValidDate(from) || (to && (!isValidDate(to) || to < from))) {
      out.problems.push(`“${name}”：放假日期无效（${from}${to ? `至${to}` : ''}）`);
      continue;
    }
    out.holidays.push(to && to !== from ? { from, to, name } : { from, name });
    // Worked weekend days: every date in the sentence(s) that end in 上班.
    for (const sentence of rest.slice(off).split('。')) {
      if (!sentence.includes('上班')) continue;
      for (const d of sentence.slice(0, sentence.lastIndexOf('上班')).matchAll(DAY)) {
        const date = `${d[1] ? Number(d[1]) : year}-${pad(Number(d[2]))}-${pad(Number(d[3]))}`;
        if (isValidDate(date)) out.workdays.push({ date, name });
        else out.problems.push(`“${name}”：上班日期无效（${date}）`);
      }
    }
  }
  if (!out.holidays.length && !out.problems.length) out.problems.push('未读出任何节假日安排');
  return out;
}
