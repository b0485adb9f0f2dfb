import type { InstanceActivity } from '../api/types';

export interface ChartBucket {
  start: number;
  succeeded: number;
  failed: number;
  other: number;
}

/**
 * The API's activity (`GET /instances/{id}/activity`) as the chart draws it: per bucket, succeeded,
 * failed and the rest (queued, held, running, cancelled).
 */
export function chartBuckets(a: InstanceActivity): ChartBucket[] {
  return a.buckets.map((b) => ({
    start: new Date(b.start).getTime(),
    succeeded: b.counts.SUCCEEDED,
    failed: b.counts.FAILED,
    other: b.counts.QUEUED + b.counts.HELD + b.counts.RUNNING + b.counts.CANCELLED,
  }));
}
