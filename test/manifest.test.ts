import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  MANIFEST_SCHEMA_URL,
  MANIFEST_VERSION,
  PROJECT_ROOT,
  type TeamsManifest,
  buildAppPackage,
  bundledSchemaPath,
  fillManifest,
  makeAppPackage,
  validateManifest,
} from "../scripts/app-package.js";

import { BOT_ID, colorPng, ENV, manifestDir, outlinePng, refusal, TEAMS_APP_ID, template } from "./support/manifest.js";
/** The translations beside the template (they have no placeholders to fill). */
const languageFiles = Object.fromEntries(["nn-NO.json", "en.json"].map((file) => [file, JSON.parse(readFileSync(path.join(manifestDir, file), "utf8")) as Record<string, unknown>]));


// ---------------------------------------------------------------- PNG decoding

interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  channels: number;
  /** Rows of unfiltered samples, `channels` bytes per pixel (bit depth 8). */
  pixels: Uint8Array;
}

function decodePng(bytes: Uint8Array): DecodedPng {
  const buf = Buffer.from(bytes);
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("latin1", offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8]!,
        colorType: data[9]!,
        interlace: data[12]!,
      };
    } else if (type === "IDAT") {
      idat.push(data);
    } else if (type === "IEND") {
      break;
    }
    offset += 12 + length;
  }
  if (!header) throw new Error("PNG without IHDR");
  expect(header.bitDepth).toBe(8);
  expect(header.interlace).toBe(0);
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[header.colorType];
  if (channels === undefined) throw new Error(`unknown PNG colour type ${header.colorType}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = header.width * channels;
  const pixels = new Uint8Array(stride * header.height);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`bad PNG filter ${filter} in row ${y}`);
      }
      pixels[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width: header.width, height: header.height, colorType: header.colorType, channels, pixels };
}

/** [r, g, b, a] of every pixel (grey expanded, opaque when there is no alpha). */
function rgbaPixels(png: DecodedPng): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    const p = png.pixels;
    if (png.channels === 4) out.push([p[i]!, p[i + 1]!, p[i + 2]!, p[i + 3]!]);
    else if (png.channels === 3) out.push([p[i]!, p[i + 1]!, p[i + 2]!, 255]);
    else if (png.channels === 2) out.push([p[i]!, p[i]!, p[i]!, p[i + 1]!]);
    else out.push([p[i]!, p[i]!, p[i]!, 255]);
  }
  return out;
}

// ---------------------------------------------------------------- the template

describe("manifest template", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it(`is written for manifest schema ${MANIFEST_VERSION}, which @microsoft/app-manifest ships`, () => {
    expect(MANIFEST_VERSION).toBe("1.30");
    const t = template as { $schema: string; manifestVersion: string };
    expect(t.manifestVersion).toBe(MANIFEST_VERSION);
    expect(t.$schema).toBe(MANIFEST_SCHEMA_URL);
    const schema = JSON.parse(readFileSync(bundledSchemaPath(), "utf8")) as {
      properties: { manifestVersion: { const?: string } };
    };
    expect(schema.properties.manifestVersion.const).toBe(MANIFEST_VERSION);
  });

  it("filled with test ids validates offline against the bundled schema with no errors", async () => {
    // validateAgainstSchema downloads the schema when it is not handed one: make sure it never does.
    const fetchSpy = vi.fn(() => Promise.reject(new Error("no network in tests")));
    vi.stubGlobal("fetch", fetchSpy);
    const manifest = fillManifest(template, ENV);
    expect(await validateManifest(manifest)).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("fills ids, domain and developer links; the Teams app id defaults to the bot id", () => {
    const manifest = fillManifest(template, ENV, "2.3.4");
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.bots?.[0]?.botId).toBe(BOT_ID);
    expect(manifest.validDomains).toEqual(["samhandling.example.no"]);
    expect(manifest.version).toBe("2.3.4");
    expect(manifest.developer.privacyUrl).toBe("https://samhandling.example.no/privacy");
    expect(JSON.stringify(manifest)).not.toContain("${{");

    const sameIds = fillManifest(template, { MicrosoftAppId: BOT_ID, APP_BASE_URL: "https://kf.example.no/samhandling/" });
    expect(sameIds.id).toBe(BOT_ID);
    expect(sameIds.validDomains).toBeUndefined();
    // Without a domain there is no api:// resource for Teams SSO; the app id stays.
    expect(sameIds.webApplicationInfo).toEqual({ id: BOT_ID });
    expect(sameIds.developer.termsOfUseUrl).toBe("https://kf.example.no/samhandling/terms");
  });

  it("has bokmål texts within the limits, bokmål as the default language", () => {
    const manifest = fillManifest(template, ENV);
    expect(manifest.name).toEqual({ short: "Samhandling", full: "Samhandling – regional samhandlingsmodell" });
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    for (const word of ["årshjul", "politisk behandling", "signer", "oppfølgingsrapport", "kalle inn"]) {
      expect(`${manifest.description.short} ${manifest.description.full}`.toLowerCase()).toContain(word);
    }
    // The tabs, SSO and the nynorsk and English files: test/manifest-tabs.test.ts (issue 12).
    expect(manifest.localizationInfo?.defaultLanguageTag).toBe("nb-NO");
  });

  it("refuses a missing MicrosoftAppId, naming the variable", async () => {
    const error = await refusal(() => fillManifest(template, { TEAMS_APP_ID }));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/MicrosoftAppId is not set/);
  });

  it("refuses invalid ids and domains, naming each variable at once", async () => {
    const error = await refusal(() =>
      fillManifest(template, { MicrosoftAppId: "my-bot", TEAMS_APP_ID: "123", BOT_DOMAIN: "https://x.no/api" }),
    );
    expect(error.problems).toHaveLength(3);
    expect(error.problems[0]).toMatch(/^MicrosoftAppId must be a GUID/);
    expect(error.problems[1]).toMatch(/^TEAMS_APP_ID must be a GUID/);
    expect(error.problems[2]).toMatch(/^BOT_DOMAIN must be a host name/);
  });

  it("refuses an unfilled placeholder, naming the variable and where it is used", async () => {
    const withExtra = { ...(template as object), packageName: "${{SAMHANDLING_PACKAGE_NAME}}" };
    const error = await refusal(() => fillManifest(withExtra, ENV));
    expect(error.message).toContain("SAMHANDLING_PACKAGE_NAME is not set");
    expect(error.message).toContain("/packageName");
    // …and fills it from the environment when it is set, as Teams Toolkit does.
    const filled = fillManifest(withExtra, { ...ENV, SAMHANDLING_PACKAGE_NAME: "no.example.samhandling" });
    expect((filled as { packageName?: string }).packageName).toBe("no.example.samhandling");
  });

  it("reports schema errors (validation can fail)", async () => {
    const good = fillManifest(template, ENV);
    const bad = { ...good, accentColor: "blue", developer: { ...good.developer, name: "x".repeat(40) } } as TeamsManifest;
    const problems = await validateManifest(bad);
    expect(problems.some((p) => p.includes("/accentColor"))).toBe(true);
    expect(problems.some((p) => p.includes("/developer/name"))).toBe(true);
    const error = await refusal(() => buildAppPackage({ manifest: bad, colorPng, outlinePng }));
    expect(error.message).toContain("/accentColor");
  });

  it("refuses icons of the wrong size", async () => {
    const manifest = fillManifest(template, ENV);
    const error = await refusal(() => buildAppPackage({ manifest, colorPng: outlinePng, outlinePng: colorPng, languageFiles }));
    expect(error.problems).toEqual([
      "the color icon must be 192×192 pixels, it is 32×32.",
      "the outline icon must be 32×32 pixels, it is 192×192.",
    ]);
  });

  it("has one bot for personal, team and group chat with status/oversikt/hjelp, the agreement and the reports in every scope", () => {
    const manifest = fillManifest(template, ENV);
    expect(manifest.bots).toHaveLength(1);
    const bot = manifest.bots![0]!;
    expect([...bot.scopes].sort()).toEqual(["groupChat", "personal", "team"]);
    // The report exports come as a file card in a 1:1 chat (issue 10): Teams needs supportsFiles for that.
    expect(bot.supportsFiles).toBe(true);
    expect(bot.isNotificationOnly).toBe(false);
    for (const scope of bot.scopes) {
      const lists = bot.commandLists!.filter((l) => l.scopes.includes(scope));
      expect(lists, scope).toHaveLength(1);
      expect(lists[0]!.commands.map((c) => c.title)).toEqual(["status", "oversikt", "hjelp", "avtale", "rapport", "historikk", "meg", "språk"]);
    }
    const status = bot.commandLists![0]!.commands[0]!;
    expect(status.description).toBe("Status for en region, f.eks. «status Vestland»");
  });
});

// ---------------------------------------------------------------- the package

describe("app package", () => {
  it("is a zip with exactly manifest.json, color.png, outline.png and the three language files at the root", async () => {
    const made = await makeAppPackage(ENV);
    const files = unzipSync(made.zip);
    expect(Object.keys(files).sort()).toEqual(["color.png", "en.json", "manifest.json", "nb-NO.json", "nn-NO.json", "outline.png"]);

    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as TeamsManifest;
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.bots?.[0]?.botId).toBe(BOT_ID);
    expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });
    const titles = manifest.bots![0]!.commandLists!.flatMap((l) => l.commands.map((c) => c.title));
    for (const command of ["status", "oversikt", "hjelp"]) expect(titles).toContain(command);
    expect(await validateManifest(manifest)).toEqual([]);

    expect(Buffer.from(files["color.png"]!).equals(colorPng)).toBe(true);
    expect(Buffer.from(files["outline.png"]!).equals(outlinePng)).toBe(true);
  });

  it("gives the same bytes for the same inputs", async () => {
    const a = await makeAppPackage(ENV);
    const b = await makeAppPackage(ENV);
    expect(Buffer.from(a.zip).equals(Buffer.from(b.zip))).toBe(true);
  });
});

// ---------------------------------------------------------------- the icons

describe("icons", () => {
  it("color.png is a 192×192 full-colour, opaque icon", () => {
    const png = decodePng(colorPng);
    expect([png.width, png.height]).toEqual([192, 192]);
    const pixels = rgbaPixels(png);
    expect(pixels.every(([, , , a]) => a === 255)).toBe(true);
    const colours = new Set(pixels.map(([r, g, b]) => `${r >> 4},${g >> 4},${b >> 4}`));
    expect(colours.size).toBeGreaterThan(4);
  });

  it("outline.png is 32×32, white on transparent", () => {
    const png = decodePng(outlinePng);
    expect([png.width, png.height]).toEqual([32, 32]);
    expect([4, 6]).toContain(png.colorType); // has an alpha channel
    const pixels = rgbaPixels(png);
    const offending = pixels.filter(([r, g, b, a]) => a !== 0 && (r !== 255 || g !== 255 || b !== 255));
    expect(offending).toEqual([]);
    const visible = pixels.filter(([, , , a]) => a > 0).length;
    expect(visible).toBeGreaterThan(100); // there is a drawing…
    expect(visible).toBeLessThan(32 * 32 * 0.8); // …on a transparent background
    const corners = [0, 31, 32 * 31, 32 * 32 - 1].map((i) => pixels[i]![3]);
    expect(corners).toEqual([0, 0, 0, 0]);
  });
});

// ---------------------------------------------------------------- the command line

describe("npm run package (scripts/package.ts)", () => {
  const outDir = mkdtempSync(path.join(os.tmpdir(), "samhandling-package-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  function runCli(env: Record<string, string>) {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      // Set (even empty) so a developer's .env cannot change what the test sees.
      MicrosoftAppId: "",
      TEAMS_APP_ID: "",
      TAB_SSO_CLIENT_ID: "",
      BOT_DOMAIN: "",
      APP_BASE_URL: "",
      APP_VERSION: "",
      ...env,
    };
    delete childEnv.NODE_OPTIONS;
    return spawnSync(process.execPath, ["--import", "tsx", path.join("scripts", "package.ts")], {
      cwd: PROJECT_ROOT,
      env: childEnv,
      encoding: "utf8",
      timeout: 60_000,
    });
  }

  it("writes the zip where APP_PACKAGE_OUT says and prints the path and ids", async () => {
    const target = path.join(outDir, "out", "app.zip");
    const result = runCli({ ...ENV, APP_PACKAGE_OUT: target });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(target);
    expect(result.stdout).toContain(TEAMS_APP_ID);
    expect(result.stdout).toContain(BOT_ID);
    expect(existsSync(target)).toBe(true);
    const files = unzipSync(new Uint8Array(await readFile(target)));
    expect(Object.keys(files).sort()).toEqual(["color.png", "en.json", "manifest.json", "nb-NO.json", "nn-NO.json", "outline.png"]);
    expect(JSON.parse(strFromU8(files["manifest.json"]!)).id).toBe(TEAMS_APP_ID);
  });

  it("puts the default file name into a folder given as APP_PACKAGE_OUT", () => {
    const folder = path.join(outDir, "folder");
    const result = runCli({ MicrosoftAppId: BOT_ID, APP_PACKAGE_OUT: folder });
    expect(result.status).toBe(0);
    expect(readdirSync(folder)).toEqual(["samhandling-teams-app.zip"]);
  });

  it("fails with exit code 1 and a clear message, no stack trace, when MicrosoftAppId is missing", () => {
    const target = path.join(outDir, "missing.zip");
    const result = runCli({ APP_PACKAGE_OUT: target });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("MicrosoftAppId is not set");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(target)).toBe(false);
  });
});
