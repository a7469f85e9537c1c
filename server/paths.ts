import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project folder: the nearest folder above this module holding package.json and
 * content/ (a build folder may hold a package.json of its own). The
 * same answer whether the server runs from source (server/paths.ts, under tsx or Vitest)
 * or from the bundle (build/server/main.js): a path written relative to the module's
 * own file would differ between the two (docs/decisions/030-bundled-server.md).
 */
export function projectRoot(from: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "content"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}
