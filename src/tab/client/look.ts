/**
 * The colour of each step state, from Fluent's tokens (so Teams' dark and high-contrast themes
 * get their own), as on the status card (src/cards/look.ts: Good, Attention, Warning, Accent,
 * Default). Colour is never the only cue: the icon and the word come with the state from the API.
 */
import { tokens } from "@fluentui/react-components";
import type { TabStepState } from "../api-schema";

/**
 * How thick a state's arc is, as a share of its lane: what needs someone now is full width, what
 * is open or done is thinner, and what has not opened yet is a hairline (WheelSvg caps it), so
 * the eye goes to the late and the open first.
 */
export const STATE_WEIGHT: Record<TabStepState, number> = {
  overdue: 1,
  blocked: 1,
  "due-soon": 1,
  open: 0.75,
  waiting: 0.6,
  done: 0.5,
  "not-yet-open": 0,
  "not-tracked": 0,
  "not-applicable": 0,
};

export const STATE_COLOR: Record<TabStepState, string> = {
  done: tokens.colorPaletteGreenBorderActive,
  overdue: tokens.colorPaletteRedBorderActive,
  blocked: tokens.colorPaletteDarkOrangeBorderActive,
  "due-soon": tokens.colorPaletteMarigoldBorderActive,
  // Blue, as the legend's 🔵 (the brand colour is the same purple as links and the selected tab).
  open: tokens.colorPaletteBlueBorderActive,
  waiting: tokens.colorNeutralForeground3,
  "not-yet-open": tokens.colorNeutralForeground4,
  "not-tracked": tokens.colorNeutralStroke2,
  "not-applicable": tokens.colorNeutralStroke2,
};
