/** Timing one function in this process, for the benchmark scripts: its median, fastest and slowest run. */

export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times measured (milliseconds). */
export function measure(fn: () => void, runs: number, warmup = 1): Stat {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]!, runs };
}
