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
        h('th', { scope: 'col' }, 'Last heartbeat'),
        h('th', { scope: 'col' }, 'Mode'))),
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
        h('td', {}, h('time', { datetime: w.lastHeartbeatAt, title: time(w.lastHeartbeatAt) }, ago(w.lastHeartbeatAt))),
        h('td', {}, mode(w), ' ', modeButton(w)))));
    } catch (err) {
      if (!abort.signal.aborted) note.textContent = `Could not load workers: ${err.message}`;
    }
    if (!abort.signal.aborted) timer = setTimeout(load, POLL_MS);
  }
  // Draining takes a worker out of rotation: it finishes its jobs and claims nothing new.
  function mode(w) {
    if (w.mode === 'Active') return 'Active';
    return w.drained ? `${w.mode} (drained)` : `${w.mode} (${w.runningJobs} running)`;
  }

  function modeButton(w) {
    if (!api.allowed('drain')) return null;
    const draining = w.mode === 'Active';
    return h('button', {
      type: 'button',
      onclick: async (e) => {
        e.currentTarget.disabled = true;
        try {
          await (draining ? api.drainWorker(w.id) : api.enableWorker(w.id));
          note.textContent = draining ? `Worker ${w.id} is draining.` : `Worker ${w.id} is active again.`;
        } catch (err) {
          note.textContent = err.status === 403 ? 'Your token may not drain workers.' : `Could not change the worker: ${err.message}`;
        }
        clearTimeout(timer);
        load();
      },
    }, draining ? `Drain ${w.id}` : `Enable ${w.id}`);
  }

  load();
  return { dispose() { abort.abort(); clearTimeout(timer); } };
}
