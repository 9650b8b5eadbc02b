/** What the manifest tests share: the ids they package with, and the template and icons as checked in. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { AppPackageError, PROJECT_ROOT } from "../../scripts/app-package.js";

export const BOT_ID = "0b5e3c1a-7f2d-4c4e-9a1b-2d3e4f5a6b7c";
export const TEAMS_APP_ID = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
export const ENV = { MicrosoftAppId: BOT_ID, TEAMS_APP_ID, BOT_DOMAIN: "samhandling.example.no" };

export const manifestDir = path.join(PROJECT_ROOT, "manifest");
export const template: unknown = JSON.parse(readFileSync(path.join(manifestDir, "manifest.json"), "utf8"));
export const colorPng = readFileSync(path.join(manifestDir, "color.png"));
export const outlinePng = readFileSync(path.join(manifestDir, "outline.png"));

/** Runs `fn` and returns the AppPackageError it throws (fails the test if it does not). */
export async function refusal(fn: () => unknown): Promise<AppPackageError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppPackageError);
    return error as AppPackageError;
  }
  throw new Error("expected an AppPackageError, nothing was thrown");
}
