import { isSpanContextValid, trace } from "@opentelemetry/api";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs (pino). Personal data stays out: log ids and codes, not message texts. A line written
 * inside a traced turn carries its `trace_id` and `span_id` (OpenTelemetry's active span), so that
 * the log and the trace in Application Insights find each other; without telemetry there is no
 * active span and the line is as before. `destination`: where lines go (tests read them); stdout
 * when absent.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { app: "samhandling" }, mixin: traceFields }, destination);
}

/** The active span's ids, as OpenTelemetry's log correlation names them; nothing outside a span. */
export function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId, trace_flags: `0${span.traceFlags.toString(16)}` };
}
