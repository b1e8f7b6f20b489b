// Runs independent batch jobs (a backtest sweep's combinations) on a Piscina pool of worker threads, at most
// `threads` at once, and returns their results in job order. compute/ owns the daemon's worker pools.

export async function runOnPool<J, R>(taskFile: string, jobs: J[], threads: number): Promise<R[]> {
  const { Piscina } = await import('piscina'); // loaded by the commands that run a batch, not at start-up
  const pool = new Piscina({ filename: taskFile, minThreads: 0, maxThreads: Math.max(1, threads), idleTimeout: 1000 });
  try {
    return (await Promise.all(jobs.map((j) => pool.run(j)))) as R[];
  } finally {
    await pool.destroy();
  }
}
