import * as api from '../api.js';
import { h } from '../dom.js';
import { ago, time } from '../format.js';

const POLL_MS = 3000;

// Build workers (GET /api/workers: labels, slots in use, last heartbeat, mode with Drain / Enable) and deploy
// agents (GET /api/agents: tags, OS, last heartbeat, silent), both refreshed every few seconds.
export function mountWorkers(main) {
  const body = h('tbody');
  const agentsBody = h('tbody');
  const note = h('p.muted', { 'aria-live': 'polite' });
  const agentsNote = h('p.muted', { 'aria-live': 'polite' });
  main.append(
    h('h1', {}, 'Workers'),
    h('table.grid.workers', {},
      h('caption', {}, 'Workers that have sent a heartbeat; a worker is alive while its heartbeat is within the lease.'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Worker'),
        h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, 'Labels'),
        h('th', { scope: 'col' }, 'Slots in use'),
        h('th', { scope: 'col' }, 'Last heartbeat'),
        h('th', { scope: 'col' }, 'Mode'))),
      body),
    note,
    h('h2', { id: 'agents-heading' }, 'Deploy agents'),
    h('table.grid.agents', { 'aria-labelledby': 'agents-heading' },
      h('caption', {}, 'Deploy agents that have registered; a silent agent has missed its heartbeats and gets no deployment.'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Instance'),
        h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, 'Tags'),
        h('th', { scope: 'col' }, 'OS'),
        h('th', { scope: 'col' }, 'Last heartbeat'),
        h('th', { scope: 'col' }, 'Registered'))),
      agentsBody),
    agentsNote);
  const abort = new AbortController();
  let timer = 0;
  async function load() {
    await Promise.all([loadWorkers(), loadAgents()]);
    if (!abort.signal.aborted) timer = setTimeout(load, POLL_MS);
  }

  async function loadWorkers() {
    try {
      const workers = await api.listWorkers(abort.signal);
      note.textContent = workers.length ? '' : 'No worker has sent a heartbeat yet.';
      body.replaceChildren(...workers.map((w) => h('tr', { 'data-worker': w.id },
        h('th', { scope: 'row' }, w.id),
        h('td', {}, h(`span.badge.${w.alive ? 'status-succeeded' : 'status-cancelled'}`, { text: w.alive ? 'Alive' : 'Lost' })),
        h('td', {}, w.labels.length
          ? h('ul.tags', { 'aria-label': `Labels of ${w.id}` }, ...w.labels.map((l) => h('li.tag', {}, l)))
          : h('span.muted', {}, 'none')),
        h('td.num', {}, slots(w)),
        heartbeat(w.lastHeartbeatAt),
        h('td', {}, mode(w), ' ', modeButton(w)))));
    } catch (err) {
      if (!abort.signal.aborted) note.textContent = `Could not load workers: ${err.message}`;
    }
  }

  async function loadAgents() {
    try {
      const agents = await api.listAgents(abort.signal);
      agentsNote.textContent = agents.length ? '' : 'No deploy agent has registered (a worker started with Worker:Role=Agent, or `buildfarm agent`).';
      agentsBody.replaceChildren(...agents.map((a) => h('tr', { 'data-agent': a.instance },
        h('th', { scope: 'row' }, a.instance),
        h('td', {}, h(`span.badge.${a.silent ? 'status-cancelled' : 'status-succeeded'}`, { text: a.silent ? 'Silent' : 'Alive' })),
        h('td', {}, h('ul.tags', { 'aria-label': `Tags of ${a.instance}` }, ...Object.entries(a.tags).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => h('li.tag', {}, `${k}=${v}`)))),
        h('td', {}, a.os),
        heartbeat(a.lastHeartbeatAt),
        h('td', {}, h('time', { datetime: a.registeredAt }, time(a.registeredAt))))));
    } catch (err) {
      if (!abort.signal.aborted) agentsNote.textContent = `Could not load deploy agents: ${err.message}`;
    }
  }

  // Slots in use of the slots the worker has: the jobs it holds plus the slots it reported free.
  function slots(w) {
    const all = w.runningJobs + w.freeSlots;
    return h('span', { title: `${w.freeSlots} free as of the last heartbeat` },
      h('meter', { min: '0', max: String(Math.max(all, 1)), value: String(w.runningJobs), 'aria-label': `Slots in use on ${w.id}` }),
      ` ${w.runningJobs} of ${all}`);
  }

  const heartbeat = (at) => h('td', {}, h('time', { datetime: at, title: time(at) }, ago(at)));

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
