import type { Execution } from '../api/types';
import { percentile } from './format';

export interface Activity {
  /** Hour buckets, oldest first: start time and counts by status group. */
  buckets: { start: number; succeeded: number; failed: number; other: number }[];
  total: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/**
 * Executions per hour by status, and duration percentiles, from a sample of executions: the API
 * has no counts by time yet, so the console counts what it read.
 */
export function activity(executions: Execution[], now: number, hours = 24): Activity {
  const hour = 3_600_000;
  const end = Math.floor(now / hour) * hour + hour;
  const start = end - hours * hour;
  const buckets = Array.from({ length: hours }, (_, i) => ({ start: start + i * hour, succeeded: 0, failed: 0, other: 0 }));
  const durations: number[] = [];
  let total = 0;
  for (const e of executions) {
    const t = new Date(e.queuedAt).getTime();
    if (Number.isNaN(t) || t < start || t >= end) continue;
    const b = buckets[Math.floor((t - start) / hour)];
    total++;
    if (e.status === 'SUCCEEDED') b.succeeded++;
    else if (e.status === 'FAILED') b.failed++;
    else b.other++;
    if (e.durationMs !== null && e.durationMs !== undefined && e.endedAt) durations.push(e.durationMs);
  }
  durations.sort((a, b) => a - b);
  return { buckets, total, p50: percentile(durations, 50), p90: percentile(durations, 90), p99: percentile(durations, 99) };
}
