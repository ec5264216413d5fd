import * as api from '../api.js';
import { h } from '../dom.js';

export function mountSignIn(main, done) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'token-help' });
  const error = h('p.error', { id: 'signin-error', role: 'alert' });
  const form = h('form.signin', {
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        await api.signIn(input.value);
        done();
      } catch (err) {
        error.textContent = err.status === 401 ? 'That token was not accepted.'
          : err.status === 403 ? 'That token may not read the farm (a worker token?).'
          : `Could not sign in: ${err.message}`;
        input.focus();
      }
    },
  },
  h('label', { for: 'token' }, 'API token'),
  input,
  h('p.muted', { id: 'token-help' }, 'The token is kept in this browser tab only (sessionStorage) and sent as a Bearer token with every request.'),
  h('button.primary', { type: 'submit' }, 'Sign in'),
  error);
  main.append(h('h1', {}, 'Sign in'), form);
  input.focus();
  return {};
}
