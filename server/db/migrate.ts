import { Migrator, type Migration, type MigrationProvider } from "kysely";
import type { Kysely } from "kysely";

/**
 * Migrations are listed through Vite/tsx-friendly glob-free imports: an explicit
 * provider works the same under tsx, Vitest and the CLI (stack.md, trap 4).
 */
class ExplicitProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const modules = {
      "20261122_0001_foundation": await import("../../db/migrations/20261122_0001_foundation"),
      "20261122_0002_curricula": await import("../../db/migrations/20261122_0002_curricula"),
      "20261122_0003_question_banks": await import("../../db/migrations/20261122_0003_question_banks"),
      "20261122_0004_exams": await import("../../db/migrations/20261122_0004_exams"),
      "20261122_0005_class_plan": await import("../../db/migrations/20261122_0005_class_plan"),
      "20261122_0006_class_records": await import("../../db/migrations/20261122_0006_class_records"),
      "20261122_0007_surveys": await import("../../db/migrations/20261122_0007_surveys"),
      "20261122_0008_exam_grading": await import("../../db/migrations/20261122_0008_exam_grading"),
      "20261122_0009_proctoring": await import("../../db/migrations/20261122_0009_proctoring"),
      "20261207_0010_question_use": await import("../../db/migrations/20261207_0010_question_use"),
      "20261207_0011_survey_anonymity": await import("../../db/migrations/20261207_0011_survey_anonymity"),
      "20261207_0012_attempt_device_and_receipts": await import("../../db/migrations/20261207_0012_attempt_device_and_receipts"),
      "20261207_0014_birth_date_check": await import("../../db/migrations/20261207_0014_birth_date_check"),
      "20261207_0015_question_media": await import("../../db/migrations/20261207_0015_question_media"),
      "20261207_0016_review_policy": await import("../../db/migrations/20261207_0016_review_policy"),
      "20261208_0001_sessions_hashed_at_rest": await import("../../db/migrations/20261208_0001_sessions_hashed_at_rest"),
    };
    return modules;
  }
}

/** Every migration this program knows, in order (a backup from a newer program names one it does not). */
export async function knownMigrations(): Promise<string[]> {
  return Object.keys(await new ExplicitProvider().getMigrations()).sort();
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new ExplicitProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "?"} failed: ${String((error as Error).message ?? error)}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Undo the latest migration (CLI `migrate --down`); returns its name, or null when none is left. */
export async function migrateDownOne(db: Kysely<any>): Promise<string | null> {
  const migrator = new Migrator({ db, provider: new ExplicitProvider() });
  const { error, results } = await migrator.migrateDown();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results?.[0]?.migrationName ?? null;
}
