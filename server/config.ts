import path from "node:path";
import { z } from "zod";

/**
 * Environment, parsed once at boot. A bad value stops the process with a clear
 * message instead of failing later on the first request (design.md, convention 2).
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ error: "PORT phải là số cổng từ 0 đến 65535" }).int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** Unset → embedded PGlite in DATA_DIR (see docs/decisions/002-database.md). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL phải bắt đầu bằng postgres:// hoặc postgresql://")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number({ error: "DATABASE_POOL_SIZE phải là số từ 1 đến 200" }).int().min(1).max(200).default(10),
  /** Connections reserved for exam answers, apart from the main pool. */
  DATABASE_ANSWER_POOL_SIZE: z.coerce.number({ error: "DATABASE_ANSWER_POOL_SIZE phải là số từ 1 đến 100" }).int().min(1).max(100).default(8),
  /**
   * Answer statements one process keeps in flight (group commit, decision 013). Size the
   * total over all processes to the database's cores: more only queues inside PostgreSQL.
   */
  ANSWER_WRITERS: z.coerce.number({ error: "ANSWER_WRITERS phải là số từ 1 đến 32" }).int().min(1).max(32).default(4),
  DATA_DIR: z.string().default("./data"),
  /** Set → Socket.IO shares rooms across processes through Redis. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "REDIS_URL phải bắt đầu bằng redis:// hoặc rediss://")
    .optional(),
  /** Channel prefix of the Socket.IO Redis adapter: deployments (or test runs) sharing one Redis stay apart. */
  REDIS_PREFIX: z.string().min(1).max(100).default("socket.io"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Seed the demo organisation and accounts when the database has no users. */
  DEMO_SEED: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  /** Cookies marked Secure; turn on behind HTTPS. */
  SECURE_COOKIES: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  PUBLIC_URL: z.string().url().optional(),
  /**
   * Fail a query on the outer database handle made while a transaction of the same
   * request is open (decision 020). Unset → on outside production.
   */
  DB_TRANSACTION_GUARD: z.enum(["0", "1", "true", "false"]).optional(),
});

export type Config = Omit<z.infer<typeof schema>, "DB_TRANSACTION_GUARD"> & { dataDir: string; transactionGuard: boolean };

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Cấu hình không hợp lệ:\n${lines.join("\n")}`);
  }
  const { DB_TRANSACTION_GUARD: guard, ...data } = parsed.data;
  const transactionGuard = guard === undefined ? data.NODE_ENV !== "production" : guard === "1" || guard === "true";
  return { ...data, dataDir: path.resolve(data.DATA_DIR), transactionGuard };
}
