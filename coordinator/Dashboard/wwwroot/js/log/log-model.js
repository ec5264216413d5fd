// A log as lines: bytes arrive in pieces, lines are cut at "\n", a "\r" progress line keeps only
// what it showed last, and each line remembers the ANSI style in force at its start (styles carry
// across lines). Plain text per line is kept for search and for finding the first error.
import { PLAIN, stripAnsi, styleAfter } from './ansi.js';

const ERROR = /\b(error|fatal|failed|failure|exception|panic|traceback)\b/i;
const PHASE_START = /^\[buildfarm\] Entering phase ([A-Z_]+)/;
const PHASE_FAILED = /^\[buildfarm\] Phase complete: ([A-Z_]+) State: FAILED/;

export class LogModel {
  constructor() {
    this.lines = [];      // display text (ANSI kept), after "\r" collapse
    this.plain = [];      // the same without escape sequences
    this.styles = [];     // style at the start of each line
    this.partial = '';    // text after the last "\n": shown as a last, growing line
    this.endStyle = PLAIN;
    this.phaseLines = new Map();  // PHASE -> line index of "Entering phase"
    this.firstError = -1;
    this.failedPhaseLine = -1;
    this.bytes = 0;
  }

  get count() { return this.lines.length + (this.partial ? 1 : 0); }

  append(text) {
    this.bytes += text.length;
    const all = this.partial + text;
    let start = 0;
    for (let end = all.indexOf('\n', start); end >= 0; end = all.indexOf('\n', start)) {
      this.addLine(all.slice(start, end));
      start = end + 1;
    }
    this.partial = all.slice(start);
  }

  addLine(raw) {
    const { text, style } = collapse(raw, this.endStyle);
    const index = this.lines.length;
    const plain = stripAnsi(text);
    this.lines.push(text);
    this.plain.push(plain);
    this.styles.push(style);
    this.endStyle = styleAfter(text, style);
    if (plain.startsWith('[buildfarm]')) {
      const phase = PHASE_START.exec(plain);
      if (phase && !this.phaseLines.has(phase[1])) this.phaseLines.set(phase[1], index);
      if (this.failedPhaseLine < 0 && PHASE_FAILED.test(plain)) this.failedPhaseLine = index;
    } else if (this.firstError < 0 && ERROR.test(plain)) {
      this.firstError = index;
    }
  }

  /** Display text and start style of line i (the partial last line included). */
  line(i) {
    if (i < this.lines.length) return { text: this.lines[i], style: this.styles[i] };
    return collapse(this.partial, this.endStyle);
  }

  plainLine(i) { return i < this.plain.length ? this.plain[i] : stripAnsi(collapse(this.partial, this.endStyle).text); }

  /** The line to show for "jump to first error": an error line, else the failed phase's end. */
  errorLine() { return this.firstError >= 0 ? this.firstError : this.failedPhaseLine; }

  /** Indexes of lines containing needle (case-insensitive), at most `limit`. */
  search(needle, limit = 100000) {
    const found = [];
    if (!needle) return found;
    const n = needle.toLowerCase();
    const count = this.count;
    for (let i = 0; i < count && found.length < limit; i++) {
      if (this.plainLine(i).toLowerCase().includes(n)) found.push(i);
    }
    return found;
  }
}

/** "\r\n" ends a line; any other "\r" rewinds it, so only the text written last is shown. */
function collapse(raw, style) {
  let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const cr = text.lastIndexOf('\r');
  if (cr < 0) return { text, style };
  const parts = text.split('\r');
  let shown = parts.length - 1;
  while (shown > 0 && stripAnsi(parts[shown]) === '') shown--;
  let before = style;
  for (let i = 0; i < shown; i++) before = styleAfter(parts[i], before);
  return { text: parts[shown], style: before };
}
