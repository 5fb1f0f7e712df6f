/**
 * How an item's events read in its timeline (the console and `GET /items/{id}`): one Chinese
 * line per event type, from the event's payload. The event types are the lifecycle's actions
 * (domain/item-lifecycle.ts) and what the workflow records by itself (domain/item-timing.ts).
 */
import { ACTION_LABELS, type ItemAction } from './item-lifecycle';
import { LIGHT_LABELS, type Light } from './lights';
import { LADDER_STEP_LABELS, type LadderStepName } from './policy';

export function eventLabel(type: string, p: Record<string, unknown>): string {
  if (type === 'assigned') return '交办';
  if (type in ACTION_LABELS) return ACTION_LABELS[type as ItemAction];
  switch (type) {
    case 'light_changed':
      return `亮灯：${LIGHT_LABELS[p.from as Light] ?? String(p.from)} → ${LIGHT_LABELS[p.to as Light] ?? String(p.to)}`;
    case 'ladder':
      return `督办：${LADDER_STEP_LABELS[p.ladderStep as LadderStepName] ?? String(p.name)}`;
    case 'reminder':
      return String(p.name);
    case 'report_missed':
      return '未按期报送进展';
    case 'look_back':
      return '回头看到期';
    case 'deadline_changed':
      return `整改时限调整：${String(p.from)} → ${String(p.to)}（节假日安排调整）`;
    default:
      return type;
  }
}
