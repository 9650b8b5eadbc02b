/**
 * The load worker (bench/load-worker.mjs: the fake Bot Connector and the load generator, on a
 * thread of their own so their work is not counted as the bots'), as the benches talk to it.
 */
import { Worker } from "node:worker_threads";

/** Sends one message to the worker and waits for its answer: one job at a time, as its answers are not tagged. */
export function askOf(worker: Worker): <T>(message: object) => Promise<T> {
  return <T>(message: object) =>
    new Promise<T>((resolve, reject) => {
      const onError = (error: Error) => {
        worker.off("message", onMessage);
        reject(error);
      };
      const onMessage = (answer: T) => {
        worker.off("error", onError);
        resolve(answer);
      };
      worker.once("message", onMessage);
      worker.once("error", onError);
      worker.postMessage(message);
    });
}

/** Starts the worker; resolves once its fake connector listens, with that connector's URL. */
export async function startLoadWorker(): Promise<{ worker: Worker; connectorUrl: string; ask: ReturnType<typeof askOf> }> {
  const worker = new Worker(new URL("./load-worker.mjs", import.meta.url));
  const connectorUrl = await new Promise<string>((resolve, reject) => {
    worker.once("message", (m: { url: string }) => resolve(m.url));
    worker.once("error", reject);
  });
  return { worker, connectorUrl, ask: askOf(worker) };
}
