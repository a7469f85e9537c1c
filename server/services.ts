import type { Config } from "./config";
import { openDatabase, type Database, type DatabaseHandle } from "./db";
import { migrateToLatest } from "./db/migrate";
import { createLucia, secureSessionCookie } from "./auth/lucia";
import { createAuthService, type AuthService } from "./auth/service";
import { systemClock, type Clock } from "./clock";
import type { Logger } from "./logger";
import type { Viewer } from "./auth/scope";
import { centresFor, getPersonFor, peopleFor, visibleUnits } from "./organisations/service";
import { commitTraineeImport, previewTraineeImport } from "./accounts/service";
import { traineeTemplateXlsx } from "./accounts/trainee-import";
import { createCurriculaService, type CurriculaService } from "./curricula/service";
import { createQuestionService, type QuestionService } from "./questions/service";
import { createBankService, type BankService } from "./questions/bank";
import { createMediaService, type MediaService } from "./questions/media";
import { createExamService, type ExamService } from "./exams/service";
import { createClassPlanService, type ClassPlanService } from "./classes/plan-service";
import { createClassRecordsService, type ClassRecordsService } from "./classes/records-service";
import { createClassHomeService, type ClassHomeService } from "./classes/home-service";
import { createSurveyService, type SurveyService } from "./surveys/service";
import { createDashboardService, type DashboardService } from "./dashboards/service";
import { createFigureRefresher } from "./dashboards/refresher";
import { createPipelineService, type PipelineService } from "./pipeline/service";
import type { ServiceDeps } from "./service-deps";
import { createProctoringService, type ProctoringService } from "./proctoring/service";
import { createAnswerPath, type AnswerPath, type ProctorNotice } from "./exams/answer-path";
import type { ServerToClientEvents } from "./realtime/contract";

/**
 * Every capability, built once per process and shared by HTTP routes, Socket.IO
 * handlers, the CLI and tests (stack.md, trap 2: Remix gets these through
 * getLoadContext and imports server code as types only).
 */
export interface Services {
  config: Config;
  db: Database;
  dbKind: DatabaseHandle["kind"];
  /** PGlite only: a consistent copy of the data folder (backups, decision 027). */
  snapshot?: DatabaseHandle["snapshot"];
  clock: Clock;
  logger: Logger;
  auth: AuthService;
  organisations: ReturnType<typeof organisationsApi>;
  accounts: ReturnType<typeof accountsApi>;
  curricula: CurriculaService;
  questions: QuestionService;
  banks: BankService;
  /** Images of question stems, served scoped like the paper or the bank. */
  media: MediaService;
  exams: ExamService;
  /** The trainee's answer, submit and sync requests, one path for Socket.IO and HTTP (decision 033). */
  answers: AnswerPath;
  classPlan: ClassPlanService;
  classRecords: ClassRecordsService;
  classHome: ClassHomeService;
  surveys: SurveyService;
  dashboards: DashboardService;
  pipeline: PipelineService;
  proctoring: ProctoringService;
  /** Pushes to Socket.IO rooms from HTTP routes and jobs; a no-op until the realtime layer attaches. */
  live: LiveNotifier;
  close(): Promise<void>;
}

export interface LiveNotifier {
  emit<E extends keyof ServerToClientEvents>(room: string, event: E, ...payload: Parameters<ServerToClientEvents[E]>): void;
  /** Sends fresh roster rows of these trainees to the session's proctors. */
  roster(examId: number, personIds: number[]): void;
  /** Tells the session's proctors what the answer path reports (server/exams/answer-path.ts). */
  notify(notices: ProctorNotice[]): void;
}

export async function createServices(
  config: Config,
  opts: { logger: Logger; clock?: Clock; migrate?: boolean; database?: DatabaseHandle },
): Promise<Services> {
  const handle =
    opts.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      dataDir: config.DATABASE_URL ? undefined : `${config.dataDir}/pglite`,
      transactionGuard: config.transactionGuard,
    }));
  if (opts.migrate !== false) {
    const applied = await migrateToLatest(handle.db);
    if (applied.length) opts.logger.info({ applied }, "migrations applied");
  }
  const clock = opts.clock ?? systemClock;
  const lucia = createLucia(handle.db, { secureCookies: secureSessionCookie(config) });
  const curricula = createCurriculaService({ db: handle.db, clock });
  // A second, small pool for the exam's answer statement (PostgreSQL only; PGlite is one connection).
  const answers =
    config.DATABASE_URL && !opts.database
      ? await openDatabase({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_ANSWER_POOL_SIZE,
          transactionGuard: config.transactionGuard,
        })
      : null;
  // Every service reports changes that move a dashboard figure through these hooks, after
  // its commit (decision 019); the refresher needs only the database, so it comes first.
  const refresher = createFigureRefresher(handle.db, (e) => opts.logger.error({ err: e }, "dashboard figures refresh failed"));
  const figures = refresher.hooks;
  const exams = createExamService({
    db: handle.db,
    clock,
    answerDb: answers?.db,
    answerWriters: config.ANSWER_WRITERS,
    receiptSecret: config.RECEIPT_SECRET,
    figures,
  });
  const deps: ServiceDeps = { db: handle.db, clock, config, curricula, exams, figures };
  return {
    config,
    db: handle.db,
    dbKind: handle.kind,
    snapshot: handle.snapshot,
    clock,
    logger: opts.logger,
    auth: createAuthService({ db: handle.db, lucia, clock }),
    organisations: organisationsApi(handle.db),
    accounts: accountsApi(handle.db, clock),
    curricula,
    questions: createQuestionService({ db: handle.db, clock, canStudy: (viewer, code) => curricula.canRead(viewer, code) }),
    banks: createBankService({ db: handle.db, clock }),
    media: createMediaService({ db: handle.db, clock }),
    exams,
    answers: createAnswerPath({ db: handle.db, exams, logger: opts.logger }),
    classPlan: createClassPlanService(deps),
    classRecords: createClassRecordsService(deps),
    classHome: createClassHomeService(deps),
    surveys: createSurveyService(deps),
    dashboards: createDashboardService({ ...deps, refresher }),
    pipeline: createPipelineService(deps),
    proctoring: createProctoringService({ db: handle.db, clock, exams, answerDb: answers?.db, figures }),
    live: { emit: () => {}, roster: () => {}, notify: () => {} },
    close: async () => {
      await answers?.close();
      await handle.close();
    },
  };
}

// Thin bindings of the capability modules to this process's database and clock,
// so routes call `services.accounts.previewTraineeImport(viewer, file)`.
function organisationsApi(db: Database) {
  return {
    visibleUnits: (viewer: Viewer) => visibleUnits(db, viewer),
    people: (viewer: Viewer, opts?: Parameters<typeof peopleFor>[2]) => peopleFor(db, viewer, opts),
    person: (viewer: Viewer, id: number) => getPersonFor(db, viewer, id),
    centres: (viewer: Viewer) => centresFor(db, viewer),
  };
}

function accountsApi(db: Database, clock: Clock) {
  return {
    previewTraineeImport: (viewer: Viewer, file: { name: string; bytes: Uint8Array }) => previewTraineeImport(db, viewer, clock, file),
    commitTraineeImport: (viewer: Viewer, batchId: string, opts: { onlyValid: boolean }) =>
      commitTraineeImport(db, viewer, clock, batchId, opts),
    traineeTemplateXlsx,
  };
}
