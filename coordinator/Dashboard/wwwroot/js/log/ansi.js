// ANSI SGR (colours, bold, italic, underline) to styled segments. Other escape sequences (cursor
// moves, erase line) are dropped: a log is read, not replayed on a terminal.

export const PLAIN = Object.freeze({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false });

// CSI: ESC [ params intermediate final; OSC: ESC ] … BEL or ST; other ESC x pairs.
const ESCAPE = /\x1b\[([0-9;:?]*)[ -\/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;

/** The text with every escape sequence removed, for search and error detection. */
export function stripAnsi(text) {
  return text.indexOf('\x1b') < 0 ? text : text.replace(ESCAPE, '');
}

/** Splits text into [{ text, style }] and returns the style in force at its end. */
export function parseAnsi(text, style = PLAIN) {
  const segments = [];
  if (text.indexOf('\x1b') < 0) {
    if (text) segments.push({ text, style });
    return { segments, style };
  }
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) {
    if (m.index > last) segments.push({ text: text.slice(last, m.index), style });
    if (m[2] === 'm') style = applySgr(style, m[1]);
    last = ESCAPE.lastIndex;
  }
  if (last < text.length) segments.push({ text: text.slice(last), style });
  return { segments, style };
}

/** The style after the escape sequences in text, without building segments. */
export function styleAfter(text, style = PLAIN) {
  if (text.indexOf('\x1b') < 0) return style;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) if (m[2] === 'm') style = applySgr(style, m[1]);
  return style;
}

function applySgr(style, params) {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  const next = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) Object.assign(next, PLAIN);
    else if (c === 1) next.bold = true;
    else if (c === 2) next.dim = true;
    else if (c === 3) next.italic = true;
    else if (c === 4) next.underline = true;
    else if (c === 22) { next.bold = false; next.dim = false; }
    else if (c === 23) next.italic = false;
    else if (c === 24) next.underline = false;
    else if (c >= 30 && c <= 37) next.fg = c - 30;
    else if (c >= 90 && c <= 97) next.fg = c - 90 + 8;
    else if (c === 39) next.fg = null;
    else if (c >= 40 && c <= 47) next.bg = c - 40;
    else if (c >= 100 && c <= 107) next.bg = c - 100 + 8;
    else if (c === 49) next.bg = null;
    else if (c === 38 || c === 48) {
      // 38;5;n (256 colours) or 38;2;r;g;b: kept as a CSS colour string.
      let colour = null;
      if (codes[i + 1] === 5) { colour = xterm256(codes[i + 2]); i += 2; }
      else if (codes[i + 1] === 2) { colour = `rgb(${codes[i + 2] | 0},${codes[i + 3] | 0},${codes[i + 4] | 0})`; i += 4; }
      if (c === 38) next.fg = colour; else next.bg = colour;
    }
  }
  return Object.freeze(next);
}

function xterm256(n) {
  if (n < 16) return n;
  if (n >= 232) { const v = 8 + (n - 232) * 10; return `rgb(${v},${v},${v})`; }
  const i = n - 16, steps = [0, 95, 135, 175, 215, 255];
  return `rgb(${steps[Math.floor(i / 36)]},${steps[Math.floor(i / 6) % 6]},${steps[i % 6]})`;
}

/** Puts a segment's style on an element: palette colours as classes, others inline (CSSOM, CSP-safe). */
export function styleElement(element, style) {
  const classes = [];
  if (typeof style.fg === 'number') classes.push(`fg${style.fg}`);
  else if (style.fg) element.style.color = style.fg;
  if (typeof style.bg === 'number') classes.push(`bg${style.bg}`);
  else if (style.bg) element.style.backgroundColor = style.bg;
  if (style.bold) classes.push('b');
  if (style.dim) classes.push('dim');
  if (style.italic) classes.push('i');
  if (style.underline) classes.push('u');
  if (classes.length) element.className = classes.join(' ');
}
