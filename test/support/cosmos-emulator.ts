/**
 * `@vercel/cosmosdb-server` (an in-memory implementation of the Cosmos DB REST API) started in
 * this process over plain HTTP on 127.0.0.1, port 0. Memory only: closing it loses everything.
 */
import type { AddressInfo } from "node:net";
import { createHttpServer } from "@vercel/cosmosdb-server";

/** The Cosmos DB emulator's published well-known key (the in-process server does not check it). */
export const EMULATOR_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

export interface CosmosEmulator {
  /** `http://127.0.0.1:<port>/` */
  endpoint: string;
  key: string;
  close(): Promise<void>;
}

export async function startCosmosEmulator(): Promise<CosmosEmulator> {
  const server = createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    key: EMULATOR_KEY,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
