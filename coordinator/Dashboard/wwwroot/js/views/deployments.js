import * as api from '../api.js';
import { h } from '../dom.js';
import { duration, shortId, statusBadge, time } from '../format.js';

const POLL_MS = 2000;
const DONE = new Set(['Succeeded', 'Failed', 'Stopped']);

// #/deployments: every deployment, newest first; #/deployments/ID: its instances, each one's
// lifecycle events (status, times, time in hooks, exit code, message) and, on request, its log.
// Both refresh while something is in progress. Only GET /api/deployments… is called.
export function mountDeployments(main, route) {
  return route?.parts?.[1] ? mountDeployment(main, route.parts[1]) : mountList(main);
}

function mountList(main) {
  const body = h('tbody');
  const note = h('p.muted', { 'aria-live': 'polite' });
  main.append(
    h('h1', {}, 'Deployments'),
    h('table.grid.deployments', {},
      h('caption', {}, 'Deployments, newest first; this list refreshes by itself.'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Deployment'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Application'),
        h('th', { scope: 'col' }, 'Group'),
        h('th', { scope: 'col' }, 'Instances'),
        h('th', { scope: 'col' }, 'Started'),
        h('th', { scope: 'col' }, 'Duration'))),
      body),
    note);
  const abort = new AbortController();
  let timer = 0;
  async function load() {
    try {
      const list = await api.listDeployments(abort.signal);
      note.textContent = list.length ? '' : 'No deployment yet: POST /api/deployments or `buildfarm deploy` starts one.';
      body.replaceChildren(...list.map((d) => h('tr', { class: `row-${d.status.toLowerCase()}` },
        h('th', { scope: 'row' }, h('a', { href: `#/deployments/${d.id}` }, h('code', {}, shortId(d.id))), d.isRollback ? ' (rollback)' : ''),
        h('td', {}, statusBadge(h, d.status)),
        h('td', {}, d.application),
        h('td', {}, d.group),
        h('td.num', {}, `${d.instances.filter((i) => i.status === 'Succeeded').length} / ${d.instances.length}`),
        h('td', {}, h('time', { datetime: d.createdAt }, time(d.createdAt))),
        h('td.num', {}, duration(d.createdAt, d.finishedAt)))));
    } catch (err) {
      if (!abort.signal.aborted) note.textContent = `Could not load deployments: ${err.message}`;
    }
    if (!abort.signal.aborted) timer = setTimeout(load, POLL_MS);
  }
  load();
  return { dispose() { abort.abort(); clearTimeout(timer); } };
}

function mountDeployment(main, id) {
  const heading = h('h1', {}, `Deployment ${shortId(id)}`);
  const status = h('span.run-status');
  const facts = h('dl.facts');
  const message = h('p.error', { role: 'alert' });
  const instances = h('div.instances');
  main.append(
    h('p.crumbs', {}, h('a', { href: '#/deployments' }, 'Deployments'), ' / ', h('code', {}, shortId(id))),
    h('div.run-head', {}, heading, status),
    message,
    facts,
    instances);
  const abort = new AbortController();
  const openLogs = new Map();
  let timer = 0;

  async function load() {
    let d;
    try {
      d = await api.getDeployment(id, abort.signal);
    } catch (err) {
      if (abort.signal.aborted) return;
      message.textContent = err.status === 404 ? 'No such deployment.' : `Could not load the deployment: ${err.message}`;
      if (err.status === 404 || err.status === 401) return;
      timer = setTimeout(load, POLL_MS);
      return;
    }
    render(d);
    if (!DONE.has(d.status) && !abort.signal.aborted) timer = setTimeout(load, POLL_MS);
  }

  function render(d) {
    heading.textContent = `Deployment ${shortId(d.id)} of ${d.application} to ${d.group}`;
    status.replaceChildren(statusBadge(h, d.status));
    const fact = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
    facts.replaceChildren(
      ...fact('Revision', h('code', {}, d.revision)),
      ...fact('Config', d.deploymentConfig),
      ...(d.isRollback && d.rollbackOf ? fact('Rollback of', h('a', { href: `#/deployments/${d.rollbackOf}` }, shortId(d.rollbackOf))) : []),
      ...(d.rolledBackBy ? fact('Rolled back by', h('a', { href: `#/deployments/${d.rolledBackBy}` }, shortId(d.rolledBackBy))) : []),
      ...fact('Started', time(d.createdAt)),
      ...fact('Finished', time(d.finishedAt)),
      ...fact('Duration', duration(d.createdAt, d.finishedAt)),
      ...(d.reason ? fact('Reason', d.reason) : []));
    instances.replaceChildren(h('h2', {}, 'Instances'), ...d.instances.map(instanceSection));
  }

  function instanceSection(i) {
    const log = openLogs.get(i.id) ?? h('pre.instance-log', { hidden: true, tabindex: '0', 'aria-label': `Log of ${i.instance}` });
    openLogs.set(i.id, log);
    return h('section.job', { 'aria-label': `Instance ${i.instance}` },
      h('h3', {}, `${i.instance} `, statusBadge(h, i.status),
        h('span.muted', {}, ` · ${duration(i.startedAt, i.finishedAt)}`),
        i.message ? h('span.muted', {}, ` · ${i.message}`) : null),
      i.events.length === 0 ? h('p.muted', {}, 'No lifecycle event reported yet.') :
        h('table.grid.events', {},
          h('caption', {}, `Lifecycle events on ${i.instance}`),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Event'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Started'),
            h('th', { scope: 'col' }, 'Duration'),
            h('th', { scope: 'col' }, 'In hooks'),
            h('th', { scope: 'col' }, 'Exit code'),
            h('th', { scope: 'col' }, 'Message'))),
          h('tbody', {}, ...i.events.map((e) => h('tr', { class: `row-${e.status.toLowerCase()}` },
            h('th', { scope: 'row' }, e.event),
            h('td', {}, statusBadge(h, e.status)),
            h('td', {}, h('time', { datetime: e.startedAt }, time(e.startedAt))),
            h('td.num', {}, duration(e.startedAt, e.finishedAt)),
            h('td.num', {}, `${e.hookMilliseconds} ms`),
            h('td.num', {}, e.exitCode == null ? '—' : String(e.exitCode)),
            h('td', {}, e.message || ''))))),
      h('button', { type: 'button', onclick: () => toggleLog(i, log) }, log.hidden ? `Show log of ${i.instance}` : `Hide log of ${i.instance}`),
      log);
  }

  async function toggleLog(i, log) {
    if (!log.hidden) { log.hidden = true; load(); return; }
    try {
      log.textContent = await api.getDeploymentInstanceLog(i.logUrl, abort.signal);
      log.hidden = false;
    } catch (err) {
      message.textContent = `Could not load the log of ${i.instance}: ${err.message}`;
    }
    clearTimeout(timer);
    load();
  }

  load();
  return { dispose() { abort.abort(); clearTimeout(timer); } };
}
