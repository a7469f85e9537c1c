/**
 * Line diff between two versions of a text (longest common subsequence), for the
 * lesson history view. Pure; fine for lesson-sized texts (a few hundred lines).
 */
export type DiffLine = { kind: "same" | "added" | "removed"; text: string; oldNo?: number; newNo?: number };

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.replace(/\r\n?/g, "\n").split("\n");
  const b = after.replace(/\r\n?/g, "\n").split("\n");
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..], kept in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] =
        a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) out.push({ kind: "same", text: a[i]!, oldNo: ++i, newNo: ++j });
    else if (lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!) out.push({ kind: "removed", text: a[i]!, oldNo: ++i });
    else out.push({ kind: "added", text: b[j]!, newNo: ++j });
  }
  while (i < n) out.push({ kind: "removed", text: a[i]!, oldNo: ++i });
  while (j < m) out.push({ kind: "added", text: b[j]!, newNo: ++j });
  return out;
}

/** Only changed lines and `context` lines around them; runs of unchanged lines elided. */
export function compactDiff(lines: DiffLine[], context = 2): (DiffLine | { kind: "skip"; count: number })[] {
  const keep = lines.map((l) => l.kind !== "same");
  const near = lines.map((_, i) => keep.slice(Math.max(0, i - context), i + context + 1).some(Boolean));
  const out: (DiffLine | { kind: "skip"; count: number })[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (near[i]) {
      if (skipped) out.push({ kind: "skip", count: skipped });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped) out.push({ kind: "skip", count: skipped });
  return out;
}
