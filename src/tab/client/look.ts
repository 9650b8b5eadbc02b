/**
 * The colour of each step state, from Fluent's tokens (so Teams' dark and high-contrast themes
 * get their own), as on the status card (src/cards/look.ts: Good, Attention, Warning, Accent,
 * Default). Colour is never the only cue: the icon and the word come with the state from the API.
 */
import { tokens } from "@fluentui/react-components";
import type { TabStepState } from "../api-schema";

export const STATE_COLOR: Record<TabStepState, string> = {
  done: tokens.colorPaletteGreenBorderActive,
  overdue: tokens.colorPaletteRedBorderActive,
  blocked: tokens.colorPaletteDarkOrangeBorderActive,
  "due-soon": tokens.colorPaletteMarigoldBorderActive,
  open: tokens.colorBrandStroke1,
  waiting: tokens.colorNeutralForeground2,
  "not-yet-open": tokens.colorNeutralForeground4,
  "not-tracked": tokens.colorNeutralStroke2,
  "not-applicable": tokens.colorNeutralStroke2,
};
