/** Who is acting: the supervising office, a responsible unit, or a (read-only) leader. */
export const ROLES = ['office', 'unit', 'leader'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  name: string;
  /** Set for role 'unit': the unit this principal speaks for. */
  unitId?: string;
}

/** The workflows themselves (timers, calendar changes) when they record an event: shown as 系统. */
export const SYSTEM: Principal = { role: 'office', name: '系统' };
