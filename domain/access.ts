/**
 * Access policy: who may do and see what — decided here and nowhere else. Routes ask `can`
 * before every action; services ask the scope helpers below what a principal may see (which
 * letters, which delivery rows, whose channel addresses, whose inbox); the item lifecycle asks
 * `itemActorRefusal` who may take a transition. A stricter policy is a change to this module.
 *
 * The rules (tests/access.test.ts checks every route × role against them):
 * - office: everything except acting on an item as a unit and signing for a letter.
 * - leader: read-only; no inbox; no channel addresses; no delivery details; previews only the
 *   saved wording of a template.
 * - unit: reads the directory and campaigns; acts on items it is on; applies for its own 摘牌;
 *   sees only the letters
 *   addressed or copied to it and, in them, only its own delivery rows and events; sees its own
 *   channel addresses (others': kind and enabled, no address); previews only saved wording.
 * - Not found vs forbidden: a letter or notice a unit is not on is 403 on the letter (its id
 *   appears in ledgers the office shares) and 404 on a notice (ids are sequential); a route the
 *   role may never use is 403; no principal is 401. Public routes (config.public, or an OpenAPI
 *   `security: []`) ignore the Authorization header entirely.
 */
import type { Principal } from './principal';

export type Permission =
  | 'directory:read'
  | 'directory:write' // create units, set their contact department, replace channels
  | 'principal:write' // issue tokens
  | 'campaign:read'
  | 'campaign:write' // create campaigns, add items
  | 'item:read'
  | 'item:act' // acknowledge, report progress, submit (a unit, on its own items)
  | 'item:verify' // close-out (销号): the office only
  | 'evidence:upload' // evidence files (佐证材料) for an item: the office, and a unit on the item
  | 'letter:receipt' // sign for a letter (签收): a unit it is addressed to
  | 'delivery:read' // the delivery ledger across letters: the office only
  | 'channel:address' // a unit's channel addresses (webhook URLs carry keys): the office and the unit itself
  | 'inbox:read' // an inbox of one's own: the office and units; leaders have none
  | 'template:write' // edit letter wording: the office only
  | 'template:try' // preview arbitrary (unsaved) wording: the office only — it compiles and renders untrusted text
  | 'listing:apply' // apply to come off listed supervision (摘牌申请): the listed unit itself
  | 'simulation:run' // 试运行 a campaign under a policy: the office only
  | 'simulation:read'; // the simulations and their reports: the office and leaders (a policy's what-if is not the units' business)

