// The only module that talks to the coordinator, and so the only one that knows about auth:
// every request carries `Authorization: Bearer <token>` when a token is stored (sessionStorage,
// so it dies with the tab); a 401 asks for sign-in. What the token's role may do comes from
// GET /api/me, so a viewer never sees a trigger button; a 403 on an action hides it too (a role
// changed meanwhile). The embedded demo runs with auth off, where everyone is admin.

const TOKEN_KEY = 'buildfarm.token';
const FORBIDDEN_KEY = 'buildfarm.forbidden';
const CALLER_KEY = 'buildfarm.caller';
// The permission (coordinator/Auth/Permissions.cs) each dashboard action needs.
const NEEDS = { trigger: 'trigger', cancel: 'operate', retry: 'operate', approve: 'operate', drain: 'operate' };
const events = new EventTarget();

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function onAuthChange(listener) { events.addEventListener('auth', listener); }
export function onForbidden(listener) { events.addEventListener('forbidden', listener); }

export function hasToken() { return !!sessionStorage.getItem(TOKEN_KEY); }

/** Stores the token and learns its role; throws ApiError (401: not accepted) and stays signed out then. */
export async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
  sessionStorage.removeItem(FORBIDDEN_KEY);
  sessionStorage.removeItem(CALLER_KEY);
  try {
    await loadCaller();
  } catch (error) {
    forget();
    throw error;
  }
  events.dispatchEvent(new Event('auth'));
}

export function signOut() {
  forget();
  events.dispatchEvent(new Event('auth'));
}

function forget() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(FORBIDDEN_KEY);
  sessionStorage.removeItem(CALLER_KEY);
}

/** { name, role, permissions } of the current token (admin "embedded" with auth off), or null before it is known. */
export function caller() {
  try { return JSON.parse(sessionStorage.getItem(CALLER_KEY) || 'null'); } catch { return null; }
}

/** Asks the coordinator who this token is (GET /api/me) and remembers it for this tab. */
export async function loadCaller(signal) {
  const me = await json(send('GET', '/api/me', { signal }));
  sessionStorage.setItem(CALLER_KEY, JSON.stringify(me));
  events.dispatchEvent(new Event('auth'));
  return me;
}

/** Whether the token's role grants an action ('trigger', 'cancel') and it has not been refused with 403. */
export function allowed(action) {
  if (forbiddenSet().has(action)) return false;
  const me = caller();
  return !me || !NEEDS[action] || me.permissions.includes(NEEDS[action]);
}

function forbiddenSet() {
  try { return new Set(JSON.parse(sessionStorage.getItem(FORBIDDEN_KEY) || '[]')); } catch { return new Set(); }
}

function markForbidden(action) {
  const set = forbiddenSet();
  set.add(action);
  sessionStorage.setItem(FORBIDDEN_KEY, JSON.stringify([...set]));
  events.dispatchEvent(new CustomEvent('forbidden', { detail: action }));
}

async function send(method, path, { body, headers = {}, signal, action } = {}) {
  const all = { Accept: 'application/json', ...headers };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) all.Authorization = `Bearer ${token}`;
  if (body !== undefined) all['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers: all, signal, cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.ok) return response;
  let problem = null;
  try { problem = await response.json(); } catch { /* not ProblemDetails: the status says enough */ }
  if (response.status === 401) events.dispatchEvent(new CustomEvent('unauthorized'));
  if (response.status === 403 && action) markForbidden(action);
  throw new ApiError(response.status, problem);
}

export function onUnauthorized(listener) { events.addEventListener('unauthorized', listener); }

const json = async (promise) => (await promise).json();
const q = (params) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, v);
  const text = s.toString();
  return text ? `?${text}` : '';
};
const enc = encodeURIComponent;

export const listPipelines = (signal) => json(send('GET', '/api/pipelines', { signal }));
export const getPipeline = (name, signal) => json(send('GET', `/api/pipelines/${enc(name)}`, { signal }));
export const listRunSummaries = ({ pipeline, status, pageSize, pageToken } = {}, signal) =>
  json(send('GET', `/api/run-summaries${q({ pipeline, status, pageSize, pageToken })}`, { signal }));
export const getPipelineStages = (name, version, signal) =>
  json(send('GET', `/api/pipelines/${enc(name)}/stages${q({ version })}`, { signal }));
