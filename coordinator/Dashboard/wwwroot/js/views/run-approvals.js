import * as api from '../api.js';
import { h, announce } from '../dom.js';
import { ago } from '../format.js';
import { isPendingApproval } from '../stages.js';

// The run page's waiting manual approvals, above everything else: what the approval asks (its summary
// from the pipeline file), since when, and for roles with `operate` a comment and Approve / Reject.
// Redrawn only when the set of waiting approvals changes, so the page's refresh never eats a comment
// being typed or the keyboard focus.
export class RunApprovals {
  constructor(runId, report, onDecided) {
    this.runId = runId;
    this.report = report;
    this.onDecided = onDecided;
    this.key = '';
    this.summaries = null;
    this.element = h('section.approvals', { 'aria-label': 'Waiting approvals', hidden: true });
  }

  render(run) {
    const waiting = run.jobs.filter(isPendingApproval);
    const key = waiting.map((j) => `${j.id}:${j.attempt}`).join(',') + (api.allowed('approve') ? '+' : '-');
    if (key === this.key) return;
    this.key = key;
    this.element.hidden = waiting.length === 0;
    this.element.replaceChildren(...(waiting.length ? [h('h2', {}, 'Waiting for approval'), ...waiting.map((job) => this.form(job))] : []));
    if (waiting.length) this.loadSummaries(run);
  }

  form(job) {
    const name = `${job.stage}/${job.name}`;
    const fieldId = `approval-comment-${job.id}`;
    const summary = h('p.approval-summary');
    const comment = h('textarea', { id: fieldId, rows: '2', maxlength: '1000' });
    const decide = async (decision, button) => {
      for (const b of form.querySelectorAll('button')) b.disabled = true;
      try {
        const run = await api.decideApproval(this.runId, job.stage, job.name, decision, comment.value.trim());
        announce(decision === 'approve' ? `${name} approved.` : `${name} rejected.`);
        this.onDecided(run);
      } catch (err) {
        this.report(err.status === 403 ? 'Your token may not decide approvals.' : `Could not ${decision} ${name}: ${err.message}`);
        for (const b of form.querySelectorAll('button')) b.disabled = false;
        if (err.status === 403) { this.key = ''; button.hidden = true; }
      }
    };
    const allowed = api.allowed('approve');
    const form = h('form.approval', { 'aria-label': `Approval ${name}`, 'data-approval': name, onsubmit: (e) => e.preventDefault() },
      h('h3', {}, `Stage ${job.stage}: ${job.name}`, h('span.muted', {}, ` · waiting since ${ago(job.startedAt)}`)),
      summary,
      allowed
        ? [h('label', { for: fieldId }, 'Comment (recorded with your decision)'), comment,
          h('div.approval-buttons', {},
            h('button.primary', { type: 'button', onclick: (e) => decide('approve', e.currentTarget) }, 'Approve'),
            h('button.danger', { type: 'button', onclick: (e) => decide('reject', e.currentTarget) }, 'Reject'))]
        : h('p.muted', {}, 'Someone whose role may operate runs approves or rejects this.'));
    summary.dataset.action = name;
    return form;
  }

  // The summary each approval asks, from the run's own pipeline version (read once).
  async loadSummaries(run) {
    try {
      this.summaries ??= await api.getPipelineStages(run.pipeline, run.pipelineVersion);
    } catch {
      return; // The pipeline may be gone; the approval can be decided without its summary.
    }
    const byName = new Map(this.summaries.stages.flatMap((s) => s.actions.map((a) => [`${s.name}/${a.name}`, a.configuration?.summary])));
    for (const p of this.element.querySelectorAll('p.approval-summary')) p.textContent = byName.get(p.dataset.action) || '';
  }
}
