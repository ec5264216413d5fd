import * as api from '../api.js';
import { h, announce } from '../dom.js';
import { duration, isFinal, shortCommit, shortId, statusBadge, time } from '../format.js';
import { LogView } from '../log/log-view.js';
import { isPendingApproval, stageLabel, stagesOf, stageStatus } from '../stages.js';
import { RunApprovals } from './run-approvals.js';
import { RunArtifacts } from './run-artifacts.js';
import { RunReports } from './run-reports.js';

const POLL_MS = 1000;

// One run: summary, cancel or retry, waiting approvals, stages → jobs → phases (status, timings, exit
// codes), test report counts, artifacts, and its live log.
// #/runs/ID/L42 opens the same page at line 42 of the log; ?job=JOB shows that job's log (a
// pipeline action or a batch member) instead of the first job's.
export function mountRun(main, route) {
  const id = route.parts[1];
  const logJob = route.params.get('job') || '';
  const jobQuery = logJob ? `?job=${encodeURIComponent(logJob)}` : '';
  const abort = new AbortController();
  const heading = h('h1', {}, `Run ${shortId(id)}`);
  const status = h('span.run-status');
  const facts = h('dl.facts');
  const failure = h('div.failure', { hidden: true, role: 'alert' });
  const message = h('p.error', { role: 'alert' });
  const cancel = h('button.danger', { type: 'button', hidden: true, onclick: () => doCancel() }, 'Cancel run');
  const retry = h('button', { type: 'button', hidden: true, onclick: () => doRetry() }, 'Retry run');
  const jobs = h('div.jobs');
  const report = (text) => { message.textContent = text; };
  const artifacts = new RunArtifacts(id, report);
  const reports = new RunReports(id, report);
  const approvals = new RunApprovals(id, report, (next) => { run = next; render(next, lastSummary); });
  const log = new LogView({
    lineHref: (n) => `#/runs/${id}/L${n}${jobQuery}`,
    onDownload: () => download(),
  });
  const logHeading = log.element.querySelector('#log-heading');
  main.append(
    h('p.crumbs', {}, h('a', { href: '#/runs' }, 'Runs'), ' / ', h('code', {}, shortId(id))),
    h('div.run-head', {}, heading, status, cancel, retry),
    message,
    failure,
    approvals.element,
    facts,
    jobs,
    reports.element,
    artifacts.element,
    log.element);

  let run = null;
  let lastSummary = null;
  let timer = 0;
  let targetLine = lineFrom(route);
  let logStarted = false;
  // Reports and artifacts arrive with each job's result: read them again whenever another job ends.
  let jobsEnded = -1;

  let loading = false;
  // The log is often faster than the poll: its first line means the job started, its end that the
  // run is (about to be) final, so either one refreshes the status at once.
  function refreshNow() {
    if (loading || abort.signal.aborted || (run && isFinal(run.status))) return;
    clearTimeout(timer);
    load();
  }

  async function load() {
    loading = true;
    try {
      const [detail, summary] = await Promise.all([api.getRun(id, abort.signal), api.getRunSummary(id, abort.signal)]);
      const wasFinal = run && isFinal(run.status);
      run = detail;
      lastSummary = summary;
      render(detail, summary);
      if (!logStarted) { logStarted = true; followLog(); }
      const ended = detail.jobs.filter((j) => isFinal(j.status)).length;
      if (ended !== jobsEnded) {
        jobsEnded = ended;
        if (ended > 0) {
          // Both sit above the log: when they grow after a line was targeted (#/runs/ID/L42, jump to
          // error), bring the log back onto the screen so the line stays in view.
          Promise.all([reports.load(abort.signal), artifacts.load(abort.signal)]).then(() => {
            if (!abort.signal.aborted && log.target >= 0) log.scroller.scrollIntoView({ block: 'nearest' });
          });
        }
      }
      if (isFinal(detail.status)) {
        if (!wasFinal) announce(`Run ${detail.status.toLowerCase()}.`);
        return;
      }
    } catch (err) {
      if (abort.signal.aborted) return;
      message.textContent = err.status === 404 ? 'No such run.' : `Could not load the run: ${err.message}`;
      if (err.status === 404 || err.status === 401) return;
    } finally {
      loading = false;
    }
    if (!abort.signal.aborted) timer = setTimeout(load, POLL_MS);
  }

  async function followLog() {
    try {
      await api.followLog(id, {
        job: logJob,
        signal: abort.signal,
        onText: (text) => {
          log.append(text);
          if (run?.status === 'Queued') refreshNow();
          if (targetLine > 0 && log.model.count >= targetLine) { log.scrollToLine(targetLine - 1); targetLine = 0; }
        },
      });
      if (!abort.signal.aborted) {
        log.setComplete();
        refreshNow();
        // Phase names link to their first log line once the log has been read.
        if (run) render(run, lastSummary);
        if (targetLine > 0) { log.scrollToLine(Math.min(targetLine, log.model.count) - 1); targetLine = 0; }
      }
    } catch (err) {
      if (!abort.signal.aborted) message.textContent = `The log stopped: ${err.message}`;
    }
  }

  async function doCancel() {
    cancel.disabled = true;
    try {
      run = await api.cancelRun(id);
      announce('Cancel requested.');
    } catch (err) {
      message.textContent = err.status === 403 ? 'Your token may not cancel runs.' : `Could not cancel: ${err.message}`;
    }
    cancel.disabled = false;
    if (run) cancel.hidden = isFinal(run.status) || !api.allowed('cancel');
  }

  // A retry is a new run of the same pipeline version and variables: go and watch it.
  async function doRetry() {
    retry.disabled = true;
    try {
      const next = await api.retryRun(id);
      announce('Retry queued.');
      location.hash = `#/runs/${next.id}`;
    } catch (err) {
      message.textContent = err.status === 403 ? 'Your token may not retry runs.' : `Could not retry: ${err.message}`;
      retry.hidden = !api.allowed('retry');
    }
    retry.disabled = false;
  }

  async function download() {
    try {
      const blob = await api.downloadLog(id, logJob);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: logJob ? `run-${id}-${logJob}.log` : `run-${id}.log` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      message.textContent = `Could not download the log: ${err.message}`;
    }
  }

  function render(detail, summary) {
    status.replaceChildren(statusBadge(h, detail.status));
    heading.textContent = `Run ${shortId(detail.id)} of ${detail.pipeline}`;
    cancel.hidden = isFinal(detail.status) || !api.allowed('cancel');
    retry.hidden = !isFinal(detail.status) || !api.allowed('retry');
    const fact = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
    facts.replaceChildren(
      ...fact('Pipeline', h('a', { href: `#/runs?pipeline=${encodeURIComponent(detail.pipeline)}` }, detail.pipeline), ` version ${detail.pipelineVersion}`),
      ...fact('Triggered by', summary.event ? `${detail.triggeredBy} (${summary.event})` : detail.triggeredBy),
      ...(summary.branch ? fact('Branch', summary.branch) : []),
      ...(summary.commit ? fact('Commit', h('code', { title: summary.commit }, shortCommit(summary.commit))) : []),
      ...fact('Queued', time(detail.createdAt)),
      ...fact('Started', time(detail.startedAt)),
      ...fact('Finished', time(detail.finishedAt)),
      ...fact('Duration', duration(detail.startedAt, detail.finishedAt)),
      ...(detail.reason ? fact('Reason', detail.reason) : []));
    renderFailure(detail);
    approvals.render(detail);
    const stages = stagesOf(detail);
    const pipelineFile = detail.jobs.some((j) => j.stage);
    const shown = shownJob(detail, stages);
    if (shown && logHeading && detail.jobs.length > 1) {
      logHeading.textContent = `Log of ${shown.stage ? `${shown.stage}/` : ''}${shown.name}`;
    }
    jobs.replaceChildren(h('h2', {}, pipelineFile ? 'Stages' : 'Jobs'),
      ...(pipelineFile ? [h('ol.run-stages', {}, ...stages.map((stage) => stageSection(detail, stage)))] : detail.jobs.map(jobTable)));
  }

  // A stage of a pipeline file's run: its status, a retry once the run has stopped on it, and its actions.
  function stageSection(detail, stage) {
    const status = stageStatus(stage.jobs, isFinal(detail.status));
    const retriable = (detail.status === 'Failed' || detail.status === 'Cancelled') && (status === 'Failed' || status === 'Cancelled');
    return h('li.run-stage', { 'data-stage': stage.name },
      h('section', { 'aria-label': `Stage ${stage.name}` },
        h('div.stage-head', {},
          h('h3', {}, `Stage ${stage.index + 1}: ${stage.name} `, statusBadge(h, status, stageLabel(status))),
          retriable && api.allowed('retry')
            ? h('button', { type: 'button', onclick: (e) => doRetryStage(stage.name, e.currentTarget) }, `Retry stage ${stage.name}`)
            : null),
        ...stage.jobs.map(jobTable)));
  }

  async function doRetryStage(stage, button) {
    button.disabled = true;
    try {
      run = await api.retryStage(id, stage);
      announce(`Stage ${stage} retried.`);
      render(run, lastSummary);
      // The run was final, so nothing polls it any more: start again.
      clearTimeout(timer);
      if (!loading) load();
    } catch (err) {
      message.textContent = err.status === 403 ? 'Your token may not retry stages.' : `Could not retry stage ${stage}: ${err.message}`;
      button.disabled = false;
    }
  }

  function renderFailure(detail) {
    const job = detail.jobs.find((j) => j.status === 'Failed');
    const phase = job?.phases.find((p) => p.status === 'Failed');
    if (detail.status !== 'Failed') { failure.hidden = true; return; }
    failure.hidden = false;
    failure.replaceChildren(
      h('strong', {}, phase ? `Failed in phase ${phase.name.toUpperCase()}` : 'Failed'),
      phase?.exitCode != null ? ` with exit code ${phase.exitCode}` : (job?.exitCode != null ? ` with exit code ${job.exitCode}` : ''),
      job?.reason ? `: ${job.reason}` : '.',
      ' ',
      h('button', { type: 'button', onclick: () => log.jumpToError() }, 'Jump to first error'));
  }

  // The job whose log the page shows: the one ?job= names (id or batch identifier), else the first.
  function shownJob(detail, stages) {
    if (logJob) return detail.jobs.find((j) => j.id === logJob || j.identifier === logJob || j.name === logJob);
    return stages[0]?.jobs[0] ?? detail.jobs[0];
  }

  // With several jobs, each one links to its own log; the one shown is marked as the current one.
  function logLink(job) {
    if (!run || run.jobs.length < 2 || job.status === 'Waiting') return null;
    const current = shownJob(run, stagesOf(run)) === job;
    return h('a.job-log', { href: `#/runs/${id}?job=${encodeURIComponent(job.id)}`, 'aria-current': current ? 'true' : null },
      current ? 'Log shown below' : 'Show log');
  }

  function jobTable(job) {
    // Phase lines are known only for the job whose log is loaded.
    const shown = !run || run.jobs.length < 2 || shownJob(run, stagesOf(run)) === job;
    const phaseLink = (name) => {
      const line = shown ? log.model.phaseLines.get(name.toUpperCase()) : undefined;
      return line === undefined ? name : h('a', { href: `#/runs/${id}/L${line + 1}${jobQuery}` }, name);
    };
    const approval = job.category === 'approval';
    const where = approval || job.category === 'deploy' ? ' on the coordinator' : (job.workerId ? ` on ${job.workerId}` : '');
    return h('section.job', { 'aria-label': `Job ${job.name}` },
      h(job.stage ? 'h4' : 'h3', {}, `${job.name} `,
        job.category && job.stage ? h('span.category', {}, `${job.category} `) : null,
        isPendingApproval(job) ? statusBadge(h, 'AwaitingApproval', 'Awaiting approval') : statusBadge(h, job.status),
        job.status === 'Waiting' ? null : h('span.muted', {}, ` attempt ${job.attempt}${where} · ${duration(job.startedAt, job.finishedAt)}`),
        job.exitCode != null ? h('span.muted', {}, ` · exit code ${job.exitCode}`) : null,
        ' ', logLink(job)),
      job.reason ? h('p.reason', {}, job.reason) : null,
      job.status === 'Waiting' ? h('p.muted', {}, 'Waits for the stages and run orders before it.') :
      // A checkout, an approval or a deployment runs no buildspec: no phases to show.
      ['source', 'approval', 'deploy'].includes(job.category) ? null :
      job.phases.length === 0 ? h('p.muted', {}, isFinal(job.status) ? 'No phase ran.' : 'Phases appear as they finish.') :
        h('table.grid.phases', {},
          h('caption', {}, `Phases of job ${job.name}`),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Phase'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Started'),
            h('th', { scope: 'col' }, 'Duration'),
            h('th', { scope: 'col' }, 'Exit code'))),
          h('tbody', {}, ...job.phases.map((p) => h('tr', { class: `row-${p.status.toLowerCase()}` },
            h('th', { scope: 'row' }, phaseLink(p.name)),
            h('td', {}, statusBadge(h, p.status)),
            h('td', {}, h('time', { datetime: p.startedAt }, time(p.startedAt))),
            h('td.num', {}, duration(p.startedAt, p.finishedAt)),
            h('td.num', {}, p.exitCode == null ? '—' : String(p.exitCode)))))));
  }

  load();
  return {
    update(next) {
      const line = lineFrom(next);
      if (line > 0) {
        if (log.model.count >= line) log.scrollToLine(line - 1); else targetLine = line;
      }
    },
    dispose() { abort.abort(); clearTimeout(timer); log.dispose(); },
  };
}

function lineFrom(route) {
  const m = /^L(\d+)$/.exec(route.parts[2] || '');
  return m ? Number(m[1]) : 0;
}
