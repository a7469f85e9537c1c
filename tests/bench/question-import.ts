/**
 * Benchmark: import 5,000 questions from a Moodle XML file into a bank, through the
 * same service the browser uses (parse + validate + near-duplicate check, then one
 * transaction). `npm run bench:import [-- --questions 5000 --json]`; DATABASE_URL for
 * PostgreSQL, else a fresh embedded PGlite.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { createServices } from "../../server/services";
import { seedDemo } from "../../server/seed/demo";
import { makeMoodleXml } from "../fixtures/questions/make-moodle-xml";

const { values } = parseArgs({ options: { questions: { type: "string", default: "5000" }, json: { type: "boolean" } } });
const n = Number(values.questions);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-import-"));
const services = await createServices(loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" }), {
  logger: createLogger("silent"),
});
await services.curricula.syncFromFiles();
await services.questions.syncSeedBanks();
await seedDemo(services.db);
const viewer = (await services.auth.viewerForUsername("giangvien"))!;
const bank = await services.banks.bankByCode("hd60");

const xml = new TextEncoder().encode(makeMoodleXml(n));
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const preview = await services.banks.importPreview(viewer, bank.id, { name: "moodle-export.xml", bytes: xml });
const t1 = performance.now();
const errors = preview.issues.filter((i) => i.severity === "error").length;
const committed = errors ? 0 : (await services.banks.importCommit(viewer, preview.batchId)).imported;
const t2 = performance.now();
// The kernel's high-water mark of this process (covers the synchronous parse too).
const peak = process.resourceUsage().maxRSS * 1024;

const result = {
  database: services.dbKind,
  questions: n,
  fileMB: Math.round((xml.byteLength / 1024 / 1024) * 10) / 10,
  valid: preview.valid,
  errors,
  imported: committed,
  previewSec: Math.round((t1 - t0) / 100) / 10,
  commitSec: Math.round((t2 - t1) / 100) / 10,
  totalSec: Math.round((t2 - t0) / 100) / 10,
  rssBeforeMB: Math.round(rssBefore / 1024 / 1024),
  peakRssMB: Math.round(peak / 1024 / 1024),
};
console.log(values.json ? JSON.stringify(result) : result);
await services.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
