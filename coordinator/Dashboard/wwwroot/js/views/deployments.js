import { h } from '../dom.js';

// Deployments (#7) are being built in parallel: this route is reserved for them and shows no
// made-up data until the deployments API exists.
export function mountDeployments(main) {
  main.append(
    h('h1', {}, 'Deployments'),
    h('section.placeholder', { 'aria-labelledby': 'deploy-soon' },
      h('h2', { id: 'deploy-soon' }, 'Not available yet'),
      h('p', {}, 'Deployments — per-instance and per-event status, and deploy agents — will appear here once the coordinator has a deployments API.'),
      h('p', {}, 'Until then, see ', h('a', { href: '#/runs' }, 'runs'), ' and ', h('a', { href: '#/workers' }, 'workers'), '.')));
  return {};
}
