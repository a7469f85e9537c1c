import http from "node:http";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";
import { createServices } from "./services";
import { createHttpApp } from "./http/app";
import { createRealtime } from "./realtime";
import { DEMO_PASSWORD, seedDemo } from "./seed/demo";
import { pruneThrottle } from "./auth/throttle";
import { claimDataDir, DataDirBusyError } from "./backup/control";
import { backupHandler } from "./backup/take";
import { projectRoot } from "./paths";

/** Composition root: config → database → services → HTTP + Socket.IO. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // The same folder from source (server/) and from the bundle (build/server/): decision 030.
  const root = projectRoot();
  // The embedded database has one owner: refuse to start on a folder another process holds,
  // and answer backup requests from the CLI on its control socket (decision 027).
  const control = config.DATABASE_URL
    ? null
    : await claimDataDir(config.dataDir).catch((e) => {
        if (!(e instanceof DataDirBusyError)) throw e;
        console.error(e.message);
        process.exit(2);
      });
  const services = await createServices(config, { logger });
  control?.serve(backupHandler(services));
  if (config.DATABASE_URL && !config.SURVEY_SEAL_KEY)
    // Several processes on several machines would each make their own key file, and none
    // could release answers sealed by another (decision 017).
    logger.warn(
      "SURVEY_SEAL_KEY is not set: survey answers are sealed with $DATA_DIR/survey-seal.key; give every process the same SURVEY_SEAL_KEY",
    );
  logger.info({ database: services.dbKind, dataDir: services.dbKind === "pglite" ? config.dataDir : undefined }, "database ready");

  // Lesson files are the first version of every lesson; changed files wait for approval.
  const synced = await services.curricula.syncFromFiles();
  if (synced.created || synced.submitted) logger.info(synced, "curricula loaded from content/curricula");
  const seededQuestions = await services.questions.syncSeedBanks();
  if (seededQuestions.created) logger.info(seededQuestions, "seed question banks loaded");

  if (config.DEMO_SEED) {
    const demo = await seedDemo(services.db);
    if (demo) {
      logger.info("demo data created");
      console.log("\nTài khoản demo (mật khẩu chung: %s):", DEMO_PASSWORD);
      for (const a of demo) console.log(`  ${a.username.padEnd(16)} ${a.label}`);
      console.log();
    }
  }

  const { app, closeVite } = await createHttpApp(services, { root, dev: config.NODE_ENV === "development" });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  const realtime = await createRealtime(server, services);
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info({ port }, "listening");
  console.log(`Bồi Dưỡng đang chạy tại http://localhost:${port}`);
  // Compile lessons in the background so no trainee waits for the first compile.
  void services.curricula.warmCache().then(
    (n) => logger.info({ lessons: n }, "lesson cache warm"),
    (e) => logger.error({ err: e }, "lesson cache warm-up failed"),
  );

  // Server-side closing: attempts past deadline + grace are submitted by the server.
  // Every process runs this; the conditional update in exams.closeOverdue makes each
  // submission happen exactly once (docs/decisions/007-exam-engine.md).
  const deadlineJob = setInterval(() => {
    services.exams.closeOverdue().then(
      (closed) => {
        if (!closed.length) return;
        logger.info({ closed }, "overdue attempts submitted");
        for (const id of closed) realtime.notifyAttempt(id, "exam:closed", { by: "server" });
        void realtime.proctors.autoSubmitted(closed).catch((e) => logger.warn({ err: e }, "proctor views not updated"));
      },
      (e) => logger.error({ err: e }, "closing overdue attempts failed"),
    );
  }, 5_000);
  deadlineJob.unref();
  // Old login-failure counters are pruned hourly so the table stays small.
  const pruneJob = setInterval(
    () => void pruneThrottle(services.db, new Date()).catch((e) => logger.error({ err: e }, "pruning login throttle failed")),
    3_600_000,
  );
  pruneJob.unref();
  // Anonymous survey answers wait sealed until a whole group can be released; this sweep
  // releases surveys whose closing day has passed and those a crash left due (decision 017).
  const releaseSurveys = () =>
    void services.surveys.releaseDue().then(
      (done) => done.length && logger.info({ released: done }, "survey answers released"),
      (e) => logger.error({ err: e }, "releasing survey answers failed"),
    );
  releaseSurveys();
  const surveyJob = setInterval(releaseSurveys, 600_000);
  surveyJob.unref();

  let closing = false;
  async function shutdown(signal: string) {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    clearInterval(deadlineJob);
    clearInterval(pruneJob);
    clearInterval(surveyJob);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await realtime.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeVite();
    await services.close();
    await control?.close(); // only once the database is closed may another process take the folder
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
