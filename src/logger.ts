import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs (pino). Personal data stays out: log ids and codes, not message texts. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: "samhandling" } });
}
