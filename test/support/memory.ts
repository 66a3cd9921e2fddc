import { readFileSync } from 'node:fs';

const statusMb = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** A process's resident memory now, in MB (Linux). */
export const rssMb = (pid: number) => statusMb(pid, 'VmRSS');

/** The most resident memory the process has had since it started, in MB (Linux). */
export const peakRssMb = (pid: number) => statusMb(pid, 'VmHWM');

/** The process's peak resident memory while `task` runs, sampled every 5 ms. */
export async function peakDuring(pid: number, task: () => Promise<unknown>): Promise<number> {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 5);
  try {
    await task();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssMb(pid));
}
