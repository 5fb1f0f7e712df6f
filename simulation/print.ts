/** A simulation's report as text for the terminal: week by week, then per unit; or two policies side by side. */
import type { LetterType } from '../domain/letters/types';
import { LETTER_TYPE_LABELS } from '../domain/letters/types';
import type { SimulationReport } from './report';

const COLS: LetterType[] = ['reminder_letter', 'urging_letter', 'supervision_letter', 'summons', 'listed_supervision', 'bulletin'];
const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
/** Pads by display width: a CJK character takes two columns. */
const width = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);
const pad = (s: string | number, n: number) => {
  const t = String(s);
  return ' '.repeat(Math.max(0, n - width(t))) + t;
};
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export function formatReport(r: SimulationReport, label: string): string {
  const out: string[] = [];
  out.push(`试运行 ${label}: ${r.items} 项，自 ${r.startDate} 起 ${r.days} 天（用时 ${(r.elapsedMs / 1000).toFixed(0)} 秒${r.refused ? `，模型动作被拒 ${r.refused} 次：${Object.entries(r.refusedBy).map(([k, n]) => `${k} ×${n}`).join('，')}` : ''}）`);
  out.push(
    [padEnd('周', 4), padEnd('日期', 24), ...COLS.map((t) => pad(LETTER_TYPE_LABELS[t], 10)), pad('提醒', 6), pad('报送', 6), pad('漏报', 6), pad('销号', 6), pad('逾期', 6), pad('按期率', 8), pad('好/中/差', 10), pad('办公室工作量', 14), '  挂牌'].join(' '),
  );
  for (const w of r.weeks) {
    out.push(
      [
        padEnd(`第${w.week}周`, 4), padEnd(`${w.from}~${w.to.slice(5)}`, 24),
        ...COLS.map((t) => pad(w.letters[t], 10)),
        pad(w.reminders, 6), pad(w.reportsReceived, 6), pad(w.reportsMissed, 6), pad(w.closed, 6), pad(w.overdue, 6), pad(pct(w.onTimeRate), 8),
        pad(`${w.ratings.good}/${w.ratings.fair}/${w.ratings.poor}`, 10),
        pad(`函${w.office.lettersIssued} 审${w.office.reviews} 延${w.office.extensions}`, 14),
        `  ${w.listed.join('、')}`,
      ].join(' '),
    );
  }
  const t = r.totals;
  out.push(`合计：${COLS.map((c) => `${LETTER_TYPE_LABELS[c]} ${t.letters[c]}`).join('，')}；挂牌督办 ${t.listed} 次；已销号 ${t.closed} 项，逾期 ${t.overdue} 项，按期完成率 ${pct(t.onTimeRate)}`);
  const top = r.units.filter((u) => Object.keys(u.letters).length || u.listed).slice(0, 10);
  if (top.length) {
    out.push('函件最多的单位：');
    for (const u of top) out.push(`  ${padEnd(u.name, 28)} ${COLS.filter((c) => u.letters[c]).map((c) => `${LETTER_TYPE_LABELS[c]}${u.letters[c]}`).join(' ')}${u.listed ? `  挂牌${u.listed}次` : ''}`);
  }
  return out.join('\n');
}

export function formatComparison(a: SimulationReport, b: SimulationReport, la: string, lb: string): string {
  const out: string[] = [`两种策略对比（同一批单位、同一行为模型）：A = ${la}，B = ${lb}`];
  out.push([padEnd('周', 6), ...['催办函', '督办函', '约谈', '挂牌', '函件合计', '逾期', '按期率'].map((h) => pad(`${h} A|B`, 16))].join(' '));
  const n = Math.max(a.weeks.length, b.weeks.length);
  const sum = (w: SimulationReport['weeks'][number] | undefined) => (w ? Object.values(w.letters).reduce((x, y) => x + y, 0) : 0);
  for (let i = 0; i < n; i++) {
    const x = a.weeks[i];
    const y = b.weeks[i];
    const pair = (f: (w: NonNullable<typeof x>) => string | number) => pad(`${x ? f(x) : '—'} | ${y ? f(y) : '—'}`, 16);
    out.push(
      [
        padEnd(`第${i + 1}周`, 6),
        pair((w) => w.letters.urging_letter), pair((w) => w.letters.supervision_letter), pair((w) => w.letters.summons),
        pair((w) => w.listed.length), pad(`${sum(x)} | ${sum(y)}`, 16), pair((w) => w.overdue), pair((w) => pct(w.onTimeRate)),
      ].join(' '),
    );
  }
  const tot = (r: SimulationReport) => Object.values(r.totals.letters).reduce((x, y) => x + y, 0);
  out.push(`合计：函件 A ${tot(a)} | B ${tot(b)}；约谈 A ${a.totals.letters.summons} | B ${b.totals.letters.summons}；挂牌 A ${a.totals.listed} | B ${b.totals.listed}；按期完成率 A ${pct(a.totals.onTimeRate)} | B ${pct(b.totals.onTimeRate)}`);
  return out.join('\n');
}