export interface AccessContext {
  itemUnitIds?: readonly string[];
  letterUnitIds?: readonly string[];
  /** The unit a resource belongs to (channels). */
  unitId?: string;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: Decision = { allowed: true };

export function can(p: Principal, perm: Permission, ctx: AccessContext = {}): Decision {
  switch (p.role) {
    case 'office':
      if (perm === 'evidence:upload') return ALLOW;
      if (perm === 'letter:receipt') return deny('a letter is signed for by the unit it is addressed to');
      if (perm === 'listing:apply') return deny('a listed unit applies for its own delisting; the office reviews and decides');
      return perm === 'item:act' ? deny('the supervising office verifies items; the responsible units act on them') : ALLOW;
    case 'leader':
      if (perm === 'inbox:read') return deny('leaders have no inbox: notices go to the office and the units that must act on them');
      if (perm === 'channel:address') return deny('channel addresses are for the office and the unit itself');
      if (perm === 'delivery:read') return deny('delivery details (channels, addresses, Message-IDs) are for the office and the recipient concerned');
      return perm.endsWith(':read') ? ALLOW : deny('leaders have read-only access');
    case 'unit':
      if (perm === 'simulation:read') return deny('simulations (试运行) are the office’s and the leaders’');
      if (perm === 'delivery:read') return deny('the delivery ledger is the office’s; a unit sees its own deliveries on each letter');
      if (perm === 'channel:address') return p.unitId && ctx.unitId === p.unitId ? ALLOW : deny('channel addresses are for the office and the unit itself');
      if (perm.endsWith(':read')) return ALLOW;
      if (perm === 'item:act' || perm === 'evidence:upload') {
        if (!ctx.itemUnitIds) return deny('item scope required');
        return p.unitId && ctx.itemUnitIds.includes(p.unitId) ? ALLOW : deny('this item is not assigned to your unit');
      }
      if (perm === 'letter:receipt') {
        return p.unitId && ctx.letterUnitIds?.includes(p.unitId) ? ALLOW : deny('this letter is not addressed to your unit');
      }
      if (perm === 'listing:apply') return p.unitId && ctx.unitId === p.unitId ? ALLOW : deny('a unit applies for its own delisting only');
      return deny('only the supervising office may do this');
  }
}

export const allowed = (p: Principal, perm: Permission, ctx: AccessContext = {}) => can(p, perm, ctx).allowed;

/** Which letters a principal sees: all (office, leaders) or those its unit is addressed or copied on. */
export function letterScope(p: Principal): { all: true } | { all: false; unitId: string } {
  return p.role === 'unit' ? { all: false, unitId: p.unitId ?? '' } : { all: true };
}

export function canSeeLetter(p: Principal, recipientUnitIds: readonly string[]): Decision {
  const s = letterScope(p);
  return s.all || recipientUnitIds.includes(s.unitId) ? ALLOW : deny('this letter is not addressed to your unit');
}

/**
 * Which delivery rows (and per-unit events: channel, address, Message-ID) of a letter a
 * principal sees: the office all of them; a unit only its own; a leader none.
 */
export function deliveryRowVisible(p: Principal, rowUnitId: string | null): boolean {
  if (p.role === 'office') return true;
  if (p.role === 'unit') return rowUnitId === p.unitId;
  return false;
}

/** A letter event: events about no unit (issued, fallback) are seen by all who see the letter; a unit's, as its delivery rows. */
export function letterEventVisible(p: Principal, eventUnitId: string | null): boolean {
  return eventUnitId === null || deliveryRowVisible(p, eventUnitId);
}

/** Whose notices a principal reads: its unit's, or (the office) those with no recipient. Leaders have none. */
export function inboxOwner(p: Principal): Decision & { recipient?: string | null } {
  const d = can(p, 'inbox:read');
  if (!d.allowed) return d;
  if (p.role !== 'unit') return { allowed: true, recipient: null };
  return p.unitId ? { allowed: true, recipient: p.unitId } : deny('this token speaks for no unit');
}

/** Who may take an item transition. */
export type ItemActor = 'office' | 'lead' | 'unit';
export interface ActorRefusal {
  code: 'ROLE_NOT_ALLOWED' | 'UNIT_NOT_ON_ITEM' | 'NOT_LEAD_UNIT';
  message: string;
  messageZh: string;
}

/** Why `actor` may not take an action reserved for `who` on an item with these units, or undefined. */
export function itemActorRefusal(
  who: ItemActor,
  actor: Principal,
  units: readonly { unitId: string; role: string }[],
  action: string,
  label: string,
): ActorRefusal | undefined {
  if (who === 'office') {
    return actor.role === 'office' ? undefined : { code: 'ROLE_NOT_ALLOWED', message: `only the supervising office may ${action} an item`, messageZh: `只有督查室可以${label}` };
  }
  if (actor.role !== 'unit' || !actor.unitId) return { code: 'ROLE_NOT_ALLOWED', message: `only a responsible unit may ${action} an item`, messageZh: `只有责任单位可以${label}` };
  const unit = units.find((u) => u.unitId === actor.unitId);
  if (!unit) return { code: 'UNIT_NOT_ON_ITEM', message: `unit ${actor.unitId} is neither the lead nor a co-operating unit of this item`, messageZh: '该单位不是本事项的牵头单位或配合单位' };
  if (who === 'lead' && unit.role !== 'lead') return { code: 'NOT_LEAD_UNIT', message: `only a lead unit may ${action}`, messageZh: `只有牵头单位可以${label}` };
  return undefined;
}

function deny(reason: string): Decision {
  return { allowed: false, reason };
}
