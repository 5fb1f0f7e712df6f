/**
 * Synthetic campaigns of any size, in the importer's format (CSV), with units spread over
 * departments and counties and deadlines written as offices write them.
 *   npm run generate -- --items 10000 --out /tmp/big.csv   (units: see `syntheticUnits`)
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';

export function syntheticUnits(departments = 40, counties = 10) {
  return [
    ...Array.from({ length: departments }, (_, i) => ({ name: `合成市直部门${i + 1}`, kind: 'department' as const })),
    ...Array.from({ length: counties }, (_, i) => ({ name: `合成县区${i + 1}`, kind: 'county' as const })),
  ];
}

const PHRASES = ['10月底前', '11月份', '12月中旬前', '12月31日前', '15个工作日内', '立行立改', '长期坚持', '2027-03-31'];

export function syntheticCsv(items: number, units = syntheticUnits()): string {
  const lines = ['序号,类别,整改措施,牵头单位,配合单位,整改时限'];
  for (let i = 1; i <= items; i++) {
    const lead = units[i % units.length]!.name;
    const co = units[(i * 7 + 3) % units.length]!.name;
    lines.push(`${i},合成类别${(i % 8) + 1},合成整改措施第${i}项,${lead},${co === lead ? '' : co},${PHRASES[i % PHRASES.length]}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '1000' }, out: { type: 'string' } } });
  const csv = syntheticCsv(Number(values.items));
  if (values.out) fs.writeFileSync(values.out, csv);
  else process.stdout.write(csv);
}
