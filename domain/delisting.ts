/**
 * 摘牌 with a review (seed 001: "挂牌督办摘牌市级初审"): a listed unit applies to come off the list
 * (摘牌申请), the office reviews the application (初审: passed, or sent back with its reasons), and
 * only a passed review lets the office decide to delist (the campaign workflow's `delist`). Each
 * step is recorded once (`delisting_steps`). Pure: the campaign workflow holds the requests and
 * asks here what may happen next.
 */
export type DelistingStatus = 'applied' | 'review_passed' | 'review_failed';

export interface DelistingRequest {
  /** 1, 2, … per listing: an application sent back may be made again. */
  requestNo: number;
  /** The period that listed the unit: the listing this request is about. */
  listedSince: number;
  status: DelistingStatus;
  application: string;
  appliedAt: number;
}

/** What the workflow refuses, as failure types (the API's codes, with their Chinese wording). */
export const DELISTING_REFUSALS_ZH = {
  NOT_LISTED: '该单位未被挂牌督办，无需摘牌',
  DELISTING_PENDING: '该单位已提交摘牌申请，正在初审或待决定',
  NO_DELISTING_APPLICATION: '该单位没有待初审的摘牌申请',
  DELISTING_NOT_REVIEWED: '摘牌须由单位提出申请并经初审通过',
} as const;
export type DelistingRefusal = keyof typeof DELISTING_REFUSALS_ZH;

/** May the unit apply now? (listed, and no application open.) */
export function applyRefusal(listedSince: number | null, current: DelistingRequest | undefined): DelistingRefusal | null {
  if (listedSince === null) return 'NOT_LISTED';
  if (current && current.listedSince === listedSince && current.status !== 'review_failed') return 'DELISTING_PENDING';
  return null;
}

/** May the office review now? (an application waiting for its 初审.) */
export function reviewRefusal(listedSince: number | null, current: DelistingRequest | undefined): DelistingRefusal | null {
  if (listedSince === null) return 'NOT_LISTED';
  if (!current || current.listedSince !== listedSince || current.status !== 'applied') return 'NO_DELISTING_APPLICATION';
  return null;
}

/** May the office delist now? (listed; and, when the policy asks for it, a passed review.) */
export function delistRefusal(listedSince: number | null, current: DelistingRequest | undefined, needsReview: boolean): DelistingRefusal | null {
  if (listedSince === null) return 'NOT_LISTED';
  if (needsReview && !(current && current.listedSince === listedSince && current.status === 'review_passed')) return 'DELISTING_NOT_REVIEWED';
  return null;
}

/** The next application of a unit for this listing. */
export function nextRequest(listedSince: number, current: DelistingRequest | undefined, application: string, at: number): DelistingRequest {
  const requestNo = current && current.listedSince === listedSince ? current.requestNo + 1 : 1;
  return { requestNo, listedSince, status: 'applied', application, appliedAt: at };
}

export const DELISTING_STEP_LABELS = {
  applied: '摘牌申请',
  review_passed: '初审通过',
  review_failed: '初审未通过',
  delisted: '摘牌决定',
} as const;
