/** Small pieces every view uses: loading data, showing a failure, the person's words. */
import { Button, Field, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Select, Spinner, type SelectProps } from "@fluentui/react-components";
import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import type { Me, TabLang } from "../api-schema";
import { ApiFailure, type Api } from "./api";
import type { Startup } from "./startup";
import type { T } from "./strings";

export interface Ctx {
  api: Api;
  me: Me;
  t: T;
  lang: TabLang;
  start: Startup;
}

export const TabContext = createContext<Ctx | undefined>(undefined);

export function useTab(): Ctx {
  const ctx = useContext(TabContext);
  if (!ctx) throw new Error("useTab outside the tab's provider");
  return ctx;
}

export type Loaded<V> = { state: "loading" } | { state: "ready"; value: V } | { state: "failed"; error: unknown };

/** Loads with `load` whenever `key` changes; a late answer for an old key is dropped. */
export function useLoad<V>(key: string, load: () => Promise<V>): [Loaded<V>, () => void, (value: V) => void] {
  const [loaded, setLoaded] = useState<Loaded<V>>({ state: "loading" });
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let current = true;
    setLoaded({ state: "loading" });
    latest.current().then(
      (value) => current && setLoaded({ state: "ready", value }),
      (error: unknown) => current && setLoaded({ state: "failed", error }),
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const replace = useCallback((value: V) => setLoaded({ state: "ready", value }), []);
  return [loaded, reload, replace];
}

/** What went wrong, in words a person can act on; the technical detail last, for whoever helps them. */
export function Failure({ error, t, title, onRetry }: { error: unknown; t: T; title?: string; onRetry?: () => void }) {
  const failure = error instanceof ApiFailure ? error : undefined;
  const text =
    failure?.kind === "refused"
      ? failure.message
      : failure?.kind === "invalid"
        ? t("tab.error.invalid")
        : t("tab.error.unreachable");
  const detail = failure?.kind === "refused" ? undefined : error instanceof Error ? error.message : String(error);
  if (!failure) console.error("tab:", error);
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title ?? t("tab.error.title")}</MessageBarTitle>
        {text}
        {detail ? <div data-detail="">{t("tab.error.detail", { detail })}</div> : null}
      </MessageBarBody>
      {onRetry ? (
        <MessageBarActions>
          <Button onClick={onRetry}>{t("tab.error.retry")}</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}

export function Loading({ label }: { label: string }) {
  return <Spinner size="small" label={label} />;
}

/** The region picker of every view: the fifteen regions by name, labelled «Region». */
export function RegionPicker({ value, onChange, hint, select }: { value: string; onChange: (regionId: string) => void; hint?: string; select?: Partial<SelectProps> }) {
  const { me, t } = useTab();
  return (
    <Field label={t("tab.picker.region")} hint={hint}>
      <Select {...select} value={value} onChange={(_, d) => onChange(d.value)}>
        {me.regions.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
