/**
 * The print stylesheet: the wheel and its list on A4 portrait, the overview on A4 at small type,
 * black on white. Controls (tab list, pickers, buttons, the local-mode banner) are marked
 * `data-print="hide"`; states stay readable in print through their icons and words.
 */
export const PRINT_CSS = `
@page { size: A4 portrait; margin: 12mm; }
@page overview { size: A4 landscape; margin: 10mm; }
@media print {
  html, body, #root, .fui-FluentProvider { background: #fff !important; color: #000 !important; }
  [data-print="hide"], button[data-print-hide], .fui-Button[data-print="hide"] { display: none !important; }
  [data-view] { padding: 0 !important; }
  [data-wheel-layout] { display: block !important; }
  [data-wheel-figure] { max-width: 150mm !important; margin: 0 auto !important; break-inside: avoid; }
  [data-wheel-figure] svg { width: 100% !important; height: auto !important; }
  [data-step-list] { break-before: auto; font-size: 9pt !important; }
  [data-step-list] li { break-inside: avoid; }
  [data-step-detail] { display: none !important; }
  [data-overview] { page: overview; font-size: 7pt !important; }
  [data-overview] table { width: 100% !important; min-width: 0 !important; table-layout: auto; }
  [data-overview] th, [data-overview] td { padding: 1px 2px !important; min-width: 0 !important; }
  /* On screen the table scrolls sideways with one-line cells; on paper it wraps to the page's width. */
  [data-overview] th, [data-overview] td, [data-overview] th *, [data-overview] td * { white-space: normal !important; font-size: 7pt !important; line-height: 1.2 !important; }
  [data-overview] th, [data-overview] td { position: static !important; box-shadow: none !important; }
  [data-scroll] { overflow: visible !important; }
  a, .fui-Link { color: #000 !important; text-decoration: none !important; }
  th, td, [data-overview] [role="region"] { background: none !important; }
  * { box-shadow: none !important; }
}
`;
