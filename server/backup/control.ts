import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";

/**
 * The embedded database has one owner (decision 027). Whoever opens a PGlite data folder
 * (the server, or a CLI command while no server runs) first listens on a local socket
 * named after the folder: a second process that can connect to it knows the folder is
 * taken and refuses, instead of opening the same files twice (which corrupts them). The
 * server also answers backup requests on that socket, so the CLI gets a consistent copy
 * while exams go on. The socket is a file with mode 0600: only the account that owns the
 * data folder (and can read it anyway) may ask.
 */

/** `$DATA_DIR/control.sock`; a short path under the temp folder when that is too long for a socket name. */
export function controlSocketPath(dataDir: string): string {
  const dir = path.resolve(dataDir);
  const id = createHash("sha256").update(dir).digest("hex").slice(0, 16);
  if (process.platform === "win32") return `\\\\.\\pipe\\boi-duong-${id}`;
  const inside = path.join(dir, "control.sock");
  return Buffer.byteLength(inside) <= 100 ? inside : path.join(os.tmpdir(), `boi-duong-${id}.sock`);
}

export class DataDirBusyError extends Error {
  constructor(dataDir: string) {
    super(`Thư mục dữ liệu ${dataDir} đang được một tiến trình Bồi Dưỡng khác sử dụng (máy chủ đang chạy?). Hãy dừng tiến trình đó trước.`);
  }
}

/** True when a process listens on the folder's socket (a left-over socket file of a killed process is not). */
export function isDataDirInUse(dataDir: string): Promise<boolean> {
  const where = controlSocketPath(dataDir);
  return new Promise((resolve) => {
    const s = net.connect(where);
    const done = (live: boolean) => {
      s.destroy();
      resolve(live);
    };
    s.setTimeout(5_000, () => done(true)); // a hung owner still owns the files
    s.once("connect", () => done(true));
    s.once("error", (e: NodeJS.ErrnoException) => done(!(e.code === "ECONNREFUSED" || e.code === "ENOENT")));
  });
}

export type ControlHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface DataDirClaim {
  /** Starts answering requests (until then: 503, the owner is still starting). */
  serve(handler: ControlHandler): void;
  close(): Promise<void>;
}

/** Takes the folder for this process, or throws DataDirBusyError. */
export async function claimDataDir(dataDir: string): Promise<DataDirClaim> {
  const where = controlSocketPath(dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (await isDataDirInUse(dataDir)) throw new DataDirBusyError(dataDir);
  if (process.platform !== "win32") fs.rmSync(where, { force: true }); // left by a killed process
  let handler: ControlHandler | null = null;
  const server = http.createServer((req, res) => {
    if (!handler) {
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("Tiến trình đang khởi động; thử lại sau ít giây.");
      return;
    }
    Promise.resolve(handler(req, res)).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(e instanceof Error ? e.message : String(e));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "EADDRINUSE" ? new DataDirBusyError(dataDir) : e));
    server.listen(where, resolve);
  });
  if (process.platform !== "win32") fs.chmodSync(where, 0o600);
  return {
    serve(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * POSTs to the owner of the folder. Resolves null when no process owns it (then the caller
 * may open the folder itself); rejects with the owner's message on a refusal.
 */
export function askOwner(dataDir: string, pathAndQuery: string): Promise<{ body: Uint8Array; headers: http.IncomingHttpHeaders } | null> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: controlSocketPath(dataDir), path: pathAndQuery, method: "POST" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode === 200) resolve({ body: new Uint8Array(body.buffer, body.byteOffset, body.length), headers: res.headers });
        else reject(new Error(body.toString("utf8") || `HTTP ${res.statusCode}`));
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => (e.code === "ECONNREFUSED" || e.code === "ENOENT" ? resolve(null) : reject(e)));
    req.end();
  });
}