export const getRunSummary = (id, signal) => json(send('GET', `/api/run-summaries/${enc(id)}`, { signal }));
export const getRun = (id, signal) => json(send('GET', `/api/runs/${enc(id)}`, { signal }));
export const triggerRun = (pipeline) => json(send('POST', '/api/runs', { body: { pipeline }, action: 'trigger' }));
export const cancelRun = (id) => json(send('POST', `/api/runs/${enc(id)}/cancel`, { action: 'cancel' }));
export const retryRun = (id) => json(send('POST', `/api/runs/${enc(id)}/retry`, { action: 'retry' }));
/** Approve or reject a waiting approval action; the coordinator records who and the comment. */
export const decideApproval = (id, stage, action, decision, comment) =>
  json(send('POST', `/api/runs/${enc(id)}/approvals/${enc(stage)}/${enc(action)}`, { body: { decision, comment: comment || null }, action: 'approve' }));
/** A failed stage again in the same run: its failed actions (mode 'failed') or all of them. */
export const retryStage = (id, stage, mode = 'failed') =>
  json(send('POST', `/api/runs/${enc(id)}/stages/${enc(stage)}/retry${q({ mode })}`, { action: 'retry' }));
export const getRunReports = (id, signal) => json(send('GET', `/api/runs/${enc(id)}/reports`, { signal }));
export const listWorkers = (signal) => json(send('GET', '/api/workers', { signal }));
export const drainWorker = (id) => json(send('POST', `/api/workers/${enc(id)}/drain`, { action: 'drain' }));
export const enableWorker = (id) => json(send('POST', `/api/workers/${enc(id)}/enable`, { action: 'drain' }));

export const listAgents = (signal) => json(send('GET', '/api/agents', { signal }));
export const listDeployments = (signal) => json(send('GET', '/api/deployments', { signal }));
export const getDeployment = (id, signal) => json(send('GET', `/api/deployments/${enc(id)}`, { signal }));
/** One instance's hook output as text; `logUrl` is the path the deployment's instance carries. */
export async function getDeploymentInstanceLog(logUrl, signal) {
  const response = await send('GET', logUrl, { headers: { Accept: 'text/plain' }, signal });
  return response.text();
}

export const listArtifacts = (id, signal) => json(send('GET', `/api/runs/${enc(id)}/artifacts`, { signal }));

/** One artifact's zip as a Blob: fetched with the token, because a plain link cannot carry the Authorization header. */
export async function downloadArtifact(id, name) {
  const response = await send('GET', `/api/runs/${enc(id)}/artifacts/${enc(name)}`, { headers: { Accept: 'application/zip' } });
  return response.blob();
}

/** The whole log of a job (`job`: id or batch identifier; empty for the run's first) as a Blob, for the download button. */
export async function downloadLog(id, job = '') {
  const response = await send('GET', `/api/runs/${enc(id)}/log${q({ job })}`, { headers: { Accept: 'text/plain' } });
  return response.blob();
}

/**
 * Follows a run's log over Server-Sent Events read with fetch() streaming (an EventSource cannot
 * send the Authorization header). Calls onText(text, endOffset) for each event and resolves when
 * the server says the log is complete; `job` picks one job of a run with several. A dropped connection resumes from the last event id
 * (Last-Event-ID), so nothing is lost or repeated; bounded by `maxReconnects`.
 */
export async function followLog(id, { job = '', offset = 0, onText, signal, maxReconnects = 30 }) {
  let last = offset;
  for (let attempt = 0; attempt <= maxReconnects; attempt++) {
    const headers = { Accept: 'text/event-stream' };
    if (last > 0) headers['Last-Event-ID'] = String(last);
    let ended = false;
    try {
      const response = await send('GET', `/api/runs/${enc(id)}/log/follow${q({ offset: last, job })}`, { headers, signal });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new EventStreamParser((event) => {
        if (event.type === 'end') { ended = true; return; }
        if (event.id !== null) last = Number(event.id);
        onText(event.data, last);
      });
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        attempt = 0;
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof ApiError) throw error;
    }
    if (ended || signal?.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
  }
  throw new Error('The log stream kept dropping; reload to try again.');
}

/**
 * text/event-stream framing. Only "\n" ends a field here: the coordinator writes "\n" line ends,
 * and a "\r" inside data is the build's own progress output, which the log view collapses.
 */
class EventStreamParser {
  constructor(dispatch) { this.dispatch = dispatch; this.buffer = ''; this.reset(); }
  reset() { this.id = null; this.type = 'message'; this.data = []; }
  push(chunk) {
    const text = this.buffer + chunk;
    let start = 0;
    for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
      this.line(text.slice(start, end));
      start = end + 1;
    }
    this.buffer = text.slice(start);
  }
  line(line) {
    if (line === '') {
      if (this.data.length || this.type !== 'message') this.dispatch({ id: this.id, type: this.type, data: this.data.join('\n') });
      this.reset();
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'id') this.id = value;
    else if (field === 'event') this.type = value;
  }
}
