/**
 * OpenTelemetry for tests: in-memory span and metric exporters registered as the global SDK, with
 * the AsyncLocalStorage context manager Azure Monitor's distro would register in production, so
 * that the app's instrumentation (src/telemetry, through `@opentelemetry/api`) records into
 * memory. Not Azure Monitor: nothing leaves the process.
 */
import { context, metrics, trace, type Attributes } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";

export interface TestTelemetry {
  spans: InMemorySpanExporter;
  /** Spans finished so far, by name. */
  named(name: string): ReadableSpan[];
  /** Direct children of a span. */
  childrenOf(span: ReadableSpan): ReadableSpan[];
  /** Every metric's data points now (cumulative since the start). */
  metrics(): Promise<Array<{ name: string; points: Array<DataPoint<unknown>> }>>;
  /** The points of one metric. */
  points(name: string): Promise<Array<DataPoint<unknown>>>;
  /** Every attribute value of every span and metric point recorded so far, as strings (for the personal-data scan). */
  everyAttributeValue(): Promise<string[]>;
  uninstall(): Promise<void>;
}

export function installTestTelemetry(): TestTelemetry {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  trace.setGlobalTracerProvider(tracerProvider);
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exports only when asked (forceFlush): the interval is longer than any test.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);

  const collected = async (): Promise<ResourceMetrics | undefined> => {
    exporter.reset();
    await reader.forceFlush();
    return exporter.getMetrics().at(-1);
  };
  const all = async () =>
    ((await collected())?.scopeMetrics ?? []).flatMap((scope) => scope.metrics.map((m) => ({ name: m.descriptor.name, points: m.dataPoints as Array<DataPoint<unknown>> })));
  const values = (attributes: Attributes) => Object.values(attributes).flatMap((v) => (Array.isArray(v) ? v : [v])).map(String);

  return {
    spans,
    named: (name) => spans.getFinishedSpans().filter((s) => s.name === name),
    childrenOf: (parent) => spans.getFinishedSpans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId),
    metrics: all,
    points: async (name) => (await all()).find((m) => m.name === name)?.points ?? [],
    async everyAttributeValue() {
      const fromSpans = spans.getFinishedSpans().flatMap((s) => [s.name, ...values(s.attributes), ...s.events.flatMap((e) => [e.name, ...values(e.attributes ?? {})]), s.status.message ?? ""]);
      const fromMetrics = (await all()).flatMap((m) => m.points.flatMap((p) => values(p.attributes)));
      return [...fromSpans, ...fromMetrics];
    },
    async uninstall() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}
