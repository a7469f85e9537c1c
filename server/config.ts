import path from "node:path";
import { z } from "zod";
import { parseTrustProxy } from "./http/client-address";

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
  DATABASE_ANSWER_POOL_SIZE: z.coerce
    .number({ error: "DATABASE_ANSWER_POOL_SIZE phải là số từ 1 đến 100" })
    .int()
    .min(1)
    .max(100)
    .default(8),
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
   * Keys that seal anonymous survey answers while they wait for a batch (decision 017):
   * comma-separated, each 32 bytes in base64; the first seals, all open (rotation).
   * Unset → a key generated once in $DATA_DIR/survey-seal.key. Never store it in the database.
   */
  SURVEY_SEAL_KEY: z
    .string()
    .refine(
      (v) => v.split(",").every((k) => Buffer.from(k.trim(), "base64").length === 32),
      "SURVEY_SEAL_KEY phải là một hoặc nhiều khóa 32 byte dạng base64, cách nhau bởi dấu phẩy (tạo bằng: openssl rand -base64 32)",
    )
    .optional(),
  /**
   * Key of exam receipts (HMAC, decision 018). Unset → generated once and kept in the
   * database, so every process and restart shares it. At least 32 characters.
   */
  RECEIPT_SECRET: z.string().min(32, "RECEIPT_SECRET phải dài ít nhất 32 ký tự (một chuỗi ngẫu nhiên)").optional(),
  /**
   * Proxies whose X-Forwarded-For is believed (server/http/client-address.ts). Default:
   * none, so no LAN neighbour can forge an address (docs/deployment.md#reverse-proxy).
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const r = parseTrustProxy(v);
      if (r.ok) return r.list;
      ctx.addIssue({ code: "custom", message: `TRUST_PROXY: ${r.message}` });
      return z.NEVER;
    }),
  /**
   * Extra origins (scheme://host[:port]) allowed to send forms, besides the request's own
   * Host and PUBLIC_URL (server/http/origin.ts); comma-separated. Rarely needed.
   */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const out: string[] = [];
      for (const item of list) {
        let url: URL | null = null;
        try {
          url = new URL(item);
        } catch {
          /* reported below */
        }
        if (!url || !/^https?:$/.test(url.protocol) || url.origin !== item.replace(/\/$/, "")) {
          ctx.addIssue({ code: "custom", message: `ALLOWED_ORIGINS: “${item}” phải có dạng https://ten-mien[:cong], không có đường dẫn` });
          return z.NEVER;
        }
        out.push(url.origin);
      }
      return out;
    }),
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
