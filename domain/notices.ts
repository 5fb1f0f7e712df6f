/**
 * The wording of notices (in-app and chat notifications) for reminders, ladder steps, missed
 * reports and look-backs. Official letters (公文) with their own templates come with letters.
 */
import { LADDER_STEP_LABELS, type LadderStepName } from './policy';

export interface NoticeFacts {
  kind: 'reminder' | 'ladder' | 'report_missed' | 'look_back';
  name: string;
  ladderStep: LadderStepName | null;
  itemNumber: string;
  itemContent: string;
  campaignTitle: string;
  deadlineDate: string | null;
  daysLate: number;
}

const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function noticeText(f: NoticeFacts): { title: string; body: string } {
  const item = `“${f.campaignTitle}”第${f.itemNumber}项（${short(f.itemContent)}）`;
  switch (f.kind) {
    case 'reminder':
      return { title: `【到期提醒】第${f.itemNumber}项将于${f.deadlineDate}到期`, body: `${item}整改时限为${f.deadlineDate}，请抓紧推进，按期完成整改并提交销号申请。` };
    case 'ladder': {
      const label = LADDER_STEP_LABELS[f.ladderStep!];
      return {
        title: `【${label}】第${f.itemNumber}项已逾期${f.daysLate}天`,
        body: `${item}整改时限为${f.deadlineDate}，至今未完成销号，已逾期${f.daysLate}天。现发出${label}，请立即整改并报送进展。`,
      };
    }
    case 'report_missed':
      return { title: `【未按期报送】第${f.itemNumber}项进展未报送`, body: `${item}未按规定时间报送进展情况，请立即补报。` };
    case 'look_back':
      return { title: `【回头看】第${f.itemNumber}项到期复查`, body: `${item}已销号，现已到回头看时间，请组织复查整改成效是否巩固。` };
  }
}
