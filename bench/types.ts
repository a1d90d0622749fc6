/** One measured number, compared with a baseline measured the same way in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
}

export interface BenchGroup {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** Median of the samples (p50): robust to the odd slow fsync. */
export function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile (0.99 for p99) by the nearest-rank method. */
export function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))]!;
}
