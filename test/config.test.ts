import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createClock } from "../src/app/clock.js";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration from the environment", () => {
  it("an empty environment gives the documented defaults: local mode on the embedded store", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ HOST: "127.0.0.1", PORT: 3978, STORE: "sqlite", SQLITE_PATH: "./data/samhandling.db", NUDGE_TIME: "09:00", COSMOS_DATABASE: "samhandling", COSMOS_CONTAINER: "process" });
    expect(c.MicrosoftAppId).toBeUndefined();
    expect(c.clockNow).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("the listen address: loopback in local mode, all interfaces with an app id, HOST when set (issue 11)", () => {
    const APP = { MicrosoftAppId: "11111111-1111-1111-1111-111111111111", MicrosoftAppPassword: "secret" };
    expect(loadConfig({}).HOST).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "" }).HOST).toBe("127.0.0.1");
    expect(loadConfig({ MicrosoftAppId: "" }).HOST).toBe("127.0.0.1");
    expect(loadConfig(APP).HOST).toBe("0.0.0.0");
    expect(loadConfig({ HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
    expect(loadConfig({ HOST: " 10.0.0.5 " }).HOST).toBe("10.0.0.5");
    expect(loadConfig({ ...APP, HOST: "127.0.0.1" }).HOST).toBe("127.0.0.1");
  });

  it("every problem is listed at once, naming the variable", () => {
    try {
      loadConfig({ PORT: "abc", STORE: "mysql", CLOCK_NOW: "yesterday", NUDGE_TIME: "9" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join("\n");
      for (const name of ["PORT", "STORE", "CLOCK_NOW", "NUDGE_TIME"]) expect(problems).toContain(name);
    }
  });

  it("the nudges' settings: documented defaults (cadence 15/10 working days, Christmas week and July skipped, 50 a second); bad values named", async () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      NUDGE_SCHEDULER: "on",
      NUDGE_FIRST_NOTICE_DAYS: 15,
      NUDGE_REMINDER_DAYS: 10,
      NUDGE_SKIP_CHRISTMAS_WEEK: true,
      NUDGE_SKIP_JULY: true,
      NUDGE_RATE_PER_SECOND: 50,
      NUDGE_LEASE_SECONDS: 60,
    });
    const { cadenceOf } = await import("../src/compose.js");
    const { DEFAULT_CADENCE } = await import("../src/domain/nudges.js");
    expect(cadenceOf(c)).toEqual(DEFAULT_CADENCE);
    expect(loadConfig({ NUDGE_SKIP_JULY: "false", NUDGE_SKIP_CHRISTMAS_WEEK: "0", NUDGE_SCHEDULER: "off" })).toMatchObject({ NUDGE_SKIP_JULY: false, NUDGE_SKIP_CHRISTMAS_WEEK: false, NUDGE_SCHEDULER: "off" });
    try {
      loadConfig({ NUDGE_SCHEDULER: "sometimes", NUDGE_RATE_PER_SECOND: "0", NUDGE_FIRST_NOTICE_DAYS: "-1", NUDGE_SKIP_JULY: "ja", NUDGE_LEASE_SECONDS: "0" });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join("\n");
      for (const name of ["NUDGE_SCHEDULER", "NUDGE_RATE_PER_SECOND", "NUDGE_FIRST_NOTICE_DAYS", "NUDGE_SKIP_JULY", "NUDGE_LEASE_SECONDS"]) expect(problems).toContain(name);
    }
  });

  it("an app id without a password is refused; SingleTenant needs a tenant; cosmos needs an endpoint", () => {
    expect(() => loadConfig({ MicrosoftAppId: "11111111-1111-1111-1111-111111111111" })).toThrow(/MicrosoftAppPassword/);
    expect(() => loadConfig({ MicrosoftAppId: "x", MicrosoftAppPassword: "y", MicrosoftAppType: "SingleTenant" })).toThrow(/MicrosoftAppTenantId/);
    expect(() => loadConfig({ STORE: "cosmos" })).toThrow(/COSMOS_ENDPOINT/);
  });

  it("COSMOS_PREFERRED_REGIONS is a comma-separated list of Azure regions", () => {
    expect(loadConfig({ COSMOS_PREFERRED_REGIONS: "Norway East, Norway West" }).COSMOS_PREFERRED_REGIONS).toEqual(["Norway East", "Norway West"]);
    expect(loadConfig({}).COSMOS_PREFERRED_REGIONS).toEqual([]);
  });

  it("COSMOS_CREATE_IF_MISSING is true/false/1/0, strictly; unset leaves the choice to the store (by key or keyless)", () => {
    expect(loadConfig({}).COSMOS_CREATE_IF_MISSING).toBeUndefined();
    expect(loadConfig({ COSMOS_CREATE_IF_MISSING: " " }).COSMOS_CREATE_IF_MISSING).toBeUndefined();
    expect(loadConfig({ COSMOS_CREATE_IF_MISSING: "true" }).COSMOS_CREATE_IF_MISSING).toBe(true);
    expect(loadConfig({ COSMOS_CREATE_IF_MISSING: "1" }).COSMOS_CREATE_IF_MISSING).toBe(true);
    expect(loadConfig({ COSMOS_CREATE_IF_MISSING: "false" }).COSMOS_CREATE_IF_MISSING).toBe(false);
    expect(loadConfig({ COSMOS_CREATE_IF_MISSING: "0" }).COSMOS_CREATE_IF_MISSING).toBe(false);
    for (const bad of ["yes", "TRUE", "no", "2"]) expect(() => loadConfig({ COSMOS_CREATE_IF_MISSING: bad })).toThrow(/COSMOS_CREATE_IF_MISSING/);
  });

  it("ADMIN_AAD_IDS is a comma-separated list; blanks are ignored", () => {
    expect(loadConfig({ ADMIN_AAD_IDS: " a , b,, " }).ADMIN_AAD_IDS).toEqual(["a", "b"]);
    expect(loadConfig({ MicrosoftAppId: "  " }).MicrosoftAppId).toBeUndefined();
  });

  it("CLOCK_NOW starts the app's clock at that instant and lets it move on in real time", () => {
    const c = loadConfig({ CLOCK_NOW: "2027-03-17T09:00:00+01:00" });
    let real = 1_000_000;
    const clock = createClock(c.clockNow, () => real);
    expect(clock().toISO()).toBe(DateTime.fromISO("2027-03-17T08:00:00Z").toLocal().toISO());
    real += 90_000;
    expect(clock().toMillis() - c.clockNow!.toMillis()).toBe(90_000);
  });
});
