/**
 * The item actions as forms: which are offered to whom (the lifecycle's own `stateRefusal`,
 * which asks domain/access.ts — the page offers exactly what the API would accept), the fields
 * each needs, and a form's fields turned into the API's body.
 */
import type { ItemDto } from '../api/routes/items/schemas';
import { ACTION_LABELS, stateRefusal, type ItemAction, type ItemState } from '../domain/item-lifecycle';
import type { Principal } from '../domain/principal';

/** The order the buttons appear in: the unit's work first, then the office's decisions. */
export const ACTION_ORDER: ItemAction[] = [
  'acknowledge',
  'reportProgress',
  'submit',
  'requestExtension',
  'close',
  'reject',
  'decideExtension',
  'pause',
  'resume',
  'changeDeadline',
  'reassign',
  'cancel',
  'reopen',
  'recheck',
];

export type Field =
  | { name: string; label: string; kind: 'text' | 'textarea' | 'date'; required: boolean; hint?: string }
  | { name: string; label: string; kind: 'percent'; required: true }
  | { name: string; label: string; kind: 'yesno'; yes: string; no: string };

export const ACTION_FIELDS: Record<ItemAction, Field[]> = {
  acknowledge: [{ name: 'note', label: '备注', kind: 'text', required: false }],
  reportProgress: [
    { name: 'text', label: '整改进展', kind: 'textarea', required: true },
    { name: 'percent', label: '完成进度（%）', kind: 'percent', required: true },
    { name: 'evidence', label: '佐证材料说明', kind: 'textarea', required: false, hint: '每行一项' },
  ],
  submit: [{ name: 'summary', label: '整改完成情况', kind: 'textarea', required: true }],
  requestExtension: [
    { name: 'newDeadline', label: '申请延期至', kind: 'date', required: true },
    { name: 'reason', label: '延期理由', kind: 'textarea', required: true },
  ],
  close: [{ name: 'note', label: '核查意见', kind: 'text', required: false }],
  reject: [{ name: 'reasons', label: '退回理由', kind: 'textarea', required: true }],
  decideExtension: [
    { name: 'approve', label: '审批结果', kind: 'yesno', yes: '同意延期', no: '不同意' },
    { name: 'newDeadline', label: '批准的时限（不填则按申请）', kind: 'date', required: false },
    { name: 'reason', label: '审批意见（不同意时必填）', kind: 'text', required: false },
  ],
  pause: [{ name: 'reason', label: '暂缓理由', kind: 'textarea', required: true }],
  resume: [{ name: 'note', label: '备注', kind: 'text', required: false }],
  changeDeadline: [
    { name: 'newDeadline', label: '新的整改时限', kind: 'date', required: true },
    { name: 'reason', label: '调整理由', kind: 'textarea', required: true },
  ],
  reassign: [
    { name: 'leadUnits', label: '牵头单位', kind: 'text', required: true, hint: '单位名称，多个用顿号或逗号分隔' },
    { name: 'coUnits', label: '配合单位', kind: 'text', required: false, hint: '单位名称，多个用顿号或逗号分隔' },
  ],
  cancel: [{ name: 'reason', label: '撤销理由', kind: 'textarea', required: true }],
  reopen: [
    { name: 'newDeadline', label: '新的整改时限', kind: 'date', required: true },
    { name: 'reason', label: '重新打开理由', kind: 'textarea', required: true },
  ],
  recheck: [
    { name: 'passed', label: '回头看结果', kind: 'yesno', yes: '整改成效巩固', no: '问题反弹，重新整改' },
    { name: 'note', label: '核查意见', kind: 'text', required: false },
    { name: 'newDeadline', label: '重新整改时限（反弹时必填）', kind: 'date', required: false },
  ],
};

/** Actions that cannot be undone or change what others must do: the page asks first. */
export const CONFIRM: Partial<Record<ItemAction, string>> = {
  close: '确认销号？销号后事项结束，进入回头看。',
  reject: '确认退回？退回后催办继续。',
  cancel: '确认撤销该事项？撤销后不可恢复。',
  changeDeadline: '确认调整整改时限？所有提醒将按新时限重新安排。',
  reassign: '确认调整责任单位？',
  pause: '确认暂缓？暂缓期间时限停止计算。',
  submit: '确认提交销号申请？',
};

/** The lifecycle's view of an item, from what the API shows of it. */
export function stateOf(item: ItemDto, campaignEnd: string): ItemState {
  return {
    itemId: item.id,
    kind: item.kind,
    campaignEnd,
    status: item.status,
    progressPercent: item.progressPercent,
    units: item.units.map((u) => ({ unitId: u.unitId, role: u.role })),
    acknowledgedUnits: item.units.filter((u) => u.acknowledged).map((u) => u.unitId),
    lastReportAt: item.lastReportAt,
    deadline: item.deadline,
    deadlineVersion: item.deadlineVersion,
    deadlineDate: item.deadlineDate,
    dueAt: item.dueAt,
    paused: item.pausedReason === null ? null : { since: item.updatedAt, reason: item.pausedReason },
    pendingExtension: item.pendingExtension,
    light: item.light,
    missedReports: item.missedReports,
    rejections: item.rejections,
    lookBackAt: item.lookBackAt,
    lookBackDue: item.lookBackDue,
    seq: 0,
  };
}

/** What this person may do to this item now. */
export const offeredActions = (item: ItemDto, campaignEnd: string, who: Principal, now: number): ItemAction[] =>
  ACTION_ORDER.filter((a) => stateRefusal(stateOf(item, campaignEnd), a, who, now) === undefined);

export const actionLabel = (a: ItemAction) => ACTION_LABELS[a];

const list = (s: string) =>
  s
    .split(/[、,，;；\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** A form's fields → the API's body for the action (the API validates; this only shapes). */
export function bodyOf(action: ItemAction, form: Record<string, string | undefined>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of ACTION_FIELDS[action]) {
    const v = (form[f.name] ?? '').trim();
    if (f.kind === 'yesno') body[f.name] = v === 'yes';
    else if (f.kind === 'percent') body[f.name] = v === '' ? undefined : Number(v);
    else if (f.name === 'evidence') body[f.name] = v.split('\n').map((x) => x.trim()).filter(Boolean);
    else if (f.name === 'leadUnits' || f.name === 'coUnits') body[f.name] = list(v);
    else if (v !== '') body[f.name] = v;
  }
  return body;
}
