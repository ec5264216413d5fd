import * as api from '../api.js';
import { h, announce } from '../dom.js';
import { duration, isFinal, shortId, statusBadge, statusClass, time } from '../format.js';
import { stageLabel, stagesOf, stageStatus } from '../stages.js';

const RECENT = 5;
const POLL_MS = 3000;

// Each pipeline as a card: its stages left to right (GET /api/pipelines/{name}/stages, the coordinator's own
// parse of the file), each stage's actions, and per stage the status it had in each of the last runs.
export function mountPipelines(main) {
  const list = h('div.pipelines');
  const note = h('p.muted', { 'aria-live': 'polite' });
  main.append(h('h1', {}, 'Pipelines'), note, list);
  const abort = new AbortController();
  const cards = new Map();
  // Versions never change, so a shape is read once per name@version; a finished run's jobs only change
  // when its status does (a stage retry), so it is read again only then.
  const shapes = new Map();
  const runs = new Map();
  let timer = 0;

  async function shapeOf(pipeline) {
    const key = `${pipeline.name}@${pipeline.version}`;
    if (!shapes.has(key)) shapes.set(key, await api.getPipelineStages(pipeline.name, pipeline.version, abort.signal));
    return shapes.get(key);
  }

  async function detailOf(summary) {
    const key = `${summary.status}|${summary.finishedAt}`;
    const cached = runs.get(summary.id);
    if (cached && cached.key === key && isFinal(summary.status)) return cached.detail;
    const detail = await api.getRun(summary.id, abort.signal);
    runs.set(summary.id, { key, detail });
    return detail;
  }

  async function load() {
    try {
      const pipelines = await api.listPipelines(abort.signal);
      note.textContent = pipelines.length ? '' : 'No pipelines yet: apply one with `buildfarm pipeline apply buildspec.yml` or PUT /api/pipelines/{name}.';
      // All pipelines at once, so the page draws whole rather than card by card.
      const details = await Promise.all(pipelines.map(async (pipeline) => {
        try {
          const [shape, recent] = await Promise.all([
            shapeOf(pipeline),
            api.listRunSummaries({ pipeline: pipeline.name, pageSize: RECENT }, abort.signal),
          ]);
          const executions = await Promise.all(recent.runs.map(detailOf));
          return { pipeline, shape, executions };
        } catch (err) {
          // Deleted since the list was read: the next poll drops it; anything else is the page's error.
          if (err.status === 404) return null;
          throw err;
        }
      }));
      for (const { pipeline, shape, executions } of details.filter(Boolean)) {
        let card = cards.get(pipeline.name);
        if (!card) {
          card = pipelineCard(pipeline);
          cards.set(pipeline.name, card);
          list.append(card.element);
        }
        card.update(pipeline, shape, executions);
      }
    } catch (err) {
      if (!abort.signal.aborted) note.textContent = `Could not load pipelines: ${err.message}`;
    }
    if (!abort.signal.aborted) timer = setTimeout(load, POLL_MS);
  }

  load();
  return { dispose() { abort.abort(); clearTimeout(timer); } };
}

function pipelineCard(pipeline) {
  const headingId = `pipeline-${pipeline.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const meta = h('p.muted');
  const lane = h('ol.stages', { 'aria-label': `Stages of ${pipeline.name}` });
  const message = h('p.error', { role: 'alert' });
  const trigger = h('button.primary', {
    type: 'button',
    onclick: async () => {
      trigger.disabled = true;
      message.textContent = '';
      try {
        const run = await api.triggerRun(pipeline.name);
        announce(`Run of ${pipeline.name} queued.`);
        location.hash = `#/runs/${run.id}`;
      } catch (err) {
        trigger.disabled = false;
        message.textContent = err.status === 403 ? 'Your token may not trigger runs.' : `Could not trigger: ${err.message}`;
        showActions();
      }
    },
  }, `Run ${pipeline.name}`);
  const definition = h('pre.definition');
  const element = h('article.card', { 'aria-labelledby': headingId },
    h('div.card-head', {},
      h('h2', { id: headingId }, h('a', { href: `#/runs?pipeline=${encodeURIComponent(pipeline.name)}` }, pipeline.name)),
      trigger),
    meta,
    lane,
    message,
    h('details', {}, h('summary', {}, 'Definition'), definition));

  function showActions() { trigger.hidden = !api.allowed('trigger'); }

  return {
    element,
    update(p, shape, executions) {
      meta.textContent = `version ${p.version} · ${p.fileName} · ${shape.stages.length} stage${shape.stages.length === 1 ? '' : 's'} · updated ${time(p.createdAt)}`;
      definition.textContent = p.definition;
      showActions();
      // Each run's stages by name: an older version's run still colours the stages it shares with this one.
      const byRun = executions.map((run) => ({ run, stages: new Map(stagesOf(run).map((s) => [s.name, s])) }));
      lane.replaceChildren(...shape.stages.map((stage, i) => stageBox(p, shape, stage, i, byRun)));
    },
  };
}

function stageBox(pipeline, shape, stage, i, byRun) {
  const latest = byRun[0];
  const statusIn = ({ run, stages }) => {
    const found = stages.get(stage.name);
    return found ? stageStatus(found.jobs, isFinal(run.status)) : null;
  };
  const current = latest ? statusIn(latest) : null;
  const latestJobs = latest?.stages.get(stage.name)?.jobs ?? [];
  return h('li.stage', { 'data-stage': stage.name },
    i > 0 ? h('span.arrow', { 'aria-hidden': 'true' }, '→') : null,
    h('div.stage-box', {},
      h('h3', {}, stage.name),
      current ? statusBadge(h, current, stageLabel(current)) : h('span.muted', {}, latest ? 'not in the last run' : 'never run'),
      shape.kind === 'buildspec'
        ? phaseChips(stage, latestJobs[0])
        : h('ul.actions', { 'aria-label': `Actions of stage ${stage.name}` }, ...stage.actions.map((action) => {
          const job = latestJobs.find((j) => j.name === action.name);
          return h(`li.action${job ? `.${statusClass(job.status)}` : ''}`, { title: action.runOrder > 1 ? `run order ${action.runOrder}` : undefined },
            h('span.action-name', {}, action.name), h('span.category', {}, ` ${action.category}`),
            job ? h('span.visually-hidden', {}, `: ${job.status}`) : null);
        })),
      h('ul.history', { 'aria-label': `Stage ${stage.name} in the last runs, newest first` }, ...byRun.map((entry) => {
        const status = statusIn(entry) ?? 'Unknown';
        const { run } = entry;
        return h('li', {},
          h('a', { href: `#/runs/${run.id}`, class: `dot ${statusClass(status)}`, title: `${stageLabel(status)} · run ${shortId(run.id)} · ${time(run.createdAt)} · ${duration(run.startedAt, run.finishedAt)}` },
            h('span.visually-hidden', {}, `Run ${shortId(run.id)}: ${stageLabel(status)}`)));
      }))));
}

// A buildspec's one stage: its phases, coloured as the last run left them.
function phaseChips(stage, job) {
  const phaseStatus = new Map((job?.phases ?? []).map((ph) => [ph.name, ph.status]));
  return h('ol.phase-chips', { 'aria-label': `Phases of stage ${stage.name}, as the last run left them` },
    ...(stage.actions[0]?.phases ?? []).map((name) => {
      const status = phaseStatus.get(name);
      return h(`li.chip${status ? `.${statusClass(status)}` : ''}`, {}, name, status ? h('span.visually-hidden', {}, `: ${status}`) : null);
    }));
}
