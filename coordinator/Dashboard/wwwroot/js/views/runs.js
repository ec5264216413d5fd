import * as api from '../api.js';
import { h } from '../dom.js';
import { duration, isFinal, shortCommit, shortId, statusBadge, time } from '../format.js';

const POLL_MS = 2000;
const PAGE_SIZE = 25;
const FIRST = '-';
const STATUSES = ['Queued', 'Running', 'Cancelling', 'Succeeded', 'Failed', 'Cancelled'];

// Filters and the page live in the URL (#/runs?pipeline=&status=&pageSize=&page=TOKEN), so a filtered view
// can be shared and Back works; the visible page is re-read every POLL_MS while the tab is open.
export function mountRuns(main, route) {
  const params = route.params;
  const pipelineSelect = h('select', { id: 'filter-pipeline', name: 'pipeline' }, h('option', { value: '' }, 'All pipelines'));
  const statusSelect = h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'Any status'),
    ...STATUSES.map((s) => h('option', { value: s, selected: params.get('status') === s }, s)));
  const body = h('tbody');
  const note = h('p.muted', { 'aria-live': 'polite' });
  const newer = h('a.button', { href: '#', hidden: true }, '← Newer');
  const older = h('a.button', { href: '#', hidden: true }, 'Older →');
  const filters = h('form.filters', { 'aria-label': 'Filter runs', onsubmit: (e) => e.preventDefault() },
    h('label', { for: 'filter-pipeline' }, 'Pipeline'), pipelineSelect,
    h('label', { for: 'filter-status' }, 'Status'), statusSelect);
  main.append(
    h('h1', {}, 'Runs'),
    filters,
    h('table.grid.runs', {},
      h('caption', {}, 'Runs, newest first; this list refreshes by itself.'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Run'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Pipeline'),
        h('th', { scope: 'col' }, 'Branch'),
        h('th', { scope: 'col' }, 'Commit'),
        h('th', { scope: 'col' }, 'Triggered by'),
        h('th', { scope: 'col' }, 'Started'),
        h('th', { scope: 'col' }, 'Duration'))),
      body),
    note,
    h('nav.pager', { 'aria-label': 'Pages of runs' }, newer, older));

  const go = (changes) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) { if (v) next.set(k, v); else next.delete(k); }
    location.hash = `#/runs${next.toString() ? `?${next}` : ''}`;
  };
  pipelineSelect.addEventListener('change', () => go({ pipeline: pipelineSelect.value, page: '', prev: '' }));
  statusSelect.addEventListener('change', () => go({ status: statusSelect.value, page: '', prev: '' }));

  const abort = new AbortController();
  let timer = 0;
  api.listPipelines(abort.signal).then((pipelines) => {
    for (const p of pipelines) pipelineSelect.append(h('option', { value: p.name, selected: params.get('pipeline') === p.name }, p.name));
  }).catch(() => { /* the table's own load reports errors */ });

  // "Newer" walks back a stack of the page tokens seen, kept in the URL as prev=-,t1,t2 ("-" is the first page).
  const prev = (params.get('prev') || '').split(',').filter(Boolean);
  if (params.get('page')) {
    newer.hidden = false;
    const back = prev.at(-1);
    newer.href = `#/runs?${withParams(params, { page: back === FIRST ? '' : back || '', prev: prev.slice(0, -1).join(',') })}`;
  }

  async function load() {
    try {
      const page = await api.listRunSummaries({
        pipeline: params.get('pipeline'), status: params.get('status'), pageSize: Number(params.get('pageSize')) || PAGE_SIZE, pageToken: params.get('page'),
      }, abort.signal);
      note.textContent = page.runs.length ? '' : 'No runs match.';
      body.replaceChildren(...page.runs.map(runRow));
      older.hidden = !page.nextPageToken;
      if (page.nextPageToken) {
        older.href = `#/runs?${withParams(params, { page: page.nextPageToken, prev: [...prev, params.get('page') || FIRST].join(',') })}`;
      }
    } catch (err) {
      if (!abort.signal.aborted) note.textContent = `Could not load runs: ${err.message}`;
    }
    if (!abort.signal.aborted) timer = setTimeout(load, POLL_MS);
  }
  load();
  return { dispose() { abort.abort(); clearTimeout(timer); } };
}

function withParams(params, changes) {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) { if (v) next.set(k, v); else next.delete(k); }
  return next.toString();
}

function runRow(run) {
  return h('tr', { class: `row-${run.status.toLowerCase()}` },
    h('th', { scope: 'row' }, h('a', { href: `#/runs/${run.id}` }, h('code', {}, shortId(run.id)))),
    h('td', {}, statusBadge(h, run.status)),
    h('td', {}, run.pipeline, h('span.muted', {}, ` v${run.pipelineVersion}`)),
    h('td', {}, run.branch || h('span.muted', {}, '—')),
    h('td', {}, run.commit ? h('code', { title: run.commit }, shortCommit(run.commit)) : h('span.muted', {}, '—')),
    h('td', {}, run.event ? `${run.triggeredBy} (${run.event.toLowerCase().replace(/_/g, ' ')})` : run.triggeredBy),
    h('td', {}, h('time', { datetime: run.startedAt || run.createdAt }, time(run.startedAt || run.createdAt))),
    h('td.num', {}, isFinal(run.status) || run.startedAt ? duration(run.startedAt, run.finishedAt) : '—'));
}
