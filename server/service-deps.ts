import type { Database } from "./db";
import type { Clock } from "./clock";
import type { CurriculaService } from "./curricula/service";
import type { ExamService } from "./exams/service";
import type { Config } from "./config";

/** What a capability service may depend on; built once in services.ts. */
export interface ServiceDeps {
  db: Database;
  clock: Clock;
  config: Config;
  curricula: CurriculaService;
  exams: ExamService;
  /** Called after a change that moves a dashboard figure (decision 019); optional for seed scripts. */
  figures?: FigureHooks;
}

/**
 * What a service calls after a change that moves a figure (issue 20, point 2; decision
 * 019): it says what it touched, after its commit, and the hook refreshes the dashboard
 * figures of it. Services never import the dashboards; services.ts passes this in. A
 * hook never fails the caller.
 */
export interface FigureHooks {
  /** Class results, certificates or a survey of this class changed. */
  classChanged(classId: number): Promise<void>;
  /** Attempts of this test changed (graded, regraded, reopened, a key corrected). */
  examChanged(examId: number): Promise<void>;
}
