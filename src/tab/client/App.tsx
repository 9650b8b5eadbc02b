/**
 * The tab: a header (title, local-mode banner, the three views as tabs) and the chosen view. The
 * overview opens a region's wheel; a deep link or the tab's URL opens the wheel at its region.
 */
import { makeStyles, MessageBar, MessageBarBody, Tab, TabList, Text, tokens } from "@fluentui/react-components";
import { useRef, useState } from "react";
import { useTab } from "./common";
import { OverviewView } from "./OverviewView";
import { ReportsView } from "./ReportsView";
import { WheelView } from "./wheel/WheelView";

type View = "wheel" | "overview" | "reports";

const useStyles = makeStyles({
  header: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  title: { margin: 0 },
  main: { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL} ${tokens.spacingVerticalXXL}`, "@media (max-width: 480px)": { padding: tokens.spacingHorizontalS } },
  tabs: { overflowX: "auto" },
});

export function App() {
  const { me, t, start } = useTab();
  const styles = useStyles();
  const [view, setView] = useState<View>("wheel");
  const [region, setRegion] = useState<string | undefined>(() => knownRegion(start.region) ?? knownRegion(me.defaultRegion) ?? me.regions[0]?.id);
  function knownRegion(id: string | undefined) {
    return id && me.regions.some((r) => r.id === id) ? id : undefined;
  }
  const panel = useRef<HTMLDivElement>(null);
  const openWheel = (id: string) => {
    setRegion(id);
    setView("wheel");
    // The region's link is gone with the overview: the keyboard goes on from the wheel's panel, not from the top of the page.
    requestAnimationFrame(() => panel.current?.focus());
  };
  return (
    <>
      <header className={styles.header}>
        {me.localMode ? (
          <MessageBar intent="warning" data-print="hide" data-local-banner="">
            <MessageBarBody>{t("tab.localMode", { name: me.person.name })}</MessageBarBody>
          </MessageBar>
        ) : null}
        <Text block as="h1" size={500} weight="semibold" className={styles.title}>
          {t("tab.title")}
        </Text>
        <nav aria-label={t("tab.nav.label")} className={styles.tabs} data-print="hide">
          <TabList selectedValue={view} onTabSelect={(_, data) => setView(data.value as View)}>
            <Tab value="wheel" id="tab-wheel" aria-controls="tab-panel">{t("tab.nav.wheel")}</Tab>
            <Tab value="overview" id="tab-overview" aria-controls="tab-panel">{t("tab.nav.overview")}</Tab>
            <Tab value="reports" id="tab-reports" aria-controls="tab-panel">{t("tab.nav.reports")}</Tab>
          </TabList>
        </nav>
      </header>
      <main className={styles.main} data-view={view}>
        <div role="tabpanel" id="tab-panel" aria-labelledby={`tab-${view}`} tabIndex={-1} ref={panel}>
          {view === "wheel" && region ? <WheelView region={region} onRegion={setRegion} /> : null}
          {view === "overview" ? <OverviewView onOpen={openWheel} /> : null}
          {view === "reports" && region ? <ReportsView region={region} onRegion={setRegion} /> : null}
        </div>
      </main>
    </>
  );
}
