/**
 * Nudge runs in telemetry: a `nudges.run` span per run (its store calls and the cards' HTTP calls
 * beneath it), and the run's summary as counters — cards sent, digests deferred, recipients
 * unreachable, cards rejected — where the run finishes, whoever started it (the scheduler, the
 * trigger `POST /api/nudges/run`, someone becoming reachable). Counts only: no recipient.
 */
import { context, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import type { NudgeRunner, NudgeRunSummary } from "../nudges/run.js";
import { ATTR, errorCodeOf, instruments, tracer } from "./otel.js";

/** The runner, its runs traced and counted. A call that joins a run under way gets that run's summary, counted once. */
export function traceNudges(runner: NudgeRunner): NudgeRunner {
  const counted = new WeakSet<NudgeRunSummary>();
  const traced = async <T extends NudgeRunSummary | undefined>(trigger: "run" | "reachable", run: () => Promise<T>): Promise<T> => {
    const span = tracer().startSpan("nudges.run", { attributes: { [ATTR.nudgeTrigger]: trigger } });
    try {
      const summary = await context.with(trace.setSpan(context.active(), span), run);
      if (summary && !counted.has(summary)) {
        counted.add(summary);
        recordRun(trigger, summary, span);
      }
      span.end();
      return summary;
    } catch (error) {
      instruments().nudgeRuns.add(1, { [ATTR.nudgeTrigger]: trigger, [ATTR.nudgeOutcome]: "failed" });
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodeOf(error) });
      span.end();
      throw error;
    }
  };
  return {
    ...runner,
    run: () => traced("run", () => runner.run()),
    reachable: (who) => traced("reachable", () => runner.reachable(who)),
    drain: (ms) => runner.drain(ms),
  };
}

function recordRun(trigger: "run" | "reachable", summary: NudgeRunSummary, span: Span): void {
  const outcome = summary.skipped ? "skipped" : summary.halted ? "halted" : "ran";
  const labels = { [ATTR.nudgeTrigger]: trigger };
  const metrics = instruments();
  metrics.nudgeRuns.add(1, { ...labels, [ATTR.nudgeOutcome]: outcome });
  metrics.nudgeCardsSent.add(summary.sent.cards, labels);
  metrics.nudgeDeferred.add(summary.deferred, labels);
  metrics.nudgeUnreachable.add(summary.unreachable, labels);
  metrics.nudgeRejected.add(summary.rejected, labels);
  span.setAttributes({
    [ATTR.nudgeOutcome]: outcome,
    ...(summary.skipped ? { "samhandling.nudge.skipped": summary.skipped } : {}),
    "samhandling.nudge.due": summary.due,
    "samhandling.nudge.recorded": summary.recorded,
    "samhandling.nudge.cards_sent": summary.sent.cards,
    "samhandling.nudge.nudges_sent": summary.sent.nudges,
    "samhandling.nudge.deferred": summary.deferred,
    "samhandling.nudge.unreachable": summary.unreachable,
    "samhandling.nudge.rejected": summary.rejected,
    "samhandling.nudge.waiting": summary.waiting,
    "samhandling.nudge.unconfirmed": summary.unconfirmed,
    "samhandling.nudge.errors": summary.errors,
  });
}
