/** How each step state looks on every card: one glyph and one Adaptive Card colour. */
import type { StepState } from "../domain/obligations.js";

/** A glyph and an Adaptive Card colour per state, so state reads at a glance and without colour. */
export const STATE_LOOK: Record<StepState, { icon: string; color: string }> = {
  done: { icon: "✅", color: "Good" },
  overdue: { icon: "🔴", color: "Attention" },
  // Late, but because someone else is: a warning, not the reader's failure.
  blocked: { icon: "⛔", color: "Warning" },
  "due-soon": { icon: "🟠", color: "Warning" },
  open: { icon: "🔵", color: "Accent" },
  waiting: { icon: "⏳", color: "Default" },
  "not-yet-open": { icon: "⚪", color: "Default" },
  "not-tracked": { icon: "➖", color: "Default" },
  "not-applicable": { icon: "➖", color: "Default" },
};
