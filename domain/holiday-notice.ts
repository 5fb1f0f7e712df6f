/**
 * The State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知), read from
 * its text as offices paste it: each numbered paragraph names a holiday, its days off ("1月1日（周四）
 * 至3日（周六）放假调休，共3天") and the weekend days worked instead ("1月4日（周日）上班"). The
 * result is what `POST /calendar/versions` takes — days of the notice's own year only (a 元旦 that
 * starts on 31 December of the year before keeps its days in this year). Anything the reader
 * cannot place is reported, never guessed. Pure.
 */
import { isValidDate, type DateStr } from './time';

export interface ParsedNotice {
  holidays: { from: DateStr; to?: DateStr; name: string }[];
  workdays: { date: DateStr; name: string }[];
  problems: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const NUMBERED = /(?:^|\n|。)\s*[一二三四五六七八九十]+、/g;
/** 2月14日, 2027年2月14日, or 28日 after a date of the same month (the weekday in brackets ignored). */
const DAY = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日/g;

/** The dates of a phrase, each month carried over to a following "28日". */
function datesIn(phrase: string, year: number): DateStr[] {
  let month: number | null = null;
  const out: DateStr[] = [];
  for (const d of phrase.matchAll(DAY)) {
    if (d[2]) month = Number(d[2]);
    if (month === null) continue;
    out.push(`${d[1] ? Number(d[1]) : year}-${pad(month)}-${pad(Number(d[3]))}`);
  }
  return out;
}

export function parseHolidayNotice(text: string, year: number): ParsedNotice {
  const out: ParsedNotice = { holidays: [], workdays: [], problems: [] };
  const starts = [...text.matchAll(NUMBERED)].map((m) => m.index! + m[0].length);
  if (!starts.length) {
    out.problems.push('未找到“一、”“二、”等编号段落：请粘贴通知正文');
    return out;
  }
  const inYear = (d: DateStr) => d.startsWith(`${year}-`);
  const sections = starts.map((s, i) => text.slice(s, i + 1 < starts.length ? starts[i + 1] : text.length).replace(/\s+/g, ''));
  for (const section of sections) {
    const colon = section.search(/[：:]/);
    if (colon < 1 || colon > 20) {
      // Not a holiday paragraph (closing remarks) — unless it speaks of days off: then say so.
      if (section.includes('放假')) out.problems.push(`“${section.slice(0, 12)}…”：未能读出节日名称（应为“节日：日期放假”）`);
      continue;
    }
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
    const tail = /至(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日/.exec(head.slice(first.index + first[0].length));
    const m1 = Number(first[2]);
    const m2 = tail?.[2] ? Number(tail[2]) : m1;
    // A range written across new year (元旦 from 12月31日) belongs to the year it ends in.
    const wraps = tail !== null && m2 < m1;
    const y1 = first[1] ? Number(first[1]) : wraps ? year - 1 : year;
    const y2 = tail?.[1] ? Number(tail[1]) : wraps ? y1 + 1 : y1;
    let from = `${y1}-${pad(m1)}-${pad(Number(first[3]))}`;
    const to = tail ? `${y2}-${pad(m2)}-${pad(Number(tail[3]))}` : undefined;
    if (!isValidDate(from) || (to && (!isValidDate(to) || to < from))) {
      out.problems.push(`“${name}”：放假日期无效（${from}${to ? `至${to}` : ''}）`);
      continue;
    }
    if (!inYear(from) && to && inYear(to)) from = `${year}-01-01`;
    if (!inYear(from) || (to && !inYear(to))) {
      out.problems.push(`“${name}”：放假日期（${from}${to ? `至${to}` : ''}）不在${year}年内`);
      continue;
    }
    out.holidays.push(to && to !== from ? { from, to, name } : { from, name });
    // Worked weekend days: the dates of the clause that ends in 上班 (not the days off repeated elsewhere).
    for (const clause of rest.slice(off).split(/[。；;，,]/)) {
      const at = clause.lastIndexOf('上班');
      if (at < 0) continue;
      for (const date of datesIn(clause.slice(0, at), year)) {
        if (!isValidDate(date) || !inYear(date)) out.problems.push(`“${name}”：上班日期无效或不在${year}年内（${date}）`);
        else if (date >= from && date <= (to ?? from)) out.problems.push(`“${name}”：${date}既是放假日又是上班日`);
        else out.workdays.push({ date, name });
      }
    }
  }
  if (!out.holidays.length && !out.problems.length) out.problems.push('未读出任何节假日安排');
  return out;
}
