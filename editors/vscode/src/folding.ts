// Folding ranges for the header block and for sections, used only when the
// server does not offer folding itself (VS Code cannot fold a heading up to the
// next heading with `folding.markers` from language-configuration.json).
// Free of the `vscode` module so that it can be unit-tested with plain Node.

export interface Fold {
  /** 0-based first line. */
  start: number;
  /** 0-based last line (inclusive). */
  end: number;
  /** The header block folds like a region of comments/imports. */
  kind?: 'region';
}

const HEADER_FENCE = /^---[ \t]*$/;
const HEADING = /^(#{1,6})(?:[ \t]|$)/;

/** Folds for `text`: the `---` header and every heading up to the next heading of the same or a higher level. */
export function computeFolds(text: string): Fold[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const folds: Fold[] = [];
  let bodyStart = 0;

  if (lines.length > 0 && HEADER_FENCE.test(lines[0])) {
    const close = lines.findIndex((l, i) => i > 0 && HEADER_FENCE.test(l));
    if (close > 0) {
      folds.push({ start: 0, end: close, kind: 'region' });
      bodyStart = close + 1;
    }
  }

  // Open sections, innermost last.
  const open: { level: number; line: number }[] = [];
  let lastNonBlank = bodyStart - 1;
  const close = (level: number) => {
    while (open.length > 0 && open[open.length - 1].level >= level) {
      const section = open.pop()!;
      if (lastNonBlank > section.line) {
        folds.push({ start: section.line, end: lastNonBlank });
      }
    }
  };
  for (let i = bodyStart; i < lines.length; i++) {
    const m = HEADING.exec(lines[i]);
    if (m) {
      close(m[1].length);
      open.push({ level: m[1].length, line: i });
    }
    if (lines[i].trim() !== '') {
      lastNonBlank = i;
    }
  }
  close(1);
  return folds.sort((a, b) => a.start - b.start);
}
