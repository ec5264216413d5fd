// Hash routes (#/pipelines, #/runs, #/runs/ID, #/runs/ID/L42, #/runs/ID?job=JOB, #/workers, #/deployments, #/signin),
// so the coordinator serves one index.html and every deep link still works.
import * as api from './api.js';
import { h } from './dom.js';
import { mountPipelines } from './views/pipelines.js';
import { mountRuns } from './views/runs.js';
import { mountRun } from './views/run.js';
import { mountWorkers } from './views/workers.js';
import { mountDeployments } from './views/deployments.js';
import { mountSignIn } from './views/signin.js';

const main = document.getElementById('main');
let current = null;
let returnTo = null;

function parse(hash) {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query), key: parts[0] || 'pipelines' };
}

const views = {
  pipelines: mountPipelines,
  runs: (el, route) => (route.parts[1] ? mountRun(el, route) : mountRuns(el, route)),
  workers: mountWorkers,
  deployments: mountDeployments,
  signin: (el) => mountSignIn(el, () => { location.hash = returnTo || '#/pipelines'; returnTo = null; }),
};

function route() {
  const next = parse(location.hash);
  // Same run and job, another line anchor: keep the live log, just move to the line.
  if (current?.key === 'runs' && next.key === 'runs' && current.parts[1] && current.parts[1] === next.parts[1]
    && (current.params.get('job') || '') === (next.params.get('job') || '') && current.view.update) {
    current.parts = next.parts;
    current.view.update(next);
    return;
  }
  current?.view?.dispose?.();
  const mount = views[next.key];
  main.replaceChildren();
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === next.key) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (!mount) {
    main.append(h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'No page here. ', h('a', { href: '#/pipelines' }, 'Go to pipelines')));
    current = null;
  } else {
    current = { ...next, view: mount(main, next) };
  }
  // Move focus to the new page's heading, so keyboard and screen-reader users start there.
  const heading = main.querySelector('h1');
  if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
}

function renderSession() {
  const session = document.getElementById('session');
  const me = api.caller();
  session.replaceChildren(api.hasToken()
    ? h('span', {},
      me ? h('span.who', {}, `${me.name} (${me.role}) `) : null,
      h('button', { type: 'button', onclick: () => { api.signOut(); location.hash = '#/signin'; } }, 'Sign out'))
    : h('a', { href: '#/signin' }, 'Sign in'));
}

api.onUnauthorized(() => {
  if (parse(location.hash).key === 'signin') return;
  returnTo = location.hash || '#/pipelines';
  if (api.hasToken()) api.signOut();
  location.hash = '#/signin';
});
api.onAuthChange(renderSession);
window.addEventListener('hashchange', route);
renderSession();
if (!location.hash) history.replaceState(null, '', '#/pipelines');
// Learn the token's role before the first page draws its buttons; a 401 here opens sign-in.
(api.caller() || parse(location.hash).key === 'signin' ? Promise.resolve() : api.loadCaller().catch(() => {})).finally(route);
