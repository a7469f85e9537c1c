// Bundles the server (server/main.ts) and the CLI (server/cli/main.ts) into plain
// JavaScript for Node 20, so production runs `node build/server/main.js` without tsx
// (docs/decisions/030-bundled-server.md). Only our TypeScript is bundled: every package
// stays an import of node_modules (`packages: "external"`), so native addons (argon2),
// PGlite's WASM and the packages' own file lookups keep working unchanged.
//
// Usage: node scripts/build-server.mjs [--outdir build/server]
// Run it after `remix vite:build`, which empties build/server/ before writing the Remix
// server build (build/server/index.js) there.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The esbuild options; tests/integration/server-bundle.test.ts builds with them too. */
export function serverBundleOptions(outdir) {
  return {
    absWorkingDir: root,
    entryPoints: { main: "server/main.ts", cli: "server/cli/main.ts" },
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
    // A bundle is the production build: without NODE_ENV it runs as production (no Vite,
    // the built Remix app); an explicit NODE_ENV still wins. Our own modules run after
    // this line; the packages read NODE_ENV when they are called, not when imported.
    banner: { js: 'process.env.NODE_ENV ??= "production";' },
  };
}

export async function buildServer(outdir = path.join(root, "build/server")) {
  return esbuild.build(serverBundleOptions(outdir));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { outdir: { type: "string" } } });
  const started = performance.now();
  const outdir = path.resolve(values.outdir ?? path.join(root, "build/server"));
  await buildServer(outdir);
  console.log(
    `server bundle: ${path.relative(process.cwd(), outdir) || "."}/{main,cli}.js in ${Math.round(performance.now() - started)} ms`,
  );
}
