// CPU time per thread of a process, from /proc (Linux), for the bench's
// "where the CPU goes" lines: µs of CPU per request on the event loop, the
// writer thread, every other thread (V8's GC helpers, libuv), and the load
// generator. Clock ticks are 10 ms, so a window of a few seconds resolves
// them to ~1 %.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICK_US = 10_000; // USER_HZ is 100 on Linux

export type ThreadClass = 'event loop' | 'writer' | 'other';
export type CpuSnapshot = Map<string, { cls: ThreadClass; ticks: number }>;

export const procAvailable = existsSync('/proc/self/task');

function classify(pid: number, tid: string, comm: string): ThreadClass {
  if (tid === String(pid)) return 'event loop';
  // Node names every worker_threads thread "WorkerThread"; the hub runs one, its SQLite writer.
  return comm === 'WorkerThread' ? 'writer' : 'other';
}

/** utime + stime of every thread of `pid`, by thread id. */
export function snapshot(pid: number): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  if (!procAvailable) return out;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch (_err) {
    return out; // the process is gone
  }
  for (const tid of tids) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      // Fields after the parenthesised name: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { cls: classify(pid, tid, comm), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch (_err) { /* the thread ended */ }
  }
  return out;
}

/** µs of CPU per request by thread class, between two snapshots of one process. */
export function perRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number): Record<ThreadClass, number> {
  const sum: Record<ThreadClass, number> = { 'event loop': 0, writer: 0, other: 0 };
  for (const [tid, a] of after) sum[a.cls] += (a.ticks - (before.get(tid)?.ticks ?? 0)) * TICK_US;
  for (const k of Object.keys(sum) as ThreadClass[]) sum[k] = requests > 0 ? sum[k] / requests : 0;
  return sum;
}
