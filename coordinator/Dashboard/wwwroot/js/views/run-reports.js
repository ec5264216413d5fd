import * as api from '../api.js';
import { h } from '../dom.js';

// The run page's test reports (GET /api/runs/{id}/reports): per job and report group, the JUnit counts.
export class RunReports {
  constructor(runId, report) {
    this.runId = runId;
    this.report = report;
    this.element = h('section.reports', { 'aria-label': 'Test reports', hidden: true });
  }

  async load(signal) {
    let list;
    try {
      list = await api.getRunReports(this.runId, signal);
    } catch (err) {
      if (!signal?.aborted) this.report(`Could not read the test reports: ${err.message}`);
      return;
    }
    // Most builds report no tests: the section only appears when there is something to count.
    this.element.hidden = list.length === 0;
    if (list.length === 0) return;
    const jobs = new Set(list.map((r) => r.job)).size;
    const total = (key) => list.reduce((sum, r) => sum + r[key], 0);
    const failing = total('failed') + total('errored');
    this.element.replaceChildren(
      h('h2', {}, 'Test reports'),
      h('p', { class: failing ? 'report-summary failing' : 'report-summary' },
        `${total('total')} tests: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped, ${total('errored')} errored`),
      h('table.grid.reports', {},
        h('caption', {}, 'Test results per report group (JUnit XML)'),
        h('thead', {}, h('tr', {},
          jobs > 1 ? h('th', { scope: 'col' }, 'Job') : null,
          h('th', { scope: 'col' }, 'Report group'),
          h('th', { scope: 'col' }, 'Total'),
          h('th', { scope: 'col' }, 'Passed'),
          h('th', { scope: 'col' }, 'Failed'),
          h('th', { scope: 'col' }, 'Skipped'),
          h('th', { scope: 'col' }, 'Errored'),
          h('th', { scope: 'col' }, 'Duration'),
          h('th', { scope: 'col' }, 'Files'))),
        h('tbody', {}, ...list.map((r) => h('tr', { class: r.failed + r.errored ? 'row-failed' : 'row-succeeded' },
          jobs > 1 ? h('td', {}, r.job) : null,
          h('th', { scope: 'row' }, r.reportGroup),
          h('td.num', { 'data-count': 'total' }, String(r.total)),
          h('td.num', { 'data-count': 'passed' }, String(r.passed)),
          h('td.num', { 'data-count': 'failed' }, String(r.failed)),
          h('td.num', { 'data-count': 'skipped' }, String(r.skipped)),
          h('td.num', { 'data-count': 'errored' }, String(r.errored)),
          h('td.num', {}, `${r.durationSeconds.toFixed(1)} s`),
          h('td.num', {}, String(r.files)))))));
  }
}
