import { describe, expect, it } from 'vitest';
import { chartBuckets } from './activity';
import { base64Length, formatDuration, isValidInstant, percentile, prettyBody, rangeToQuery, relative } from './format';
import type { Execution, InstanceActivity } from '../api/types';

describe('prettyBody', () => {
  it('indents a JSON body', () => {
    expect(prettyBody('{"id":1,"items":[2]}')).toEqual({ text: '{\n  "id": 1,\n  "items": [\n    2\n  ]\n}', json: true });
  });
  it('keeps anything else exactly as received', () => {
    expect(prettyBody('<order id="1"/>')).toEqual({ text: '<order id="1"/>', json: false });
    expect(prettyBody('{not json')).toEqual({ text: '{not json', json: false });
    expect(prettyBody('')).toEqual({ text: '', json: false });
  });
});

describe('ranges and instants', () => {
  const now = Date.parse('2026-03-01T12:34:56Z');
  it('a relative range is a since rounded down to the minute', () => {
    expect(rangeToQuery('1h', '', '', now)).toEqual({ since: '2026-03-01T11:34:00.000Z' });
    expect(rangeToQuery('', '', '', now)).toEqual({});
  });
  it('a custom range takes both instants, dropping what is not a date', () => {
    expect(rangeToQuery('custom', '2026-03-01T10:00:00Z', 'soon', now)).toEqual({ since: '2026-03-01T10:00:00.000Z', until: undefined });
    expect(isValidInstant('yesterday-ish')).toBe(false);
    expect(isValidInstant('')).toBe(true);
  });
  it('relative times read both ways', () => {
    expect(relative('2026-03-01T12:33:56Z', now)).toBe('1 min ago');
    expect(relative('2026-03-01T14:34:56Z', now)).toBe('in 2 h');
  });
});

describe('numbers', () => {
  it('durations', () => {
    expect(formatDuration(12)).toBe('12 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(null)).toBe('—');
  });
  it('percentiles by nearest rank', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile([], 50)).toBeNull();
  });
  it('base64 length', () => {
    expect(base64Length(btoa('hello'))).toBe(5);
  });
});

describe('activity', () => {
  const counts = (over: Partial<Record<Execution['status'], number>>) => ({ QUEUED: 0, HELD: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0, ...over });
  it('draws the API\u2019s buckets as succeeded, failed and the rest', () => {
    const a = {
      buckets: [
        { start: '2026-03-01T11:00:00Z', counts: counts({ RUNNING: 1, HELD: 2 }) },
        { start: '2026-03-01T12:00:00Z', counts: counts({ SUCCEEDED: 1, FAILED: 1, CANCELLED: 1 }) },
      ],
    } as InstanceActivity;
    expect(chartBuckets(a)).toEqual([
      { start: Date.parse('2026-03-01T11:00:00Z'), succeeded: 0, failed: 0, other: 3 },
      { start: Date.parse('2026-03-01T12:00:00Z'), succeeded: 1, failed: 1, other: 1 },
    ]);
  });
});
