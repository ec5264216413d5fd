import * as api from '../api.js';
import { h } from '../dom.js';
import { time } from '../format.js';

// The run page's artifact list: name, size, SHA-256, and a download button that fetches the zip
// with the token (a link cannot send the Authorization header) and saves the blob.
export class RunArtifacts {
  constructor(runId, report) {
    this.runId = runId;
    this.report = report;
    this.element = h('section.artifacts', { 'aria-label': 'Artifacts', hidden: true });
  }

  async load(signal) {
    let list;
    try {
      list = await api.listArtifacts(this.runId, signal);
    } catch (err) {
      if (!signal?.aborted) this.report(`Could not list the artifacts: ${err.message}`);
      return;
    }
    this.element.hidden = false;
    this.element.replaceChildren(
      h('h2', {}, 'Artifacts'),
      list.length === 0 ? h('p.muted', {}, 'This run stored no artifacts.') :
        h('table.grid.artifacts', {},
          h('caption', {}, 'Artifacts of this run'),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Name'),
            h('th', { scope: 'col' }, 'Size'),
            h('th', { scope: 'col' }, 'SHA-256'),
            h('th', { scope: 'col' }, 'Stored'),
            h('th', { scope: 'col' }, h('span.visually-hidden', {}, 'Download')))),
          h('tbody', {}, ...list.map((a) => h('tr', {},
            h('th', { scope: 'row' }, a.name),
            h('td.num', {}, size(a.sizeBytes)),
            h('td', {}, h('code', { title: a.sha256 }, a.sha256.slice(0, 12))),
            h('td', {}, h('time', { datetime: a.storedAt }, time(a.storedAt))),
            h('td', {}, h('button', { type: 'button', 'data-artifact': a.name, onclick: (e) => this.download(a, e.currentTarget) }, `Download ${a.name}.zip`)))))));
  }

  async download(artifact, button) {
    button.disabled = true;
    try {
      const blob = await api.downloadArtifact(this.runId, artifact.name);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: `${artifact.name}.zip` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      this.report(`Could not download ${artifact.name}.zip: ${err.message}`);
    }
    button.disabled = false;
  }
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
