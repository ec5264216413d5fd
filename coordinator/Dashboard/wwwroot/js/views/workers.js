import * as api from '../api.js';
import { h } from '../dom.js';
import { ago, time } from '../format.js';

const POLL_MS = 3000;

export function mountWorkers(main) {
  const body = h('tbody');
  const note = h('p.muted', { 'aria-live': 'polite' });
  main.append(
    h('h1', {}, 'Workers'),
    h('table.grid', {},
      h('caption', {}, 'Workers that have sent a heartbeat; a worker is alive while its heartbeat is within the lease.'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Worker'),
        h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, 'Jobs running'),
        h('th', { scope: 'col' }, 'Free slots'),
        h('th', { scope: 'col' }, 'Last heartbeat'))),
      body),
    note);
  const abort = new AbortController();
  let timer = 0;
  async function load() {
    try {
      const workers = await api.listWorkers(abort.signal);
      note.textContent = workers.length ? '' : 'No worker has sent a heartbeat yet.';
      body.replaceChildren(...workers.map((w) => h('tr', {},
        h('th', { scope: 'row' }, w.id),
        h('td', {}, h(`span.badge.${w.alive ? 'status-succeeded' : 'status-cancelled'}`, { text: w.alive ? 'Alive' : 'Lost' })),
        h('td.num', {}, String(w.runningJobs)),
        h('td.num', {}, String(w.freeSlots)),
        h('td', {}, h('time', { datetime: w.lastHeartbeatAt, title: time(w.lastHeartbeatAt) }, ago(w.lastHeartbeatAt))))));
    } catch (err) {
      if (!abort.signal.aborted) note.textContent = `Could not load workers: ${err.message}`;
    }
    if (!abort.signal.aborted) timer = setTimeout(load, POLL_MS);
  }
  load();
  return { dispose() { abort.abort(); clearTimeout(timer); } };
}
