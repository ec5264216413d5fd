// The live log: virtualised (only the rows in view exist in the DOM, so a log of many megabytes
// scrolls and searches like a small one), ANSI colours, line numbers that are links, search,
// follow/unfollow, jump to the first error, and download.
import { h, announce } from '../dom.js';
import { parseAnsi, styleElement } from './ansi.js';
import { LogModel } from './log-model.js';

const OVERSCAN = 20;

export class LogView {
  constructor({ lineHref, onDownload }) {
    this.model = new LogModel();
    this.lineHref = lineHref;
    this.follow = true;
    this.complete = false;
    this.target = -1;
    this.query = '';
    this.matches = [];
    this.matchSet = new Set();
    this.current = -1;
    this.matchesFor = -1;
    this.pending = false;

    this.searchInput = h('input', { id: 'log-search', type: 'search', placeholder: 'Search the log', autocomplete: 'off', 'aria-describedby': 'log-search-count' });
    this.searchCount = h('span.log-count', { id: 'log-search-count', 'aria-live': 'polite' });
    this.followButton = h('button', { type: 'button', 'aria-pressed': 'true', onclick: () => this.setFollow(!this.follow) }, 'Follow');
    this.errorButton = h('button', { type: 'button', onclick: () => this.jumpToError(), disabled: true }, 'Jump to first error');
    this.status = h('span.log-status', { id: 'log-status' });
    this.rows = h('div.log-rows');
    this.spacer = h('div.log-spacer', {}, this.rows);
    this.scroller = h('div.log-scroller', { tabindex: '0', role: 'region', 'aria-label': 'Log output', 'aria-describedby': 'log-status' }, this.spacer);
    const search = h('form.log-search', { role: 'search', onsubmit: (e) => { e.preventDefault(); this.step(1); } },
      h('label', { for: 'log-search' }, 'Search'),
      this.searchInput,
      h('button', { type: 'button', 'aria-label': 'Previous match', onclick: () => this.step(-1) }, '↑'),
      h('button', { type: 'submit', 'aria-label': 'Next match' }, '↓'),
      this.searchCount);
    this.element = h('section.log', { 'aria-labelledby': 'log-heading' },
      h('div.log-head', {},
        h('h2', { id: 'log-heading' }, 'Log'),
        this.status),
      h('div.log-toolbar', {},
        search,
        this.followButton,
        this.errorButton,
        h('button', { type: 'button', onclick: onDownload }, 'Download log')),
      this.scroller);

    let debounce = 0;
    this.searchInput.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => this.search(this.searchInput.value), 150);
    });
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.shiftKey) { e.preventDefault(); this.step(-1); }
      if (e.key === 'Escape') { this.searchInput.value = ''; this.search(''); }
    });
    this.scroller.addEventListener('scroll', () => {
      if (this.programmatic) { this.programmatic = false; } else if (this.follow && !this.atBottom()) this.setFollow(false);
      this.schedule();
    }, { passive: true });
    this.scroller.addEventListener('keydown', (e) => {
      if (e.key === '/') { e.preventDefault(); this.searchInput.focus(); }
    });
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(this.scroller);
    this.updateStatus();
  }

  get lineHeight() {
    if (!this._lineHeight) this._lineHeight = parseFloat(getComputedStyle(this.scroller).getPropertyValue('--log-line')) || 18;
    return this._lineHeight;
  }

  append(text) {
    this.model.append(text);
    this.schedule();
  }

  setComplete() {
    this.complete = true;
    this.schedule();
    announce(`Log complete, ${this.model.count} lines.`);
  }

  setFollow(on) {
    this.follow = on;
    this.followButton.setAttribute('aria-pressed', String(on));
    if (on) this.scrollToBottom();
  }

  atBottom() {
    const s = this.scroller;
    return s.scrollTop + s.clientHeight >= s.scrollHeight - this.lineHeight * 2;
  }

  scrollToBottom() {
    this.spacer.style.height = `${this.model.count * this.lineHeight}px`;
    this.setScrollTop(this.scroller.scrollHeight - this.scroller.clientHeight);
    this.schedule();
  }

  /** Scrolls line i (0-based) into view and marks it. */
  scrollToLine(i, { focus = false } = {}) {
    if (i < 0) return;
    this.setFollow(false);
    this.target = i;
    this.spacer.style.height = `${this.model.count * this.lineHeight}px`;
    this.setScrollTop(Math.max(0, Math.round(i * this.lineHeight - this.scroller.clientHeight / 3)));
    this.render();
    // The log sits below the run's facts: bring it onto the screen too, not only the line into the log.
    this.scroller.scrollIntoView({ block: 'nearest' });
    if (focus) this.scroller.focus({ preventScroll: true });
  }

  jumpToError() {
    const line = this.model.errorLine();
    if (line < 0) { announce('No error found in the log.'); return; }
    this.scrollToLine(line, { focus: true });
    announce(`Line ${line + 1}: ${this.model.plainLine(line)}`);
  }

  search(query) {
    this.query = query;
    this.refreshMatches();
    this.current = -1;
    if (this.matches.length) this.step(1);
    else this.schedule();
  }

  refreshMatches() {
    this.matches = this.model.search(this.query);
    this.matchSet = new Set(this.matches);
    this.matchesFor = this.model.count;
    this.searchCount.textContent = this.query ? `${this.matches.length} ${this.matches.length === 1 ? 'match' : 'matches'}` : '';
  }

  step(direction) {
    if (!this.query) return;
    if (this.matchesFor !== this.model.count) this.refreshMatches();
    if (!this.matches.length) return;
    if (this.current < 0) {
      const top = Math.floor(this.scroller.scrollTop / this.lineHeight);
      const from = this.matches.findIndex((m) => m >= top);
      this.current = direction > 0 ? Math.max(0, from) : (from <= 0 ? this.matches.length - 1 : from - 1);
    } else {
      this.current = (this.current + direction + this.matches.length) % this.matches.length;
    }
    this.searchCount.textContent = `${this.current + 1} of ${this.matches.length}`;
    this.scrollToLine(this.matches[this.current]);
  }

  /** A scroll the view makes itself must not read as the user scrolling away from the tail. */
  setScrollTop(value) {
    const max = Math.max(0, this.scroller.scrollHeight - this.scroller.clientHeight);
    const next = Math.min(max, Math.max(0, value));
    if (Math.abs(this.scroller.scrollTop - next) < 1) return;
    this.programmatic = true;
    this.scroller.scrollTop = next;
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.render(); });
  }

  render() {
    const count = this.model.count;
    const lh = this.lineHeight;
    this.spacer.style.height = `${count * lh}px`;
    if (this.follow) this.setScrollTop(this.scroller.scrollHeight - this.scroller.clientHeight);
    const top = this.scroller.scrollTop;
    const first = Math.max(0, Math.floor(top / lh) - OVERSCAN);
    const last = Math.min(count, Math.ceil((top + this.scroller.clientHeight) / lh) + OVERSCAN);
    this.rows.style.transform = `translateY(${first * lh}px)`;
    const fragment = document.createDocumentFragment();
    const currentLine = this.current >= 0 ? this.matches[this.current] : -1;
    for (let i = first; i < last; i++) fragment.append(this.row(i, currentLine));
    this.rows.replaceChildren(fragment);
    this.errorButton.disabled = this.model.errorLine() < 0;
    this.updateStatus();
  }

  row(i, currentLine) {
    const { text, style } = this.model.line(i);
    const plain = this.model.plainLine(i);
    let cls = 'log-line';
    if (plain.startsWith('[buildfarm]')) cls += ' sys';
    if (i === this.target) cls += ' target';
    if (this.matchSet.has(i)) cls += i === currentLine ? ' hit current' : ' hit';
    const content = h('span.lt');
    for (const segment of parseAnsi(text, style).segments) {
      const span = document.createElement('span');
      styleElement(span, segment.style);
      this.highlight(span, segment.text);
      content.append(span);
    }
    return h('div', { class: cls, 'data-line': i + 1 },
      h('a.ln', { href: this.lineHref(i + 1), tabindex: '-1', 'aria-label': `Line ${i + 1}` }, String(i + 1)),
      content);
  }

  highlight(span, text) {
    if (!this.query) { span.textContent = text; return; }
    const lower = text.toLowerCase(), needle = this.query.toLowerCase();
    let at = 0;
    for (let found = lower.indexOf(needle); found >= 0; found = lower.indexOf(needle, at)) {
      if (found > at) span.append(text.slice(at, found));
      span.append(h('mark', {}, text.slice(found, found + needle.length)));
      at = found + needle.length;
    }
    if (at < text.length) span.append(text.slice(at));
  }

  updateStatus() {
    const n = this.model.count;
    const state = this.complete ? 'Complete' : 'Live';
    this.status.textContent = `${state} · ${n.toLocaleString()} ${n === 1 ? 'line' : 'lines'}`;
  }

  dispose() { this.resize.disconnect(); }
}
