// Runs independent batch jobs (a backtest sweep's combinations) on a Piscina pool of worker threads, at most
// `threads` at once, and returns their results in job order. compute/ owns the daemon's worker pools.
import { Piscina } from 'piscina';

export async function runOnPool<J, R>(taskFile: string, jobs: J[], threads: number): Promise<R[]> {
  const pool = new Piscina({ filename: taskFile, minThreads: 0, maxThreads: Math.max(1, threads), idleTimeout: 1000 });
  try {
    return (await Promise.all(jobs.map((j) => pool.run(j)))) as R[];
  } finally {
    await pool.destroy();
  }
}
