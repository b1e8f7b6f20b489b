// Real-time scheduling for the calling thread (a pool shard worker): SCHED_FIFO at a priority, or back to
// SCHED_OTHER. A shard sleeps between ticks and must run the moment a tick arrives; under the normal
// scheduler its wake-up waits behind whatever else holds the cores (measured on 2 vCPUs at 50k ticks/s:
// main -> shard hand-off p99 1.3 ms, 0.2 ms with FIFO). Node has no API for a thread's policy, so the
// thread finds its kernel id through /proc/thread-self and runs util-linux's chrt on it. Allowed for root,
// CAP_SYS_NICE, or an RLIMIT_RTPRIO at least the priority (systemd: LimitRTPRIO=).
import { readFileSync, readlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export type RealtimeResult = { ok: true; tid: number } | { ok: false; reason: string };

/** The calling thread's kernel thread id (Linux), or undefined where /proc/thread-self is missing. */
function currentThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** priority 1..99: SCHED_FIFO at that priority; 0: back to SCHED_OTHER. */
export function setThreadRealtime(priority: number): RealtimeResult {
  if (!Number.isInteger(priority) || priority < 0 || priority > 99)
    return { ok: false, reason: `priority ${priority}: expected an integer 0..99` };
  const tid = currentThreadId();
  if (tid === undefined) return { ok: false, reason: '/proc/thread-self is not available (not Linux?)' };
  const args = priority > 0 ? ['-f', '-p', String(priority), String(tid)] : ['-o', '-p', '0', String(tid)];
  const r = spawnSync('chrt', args, { encoding: 'utf8', timeout: 5000 });
  if (r.error) return { ok: false, reason: `chrt: ${r.error.message}` };
  if (r.status !== 0)
    return { ok: false, reason: `chrt ${args.join(' ')}: ${(r.stderr || '').trim() || `exit ${r.status}`}` };
  return { ok: true, tid };
}

/** The scheduling policy (0 other, 1 fifo, 2 rr, ...) and real-time priority of one thread of this process. */
export function threadPolicy(tid: number): { policy: number; rtPriority: number } | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the parenthesised name: state is field 3; rt_priority is 40, policy 41.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rtPriority: Number(rest[40 - 3]), policy: Number(rest[41 - 3]) };
  } catch {
    return undefined;
  }
}
