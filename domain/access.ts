/**
 * Access policy: who may do what. The API asks this module before every action, so real
 * access control (finer roles, per-campaign offices) is a change here, not a rewrite of routes.
 */
import type { Principal } from './principal';

export type Permission =
  | 'directory:read'
  | 'directory:write' // create units
  | 'principal:write' // issue tokens
  | 'campaign:read'
  | 'campaign:write' // create campaigns, add items
  | 'item:read'
  | 'item:act' // acknowledge, report progress, submit (a unit, on its own items)
  | 'item:verify' // close-out (销号): the office only
  | 'letter:receipt' // sign for a letter (签收): a unit it is addressed to
  | 'template:write'; // edit letter wording: the office only

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: Decision = { allowed: true };

export function can(p: Principal, perm: Permission, ctx: { itemUnitIds?: readonly string[]; letterUnitIds?: readonly string[] } = {}): Decision {
  switch (p.role) {
    case 'office':
      if (perm === 'letter:receipt') return deny('a letter is signed for by the unit it is addressed to');
      return perm === 'item:act' ? deny('the supervising office verifies items; the responsible units act on them') : ALLOW;
    case 'leader':
      return perm.endsWith(':read') ? ALLOW : deny('leaders have read-only access');
    case 'unit':
      if (perm.endsWith(':read')) return ALLOW;
      if (perm === 'item:act') {
        if (!ctx.itemUnitIds) return deny('item scope required');
        return p.unitId && ctx.itemUnitIds.includes(p.unitId)
          ? ALLOW
          : deny('this item is not assigned to your unit');
      }
      if (perm === 'letter:receipt') {
        return p.unitId && ctx.letterUnitIds?.includes(p.unitId) ? ALLOW : deny('this letter is not addressed to your unit');
      }
      return deny('only the supervising office may do this');
  }
}

function deny(reason: string): Decision {
  return { allowed: false, reason };
}
