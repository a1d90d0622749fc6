/**
 * `npm run bench [-- <group>…]`: runs bench/<group>.bench.ts files (all when none named), prints a
 * table and writes bench/results.json = [{ name, value, unit, baseline, ratio }], ratio = value /
 * baseline (how many times the baseline's cost we pay).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchGroup, BenchResult } from './types';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.ts';

export interface RatedResult extends BenchResult {
  ratio: number;
}

const rate = (r: BenchResult): RatedResult => ({
  ...r,
  ratio: r.baseline > 0 ? round(r.value / r.baseline) : NaN,
});
const round = (n: number) => Math.round(n * 1000) / 1000;

async function main(requested: string[]): Promise<void> {
  const available = readdirSync(benchDir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
  const unknown = requested.filter((g) => !available.includes(g));
  if (unknown.length)
    throw new Error(`unknown bench group(s): ${unknown.join(', ')} (have: ${available.join(', ')})`);

  const results: RatedResult[] = [];
  for (const group of requested.length ? requested : available) {
    const mod = (await import(pathToFileURL(path.join(benchDir, group + SUFFIX)).href)) as {
      default: BenchGroup;
    };
    const started = performance.now();
    results.push(...(await mod.default.run()).map(rate));
    console.log(`${mod.default.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.table(
    results.map((r) => ({
      name: r.name,
      value: round(r.value),
      unit: r.unit,
      baseline: round(r.baseline),
      ratio: r.ratio,
    })),
  );
  writeFileSync(path.join(benchDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
}

main(process.argv.slice(2).filter((a) => a !== '--')).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
