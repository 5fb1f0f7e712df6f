/**
 * Unit lists as documents write them: "各县市区，市住建局、市水利局等按职责分工负责落实". Splits
 * the names, drops the closing formula, and expands "各县市区" to every county-level unit.
 */
export const ALL_COUNTIES = /^各县(市|（市、区）|\(市、区\)|市区|区)*$/;

const FORMULA = /(等)?(按职责分工)?(负责|具体)?(落实|牵头)?$/;

export function splitUnitList(raw: string): string[] {
  return raw
    .split(/[，,、;；\n]+/)
    .map((s) => s.trim().replace(FORMULA, '').replace(/等$/, '').trim())
    .filter((s) => s.length > 0);
}

/** Replaces "各县市区" (and its spellings) by the given county names, keeping order and uniqueness. */
export function expandCounties(names: string[], counties: string[]): string[] {
  const out: string[] = [];
  for (const n of names) for (const x of ALL_COUNTIES.test(n) || n === '各县市区' ? counties : [n]) if (!out.includes(x)) out.push(x);
  return out;
}
