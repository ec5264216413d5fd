import * as api from '../api.js';
import { h, announce } from '../dom.js';
import { duration, shortId, statusBadge, time } from '../format.js';

const RECENT = 5;
const POLL_MS = 3000;

// Today a pipeline is one buildspec, which runs as one stage ("build"); the lane is drawn left to
// right so that more stages slot in beside it when pipelines get them.
const STAGES = ['build'];

export function mountPipelines(main) {
  const list = h('div.pipelines');
  const note = h('p.muted', { 'aria-live': 'polite' });
  main.append(h('h1', {}, 'Pipelines'), note, list);
  const abort = new AbortController();
  const cards = new Map();
  let timer = 0;

  async function load() {
    try {
      const pipelines = await api.listPipelines(abort.signal);
      note.textContent = pipelines.length ? '' : 'No pipelines yet: apply one with `buildfarm pipeline apply buildspec.yml` or PUT /api/pipelines/{name}.';
      // All pipelines at once, so the page draws whole rather than card by card. The latest run's
      // phases colour the stage's phases; only that run is read in full.
      const details = await Promise.all(pipelines.map(async (pipeline) => {
        const recent = await api.listRunSummaries({ pipeline: pipeline.name, pageSize: RECENT }, abort.signal);
        const latest = recent.runs[0] ? await api.getRun(recent.runs[0].id, abort.signal) : null;
        return { pipeline, runs: recent.runs, latest };
      }));
      for (const { pipeline, runs, latest } of details) {
        let card = cards.get(pipeline.name);
        if (!card) {
          card = pipelineCard(pipeline);
          cards.set(pipeline.name, card);
          list.append(card.element);
        }
        card.update(pipeline, runs, latest);
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
    update(p, runs, latest) {
      const phaseStatus = new Map((latest?.jobs[0]?.phases ?? []).map((ph) => [ph.name, ph.status]));
      meta.textContent = `version ${p.version} · ${p.fileName} · updated ${time(p.createdAt)}`;
      definition.textContent = p.definition;
      showActions();
      lane.replaceChildren(...STAGES.map((stage, i) => h('li.stage', {},
        i > 0 ? h('span.arrow', { 'aria-hidden': 'true' }, '→') : null,
        h('div.stage-box', {},
          h('h3', {}, stage),
          runs.length ? statusBadge(h, runs[0].status) : h('span.muted', {}, 'never run'),
          h('ol.phase-chips', { 'aria-label': `Phases of stage ${stage}, as the last run left them` },
            ...phasesOf(p.definition).map((name) => {
              const status = phaseStatus.get(name);
              return h(`li.chip${status ? `.status-${status.toLowerCase()}` : ''}`, {}, name, status ? h('span.visually-hidden', {}, `: ${status}`) : null);
            })),
          h('ul.history', { 'aria-label': `Last runs of stage ${stage}` }, ...runs.map((r) => h('li', {},
            h('a', { href: `#/runs/${r.id}`, class: `dot status-${r.status.toLowerCase()}`, title: `${r.status} · ${time(r.createdAt)} · ${duration(r.startedAt, r.finishedAt)}` },
              h('span.visually-hidden', {}, `Run ${shortId(r.id)}: ${r.status}`)))))))));
    },
  };
}

// The buildspec's phases in CodeBuild order, read from the definition's top-level `phases:` map.
const PHASE_ORDER = ['install', 'pre_build', 'build', 'post_build'];
function phasesOf(definition) {
  const block = /^phases:\s*\n((?:[ \t]+.*\n?|\s*\n)*)/m.exec(definition);
  if (!block) return [];
  const found = new Set([...block[1].matchAll(/^[ \t]+(install|pre_build|build|post_build):/gm)].map((m) => m[1]));
  return PHASE_ORDER.filter((name) => found.has(name));
}
