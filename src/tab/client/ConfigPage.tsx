/**
 * The channel tab's configuration page (`/tab/config`): pick the region the tab shows, by default
 * the channel's bound region. Inside Teams the choice is saved with `pages.config`; outside Teams
 * the page shows the choice and the tab's address.
 */
import { makeStyles, MessageBar, MessageBarBody, Text, tokens, type SelectProps } from "@fluentui/react-components";
import { useEffect, useId, useState } from "react";
import { RegionPicker, useTab } from "./common";

const useStyles = makeStyles({
  main: { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "40em" },
  heading: { margin: 0 },
  url: { fontFamily: tokens.fontFamilyMonospace, wordBreak: "break-all" },
});

export function tabUrl(region: string): string {
  return `${window.location.origin}/tab?region=${encodeURIComponent(region)}`;
}

export function ConfigPage() {
  const { me, t, start } = useTab();
  const styles = useStyles();
  const headingId = useId();
  const [region, setRegion] = useState(() => start.region ?? me.defaultRegion ?? me.regions[0]?.id ?? "");
  const name = me.regions.find((r) => r.id === region)?.name ?? region;

  useEffect(() => {
    if (!start.inTeams || !region) return;
    let current = true;
    // Inside Teams teams-js is loaded already (startup.ts); this import only hands it over.
    void import("@microsoft/teams-js").then(({ pages }) => {
      if (!current) return;
      // Teams asks for the configuration when the person presses «Lagre»; the latest choice answers.
      pages.config.registerOnSaveHandler((save) => {
        const url = tabUrl(region);
        pages.config
          .setConfig({ contentUrl: url, websiteUrl: url, entityId: `aarshjul-${region}`, suggestedDisplayName: t("tab.config.displayName", { region: name }) })
          .then(
            () => save.notifySuccess(),
            (error: unknown) => save.notifyFailure(error instanceof Error ? error.message : String(error)),
          );
      });
      pages.config.setValidityState(true);
    });
    return () => {
      current = false;
    };
  }, [start.inTeams, region, name, t]);

  return (
    <main className={styles.main} aria-labelledby={headingId}>
      {me.localMode ? (
        <MessageBar intent="warning" data-local-banner="">
          <MessageBarBody>{t("tab.localMode", { name: me.person.name })}</MessageBarBody>
        </MessageBar>
      ) : null}
      <Text block as="h1" size={500} weight="semibold" id={headingId} className={styles.heading}>
        {t("tab.config.heading")}
      </Text>
      <Text block as="p">{t("tab.config.intro")}</Text>
      <RegionPicker
        value={region}
        onChange={setRegion}
        hint={me.defaultRegion ? t("tab.config.defaultHint", { region: me.regions.find((r) => r.id === me.defaultRegion)?.name ?? me.defaultRegion }) : undefined}
        select={{ "data-config-region": "" } as Partial<SelectProps>}
      />
      {start.inTeams ? (
        <Text block as="p">{t("tab.config.save", { region: name })}</Text>
      ) : (
        <Text block as="p">
          {t("tab.config.local", { region: name })} <span className={styles.url} data-config-url="">{tabUrl(region)}</span>
        </Text>
      )}
    </main>
  );
}
