/** Formatting shared by the pages. Everything returns plain strings: React renders them as text. */

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatTimeMs(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatTime(iso)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** "3 min ago", "in 2 h". */
export function relative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const diff = t - now;
  const abs = Math.abs(diff);
  const unit = abs < 60_000 ? [Math.round(abs / 1000), 's'] : abs < 3_600_000 ? [Math.round(abs / 60_000), 'min']
    : abs < 86_400_000 ? [Math.round(abs / 3_600_000), 'h'] : [Math.round(abs / 86_400_000), 'd'];
  return diff >= 0 ? `in ${unit[0]} ${unit[1]}` : `${unit[0]} ${unit[1]} ago`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${s} s`;
}

/** A body for reading: pretty-printed when it is JSON, exactly as received otherwise. */
export function prettyBody(body: string | null | undefined): { text: string; json: boolean } {
  if (body === null || body === undefined) return { text: '', json: false };
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { text: JSON.stringify(JSON.parse(body), null, 2), json: true };
    } catch {
      // not JSON: shown raw
    }
  }
  return { text: body, json: false };
}

/** Any JSON value (a step's output) as indented text. */
export function jsonText(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 2) ?? '';
}

/** The value of `p` in a sorted list (0 ≤ p ≤ 100), nearest rank. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Relative ranges an operator picks from, and what `since` they mean. */
export const RANGES: { value: string; label: string; ms: number | null }[] = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '', label: 'Any time (retention)', ms: null },
  { value: 'custom', label: 'Custom range', ms: null },
];

/** since/until as the API takes them (ISO-8601) from a range choice and the custom fields. */
export function rangeToQuery(range: string, since: string, until: string, now: number = Date.now()): { since?: string; until?: string } {
  if (range === 'custom') {
    return { since: normaliseInstant(since), until: normaliseInstant(until) };
  }
  const r = RANGES.find((x) => x.value === range);
  if (!r || r.ms === null) return {};
  // Rounded to the minute so that the query (and so the page's cursor) stays the same between renders.
  const start = Math.floor((now - r.ms) / 60_000) * 60_000;
  return { since: new Date(start).toISOString() };
}

/** A typed instant as the API wants it, or undefined when empty or not a date. */
export function normaliseInstant(s: string): string | undefined {
  const t = s.trim();
  if (!t) return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function isValidInstant(s: string): boolean {
  return s.trim() === '' || normaliseInstant(s) !== undefined;
}

/** Base64 text to bytes length, for telling the size of a binary body. */
export function base64Length(b64: string): number {
  const clean = b64.replace(/=+$/, '');
  return Math.floor((clean.length * 3) / 4);
}
