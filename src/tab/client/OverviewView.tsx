/**
 * All regions at a glance: 15 regions × the year's main steps, each cell the state's icon and
 * word (the full sentence for screen readers and as a tooltip), overdue regions first as the API
 * orders them, sortable by region name and by overdue count. A region's name opens its wheel.
 */
import {
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

type SortKey = "urgency" | "region" | "overdue";
type Direction = "ascending" | "descending";

const useStyles = makeStyles({
  heading: { margin: `0 0 ${tokens.spacingVerticalS}` },
  scroll: { overflowX: "auto", maxWidth: "100%", ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
  table: { minWidth: "720px" },
  region: { position: "sticky", left: 0, backgroundColor: tokens.colorNeutralBackground1, zIndex: 1, minWidth: "9em" },
  step: { minWidth: "7em", verticalAlign: "bottom" },
  cell: { fontSize: tokens.fontSizeBase200, display: "inline-block", paddingBlock: tokens.spacingVerticalXXS },
  number: { textAlign: "end", minWidth: "4em" },
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
  const { api, t } = useTab();
  const styles = useStyles();
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
                  {loaded.value.columns.map((c) => (
                    <TableHeaderCell key={`${c.stepId}/${c.year}`} className={styles.step} sortable={false}>
                      {c.title}
                    </TableHeaderCell>
                  ))}
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
                    <TableCell className={styles.number}>{row.overdue}</TableCell>
                    {row.cells.map((cell, i) => (
                      <TableCell key={`${cell.stepId}/${i}`} data-state={cell.look.state}>
                        <Tooltip content={cell.text} relationship="description" withArrow>
                          <span className={styles.cell} aria-hidden="true">
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
