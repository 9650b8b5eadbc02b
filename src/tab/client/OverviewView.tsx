/**
 * All regions at a glance: 15 regions × the year's main steps, each cell the state's icon and
 * word (the full sentence for screen readers and as a tooltip), overdue regions first as the API
 * orders them, sortable by region name and by overdue count. A region's name opens its wheel.
 */
import {
  CounterBadge,
  Link,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  Tooltip,
} from "@fluentui/react-components";
import { useId, useMemo, useState } from "react";
import { OverviewSchema, type Overview } from "../api-schema";
import { API } from "./api";
import { Failure, Loading, useLoad, useTab } from "./common";

/** States that need someone now (bold) and states that need no one yet (muted). */
const URGENT = new Set(["overdue", "blocked", "due-soon"]);
const QUIET = new Set(["done", "not-yet-open", "not-tracked", "not-applicable"]);

type SortKey = "urgency" | "region" | "overdue";
type Direction = "ascending" | "descending";

const useStyles = makeStyles({
  heading: { margin: `0 0 ${tokens.spacingVerticalS}` },
  scroll: { overflowX: "auto", maxWidth: "100%", ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
  // Columns as wide as their words (Fluent's table is fixed-layout: equal columns, headers on top of each other).
  table: { tableLayout: "auto", width: "max-content", minWidth: "100%", borderCollapse: "separate", borderSpacing: 0 },
  // The region stays in view while the steps scroll sideways (a phone, Teams' narrow pane).
  region: { position: "sticky", left: 0, backgroundColor: tokens.colorNeutralBackground1, zIndex: 1, minWidth: "8.5em", boxShadow: `inset -1px 0 0 ${tokens.colorNeutralStroke2}` },
  step: { verticalAlign: "bottom", whiteSpace: "nowrap", paddingInline: tokens.spacingHorizontalS },
  stepName: { fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200 },
  cell: { fontSize: tokens.fontSizeBase200, whiteSpace: "nowrap", paddingInline: tokens.spacingHorizontalS },
  // What needs someone now stands out; what is done or not yet open is quieter (icon and word still say which).
  urgent: { fontWeight: tokens.fontWeightSemibold },
  quiet: { color: tokens.colorNeutralForeground3 },
  number: { textAlign: "center", minWidth: "4.5em", whiteSpace: "nowrap" },
  zero: { color: tokens.colorNeutralForeground3 },
  next: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  hidden: {
    position: "absolute",
    width: "1px",
    height: "1px",
    margin: "-1px",
    overflow: "hidden",
    clip: "rect(0 0 0 0)",
    whiteSpace: "nowrap",
  },
});

export function OverviewView({ onOpen }: { onOpen: (region: string) => void }) {
  const { api, me, t } = useTab();
  const styles = useStyles();
  // «Møte vår», «Signert 2028»: the catalogue's short column title where it has one, else the step's title.
  const shortTitle = (stepId: string, year: number) => {
    const key = `tab.overview.col.${stepId}`;
    return me.strings[key] === undefined ? undefined : t(key, { year, next: year + 1 });
  };
  const headingId = useId();
  const [loaded, reload] = useLoad<Overview>("overview", () => api.get(API.overview, {}, OverviewSchema));
  const [sort, setSort] = useState<{ key: SortKey; direction: Direction }>({ key: "urgency", direction: "ascending" });
  const rows = useMemo(() => {
    if (loaded.state !== "ready") return [];
    const rows = [...loaded.value.rows];
    const sign = sort.direction === "ascending" ? 1 : -1;
    if (sort.key === "region") rows.sort((a, b) => sign * a.region.name.localeCompare(b.region.name, "nb"));
    // Most overdue first when descending; the API's urgency order breaks ties (Array.sort is stable).
    if (sort.key === "overdue") rows.sort((a, b) => sign * (a.overdue - b.overdue));
    return rows;
  }, [loaded, sort]);
  const toggle = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, direction: s.direction === "ascending" ? "descending" : "ascending" } : { key, direction: key === "overdue" ? "descending" : "ascending" }));
  const direction = (key: SortKey) => (sort.key === key ? sort.direction : undefined);

  return (
    <section aria-labelledby={headingId} data-overview="">
      <Text block as="h2" size={400} weight="semibold" id={headingId} className={styles.heading}>
        {t("tab.overview.heading")}
      </Text>
      {loaded.state === "loading" ? <Loading label={t("tab.loading")} /> : null}
      {loaded.state === "failed" ? <Failure error={loaded.error} t={t} onRetry={reload} /> : null}
      {loaded.state === "ready" ? (
        <>
          <Text block as="p" size={200}>
            {t("tab.overview.intro", { years: loaded.value.years.join("–") })}
          </Text>
          <div className={styles.scroll} role="region" aria-labelledby={headingId} tabIndex={0} data-scroll="">
            <Table sortable size="small" className={styles.table} aria-labelledby={headingId}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className={styles.region} sortDirection={direction("region")} onClick={() => toggle("region")}>
                    {t("tab.overview.region")}
                  </TableHeaderCell>
                  <TableHeaderCell className={styles.number} sortDirection={direction("overdue")} onClick={() => toggle("overdue")}>
                    {t("tab.overview.overdue")}
                  </TableHeaderCell>
                  {loaded.value.columns.map((c) => {
                    const short = shortTitle(c.stepId, c.year) ?? c.title;
                    return (
                      <TableHeaderCell key={`${c.stepId}/${c.year}`} className={styles.step} sortable={false} title={c.title} scope="col">
                        {/* A short word on screen; the full step title for screen readers and on hover. */}
                        <span className={styles.stepName} aria-hidden={short === c.title ? undefined : "true"}>
                          {short}
                        </span>
                        {short === c.title ? null : <span className={styles.hidden}>{c.title}</span>}
                      </TableHeaderCell>
                    );
                  })}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.region.id} data-region={row.region.id}>
                    <TableCell className={styles.region}>
                      <Link as="button" onClick={() => onOpen(row.region.id)} aria-label={t("tab.overview.openAria", { region: row.region.name })}>
                        {row.region.name}
                      </Link>
                    </TableCell>
                    <TableCell className={styles.number} data-overdue={row.overdue}>
                      {row.overdue > 0 ? (
                        <CounterBadge count={row.overdue} color="danger" appearance="filled" aria-label={t("tab.overview.overdueCount", { count: row.overdue })} />
                      ) : (
                        <span className={styles.zero} aria-label={t("tab.overview.overdueCount", { count: 0 })}>
                          0
                        </span>
                      )}
                    </TableCell>
                    {row.cells.map((cell, i) => (
                      <TableCell key={`${cell.stepId}/${i}`} data-state={cell.look.state} className={styles.cell}>
                        <Tooltip content={cell.text} relationship="description" withArrow>
                          <span className={URGENT.has(cell.look.state) ? styles.urgent : QUIET.has(cell.look.state) ? styles.quiet : undefined} aria-hidden="true">
                            {cell.look.icon} {cell.look.label}
                          </span>
                        </Tooltip>
                        <span className={styles.hidden}>{cell.text}</span>
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      ) : null}
    </section>
  );
}
