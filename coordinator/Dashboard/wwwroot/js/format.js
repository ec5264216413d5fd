// How times, durations and statuses read on every page.
const FINAL = new Set(['Succeeded', 'Failed', 'Cancelled']);

export const isFinal = (status) => FINAL.has(status);

/** A status as a coloured badge; `label` reads better than the status name (e.g. "Awaiting approval"). */
export function statusBadge(h, status, label) {
  return h(`span.badge.${statusClass(status)}`, { text: label || status || 'Unknown' });
}

export const statusClass = (status) => `status-${(status || 'unknown').toLowerCase().replace(/[^a-z]/g, '')}`;

export function duration(startedAt, finishedAt, now = Date.now()) {
  if (!startedAt) return '—';
  const ms = Math.max(0, (finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt));
  if (ms < 1000) return `${ms} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function time(value) {
  if (!value) return '—';
  const d = new Date(value);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function ago(value, now = Date.now()) {
  if (!value) return 'never';
  const s = Math.round((now - Date.parse(value)) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

export const shortId = (id) => id.slice(0, 8);
export const shortCommit = (sha) => (sha && /^[0-9a-f]{12,}$/i.test(sha) ? sha.slice(0, 10) : sha);
