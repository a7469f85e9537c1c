/**
 * Vietnamese names sort by given name (the last word), then by family and middle
 * names, with a Vietnamese collator (domain brief §7): "Trần Văn An" before
 * "Nguyễn Thị Bình". Used by every list of people.
 */
const collator = new Intl.Collator("vi", { sensitivity: "base" });
const exact = new Intl.Collator("vi", { sensitivity: "variant" });

function split(name: string): [given: string, rest: string] {
  const parts = name.normalize("NFC").trim().split(/\s+/);
  return [parts[parts.length - 1] ?? "", parts.slice(0, -1).join(" ")];
}

export function compareVietnameseNames(a: string, b: string): number {
  const [ga, ra] = split(a);
  const [gb, rb] = split(b);
  return collator.compare(ga, gb) || collator.compare(ra, rb) || exact.compare(ga, gb) || exact.compare(a, b);
}

export function sortByVietnameseName<T>(items: T[], name: (t: T) => string): T[] {
  return [...items].sort((x, y) => compareVietnameseNames(name(x), name(y)));
}

/** NFC, single spaces, trimmed: how names are stored. */
export function normaliseName(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim();
}
