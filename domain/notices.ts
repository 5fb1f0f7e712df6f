/**
 * The wording of notices (in-app and chat notifications) for reminders, ladder steps, missed
 * reports and look-backs. Official letters (公文) with their own templates come with letters.
 */
import { LADDER_STEP_LABELS, type LadderStepName } from './policy';
import { periodsText, type RatingBasis } from './cadences';

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

export interface ListingFacts {
  kind: 'listed_supervision' | 'summons' | 'delisted';
  campaignTitle: string;
  unitName: string;
  /** The 差 periods that listed the unit (listing, summons). */
  poorPeriods: number[];
  /** What the periods are: dispatch periods (第N期, the default) or evaluations (第N次考评). */
  basis?: RatingBasis;
  reasons: string[];
  /** The unit's 联系部门, summoned with it (双约谈), if it has one. */
  contactUnitName?: string | null;
  /** Taken off by rule (two 好 periods) or by the office, with its reason. */
  delistedBy?: 'rule' | string;
  delistReason?: string | null;
}

export function listingNoticeText(f: ListingFacts): { title: string; body: string } {
  const basis = f.basis ?? 'dispatch';
  const periods = periodsText(f.poorPeriods, basis);
  const ratedIn = basis === 'evaluation' ? '' : '调度中';
  switch (f.kind) {
    case 'listed_supervision':
      return {
        title: `【挂牌督办】${f.unitName}`,
        body: `${f.unitName}在“${f.campaignTitle}”${ratedIn}${periods}连续评为“差”${f.reasons.length ? `（${f.reasons.join('；')}）` : ''}，现予挂牌督办。请对照问题清单逐项整改，每周报送整改进展，直至摘牌。`,
      };
    case 'summons':
      if (f.contactUnitName) {
        return {
          title: `【约谈通知】${f.unitName}和${f.contactUnitName}主要负责同志`,
          body: `因${f.unitName}在“${f.campaignTitle}”中${periods}连续评为“差”并被挂牌督办，拟对该单位主要负责同志和联系部门${f.contactUnitName}主要负责同志进行双约谈，具体时间地点另行通知。`,
        };
      }
      return {
        title: `【约谈通知】${f.unitName}主要负责同志`,
        body: `因${f.unitName}在“${f.campaignTitle}”中${periods}连续评为“差”并被挂牌督办，拟约谈该单位主要负责同志，具体时间地点另行通知。`,
      };
    case 'delisted':
      return {
        title: `【摘牌】${f.unitName}解除挂牌督办`,
        body:
          f.delistedBy === 'rule'
            ? `${f.unitName}在“${f.campaignTitle}”${basis === 'evaluation' ? '考评' : '调度'}中连续评为“好”，按规定解除挂牌督办。`
            : `经督查办公室研究，${f.unitName}解除“${f.campaignTitle}”挂牌督办${f.delistReason ? `（${f.delistReason}）` : ''}。`,
      };
  }
}

/** The notices of a 摘牌 application's steps (domain/delisting.ts). */
export function delistingNoticeText(step: 'applied' | 'review_passed' | 'review_failed', unitName: string, campaignTitle: string, note: string): { title: string; body: string } {
  switch (step) {
    case 'applied':
      return { title: `【摘牌申请】${unitName}`, body: `${unitName}申请解除“${campaignTitle}”挂牌督办：${note}。请进行初审。` };
    case 'review_passed':
      return { title: `【摘牌初审通过】${unitName}`, body: `${unitName}的摘牌申请已通过初审（${note}），待督查办公室研究决定。` };
    case 'review_failed':
      return { title: `【摘牌初审未通过】${unitName}`, body: `${unitName}的摘牌申请未通过初审：${note}。请继续整改，符合条件后可再次申请。` };
  }
}
