/**
 * The bundled server (decision 030): production runs `node build/server/main.js` and the
 * CLI `node build/server/cli.js`, built by scripts/build-server.mjs. Everything the
 * server reads from disk must resolve from the bundle as it did from source: the
 * migrations (bundled in), the lessons and seed banks (content/), the PDF fonts
 * (assets/), the Remix build, PGlite's WASM (in node_modules). Each process here runs
 * from a working directory outside the project, so a path that silently leaned on the
 * working directory, or on the source file's own location, fails.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild, freePort, ROOT, waitFor } from "./fault-harness";

// Beside build/server/ (the same depth), so the bundle finds the project as it does there.
const OUT = path.join(ROOT, "build", `bundle-test-${process.pid}`);
const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "bd-bundle-cwd-"));
const dataDir = path.join(elsewhere, "data");
// Always the embedded database: what is tested is the bundle's paths, not the driver.
const env: Record<string, string | undefined> = {
  ...process.env,
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  DATA_DIR: dataDir,
  DEMO_SEED: "0",
};
delete env.DATABASE_URL;
delete env.CONTENT_DIR;
delete env.BANKS_DIR;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(OUT, "cli.js"), ...args],
      { cwd: elsewhere, env: env as NodeJS.ProcessEnv, timeout: 180_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, "scripts/build-server.mjs"), "--outdir", OUT], { cwd: ROOT, stdio: "pipe" });
});

afterAll(() => {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.rmSync(elsewhere, { recursive: true, force: true });
});

describe("server bundle", () => {
  it("holds our code only: packages stay imports of node_modules, no TypeScript file is loaded at run time", () => {
    const main = fs.readFileSync(path.join(OUT, "main.js"), "utf8");
    // Every bare import is a package (kept external), never one of our folders.
    const specifiers = [...main.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    expect(specifiers).toContain("express");
    expect(specifiers.filter((s) => s.startsWith(".") || s.startsWith("/") || s.endsWith(".ts"))).toEqual([]);
    // Our modules were bundled in: the migrations and the composition root are inside.
    expect(main).toContain("20261122_0001_foundation");
    expect(main).toContain('process.env.NODE_ENV ??= "production"');
  });

  it("finds files through projectRoot() alone: no other module-relative path survives bundling", () => {
    // A `new URL("../..", import.meta.url)` in server code points elsewhere once bundled
    // into build/server/; server/paths.ts is the one place that may read import.meta.url.
    for (const file of ["main.js", "cli.js"]) {
      const code = fs.readFileSync(path.join(OUT, file), "utf8");
      expect(code.match(/import\.meta\.url/g)?.length, file).toBe(1);
      expect(code.match(/__dirname/g), file).toBeNull();
    }
  });

  it("the CLI applies every migration to a fresh embedded database (bundled migrations, PGlite's WASM)", async () => {
    const r = await cli(["migrate", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const onDisk = fs
      .readdirSync(path.join(ROOT, "db/migrations"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(JSON.parse(r.stdout).applied).toEqual(onDisk);
  }, 180_000);

  it("the CLI reads the shipped programmes from content/ whatever the working directory", async () => {
    const r = await cli(["curricula:list", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { code: string; lessons: unknown[] }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((p) => p.lessons.length > 0)).toBe(true);
  }, 180_000);

  it("the server starts on the existing folder, loads the Remix build and answers a page", async () => {
    const buildDir = ensureBuild();
    const port = await freePort();
    // No NODE_ENV: a bundle runs as production by itself (no Vite, the built app).
    const serverEnv: Record<string, string | undefined> = { ...env, PORT: String(port), HOST: "127.0.0.1", BUILD_DIR: buildDir };
    delete serverEnv.NODE_ENV;
    const proc: ChildProcess = spawn(process.execPath, [path.join(OUT, "main.js")], {
      cwd: elsewhere,
      env: serverEnv as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    proc.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    let exited = false;
    const exit = new Promise<number | null>((resolve) => proc.once("exit", (code) => ((exited = true), resolve(code))));
    try {
      await waitFor(
        "the bundled server's /healthz",
        async () => {
          if (exited) throw new Error(`the bundled server exited while starting:\n${out}`);
          return fetch(`http://127.0.0.1:${port}/healthz`)
            .then((r) => r.ok)
            .catch(() => false);
        },
        150_000,
        250,
      );
      const page = await fetch(`http://127.0.0.1:${port}/dang-nhap`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<html");
      // The lessons were loaded from content/ into the database at start.
      expect(out).not.toMatch(/ENOENT|Cannot find module/);
    } finally {
      proc.kill("SIGTERM");
      expect(await exit).toBe(0);
    }
  }, 240_000);
});
