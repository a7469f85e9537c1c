import type { Services } from "../services";
import type { Config } from "../config";

export class CliError extends Error {
  /** `reported`: the command already printed its own (JSON) report; only the exit code and stderr line remain. */
  constructor(
    message: string,
    readonly code = 1,
    readonly reported = false,
  ) {
    super(message);
  }
}

export interface CliContext {
  args: string[];
  json: boolean;
  out(text: string, data?: unknown): void;
  services(): Promise<Services>;
  /** PGlite: takes the data folder for this command, or fails while a server holds it. */
  claimDataDir(config: Config): Promise<void>;
}

export type Command = { summary: string; run(ctx: CliContext): Promise<void> };
