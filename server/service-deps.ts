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
}
