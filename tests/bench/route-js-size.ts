/**
 * The JavaScript and CSS a route's page loads (entry, root and the route module with
 * the chunks they import), raw and gzipped, read from the client build's manifest.
 * Usage: npm run build && npx tsx tests/bench/route-js-size.ts routes/bai-giang.$id._index …
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = join(process.env.BUILD_DIR ?? "build", "client");
const manifestFile = readdirSync(join(dir, "assets")).find((f) => /^manifest-.*\.js$/.test(f));
if (!manifestFile) throw new Error("No build manifest: run npm run build first.");
const manifest = JSON.parse(
  readFileSync(join(dir, "assets", manifestFile), "utf8")
    .replace(/^window.__remixManifest=/, "")
    .replace(/;\s*$/, ""),
) as {
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[]; css?: string[]; parentId?: string }>;
};

function size(files: Iterable<string>) {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const buf = readFileSync(join(dir, f));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  return { raw, gz };
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

for (const id of process.argv.slice(2)) {
  const js = new Set<string>([manifest.entry.module, ...manifest.entry.imports]);
  const css = new Set<string>();
  for (let r = manifest.routes[id]; r; r = r.parentId ? manifest.routes[r.parentId] : undefined!) {
    js.add(r.module);
    r.imports?.forEach((f) => js.add(f));
    r.css?.forEach((f) => css.add(f));
  }
  if (!manifest.routes[id]) throw new Error(`No route ${id}`);
  const route = size([manifest.routes[id].module]);
  const all = size(js);
  const styles = size(css);
  console.log(
    `${id}: route module ${kb(route.raw)} (${kb(route.gz)} gz); page JS ${kb(all.raw)} (${kb(all.gz)} gz) in ${js.size} files; CSS ${kb(styles.raw)} (${kb(styles.gz)} gz)`,
  );
}
