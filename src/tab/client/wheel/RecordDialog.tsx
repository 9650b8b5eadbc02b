/**
 * Recording a step from the tab: the card's form as a dialog (the date within the form's limits
 * plus the verb's own fields), POSTed to /api/tab/record under the same rules and audit trail as
 * the cards. The server's answer decides: recorded (the dialog closes, the wheel is replaced),
 * refused (the message at its field), late (the message, the steps, and «Lagre likevel»).
 */
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Select,
  Spinner,
  tokens,
} from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { RecordAnswerSchema, type RecordAnswer, type RecordForm, type Wheel, type WheelStep } from "../../api-schema";
import { API } from "../api";
import { Failure, useTab } from "../common";
import { formatDay } from "../strings";

/** The political decision's outcomes (src/domain/events.ts OUTCOMES; the page does not bundle the domain). */
const OUTCOMES = ["approved", "approved-with-changes", "sent-back"] as const;
/** Fields that are yes/no toggles on the card (the national autumn meeting's two parts). */
const TOGGLES = new Set(["experiences", "opportunities"]);

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  steps: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingInlineStart: tokens.spacingHorizontalL },
});

type Values = Record<string, string | boolean>;

function initialValues(form: RecordForm, today: string, t: (k: string) => string): Values {
  const clamp = today < form.minDate ? form.minDate : today > form.maxDate ? form.maxDate : today;
  // A meeting's date is a choice for the future: no default; every other date is "when it happened", today by default.
  const values: Values = { date: form.verb === "meeting.plan" ? "" : clamp };
  for (const field of form.fields) {
    if (TOGGLES.has(field)) values[field] = true;
    else if (field === "outcome") values[field] = "approved";
    else if (field === "body") values[field] = t("tab.field.bodyDefault");
    else values[field] = "";
  }
  return values;
}

export function RecordDialog(props: { form: RecordForm; step: WheelStep; wheel: Wheel; onClose: () => void; onRecorded: (wheel: Wheel, message: string) => void }) {
  const { form, step, wheel, onClose, onRecorded } = props;
  const { api, t, lang } = useTab();
  const styles = useStyles();
  const [values, setValues] = useState<Values>(() => initialValues(form, wheel.today, t));
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Exclude<RecordAnswer, { kind: "recorded" | "duplicate" }>>();
  const [failure, setFailure] = useState<unknown>();
  const set = (field: string, value: string | boolean) => {
    setValues((v) => ({ ...v, [field]: value }));
    setAnswer(undefined);
  };

  const send = async (acceptLate: string[]) => {
    setBusy(true);
    setFailure(undefined);
    try {
      const result = await api.post(
        API.record,
        // A fresh actionId per deliberate send: the server records nothing twice for one id.
        // wheelYear: a January step of last year's cycle is recorded from this year's wheel, and this year's wheel comes back.
        { regionId: wheel.region.id, year: step.year, wheelYear: wheel.year, verb: form.verb, params: form.params, values, actionId: crypto.randomUUID(), acceptLate },
        RecordAnswerSchema,
      );
      if (result.kind === "recorded" || result.kind === "duplicate") onRecorded(result.wheel, result.message);
      else setAnswer(result);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send([]);
  };

  const refusedAt = answer?.kind === "refused" ? (answer.field && (answer.field === "date" || form.fields.includes(answer.field)) ? answer.field : "date") : undefined;
  const fieldMessage = (field: string) => (refusedAt === field && answer ? { validationMessage: answer.message, validationState: "error" as const } : {});
  const dateLabel = form.verb === "meeting.plan" ? t("tab.field.plannedDate") : t("tab.field.date");

  return (
    <Dialog open modalType="modal" onOpenChange={(_, data) => (data.open ? undefined : onClose())}>
      <DialogSurface aria-describedby={undefined}>
        {/* noValidate: the server checks and answers in the person's language, at the field (the browser's bubbles would be in its own). */}
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>{t("tab.form.title", { action: form.title, step: step.title })}</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label={dateLabel} required hint={t("tab.form.range", { from: formatDay(form.minDate, lang), to: formatDay(form.maxDate, lang) })} {...fieldMessage("date")}>
                <Input type="date" name="date" min={form.minDate} max={form.maxDate} value={String(values.date ?? "")} onChange={(_, d) => set("date", d.value)} required />
              </Field>
              {form.fields.map((field) =>
                TOGGLES.has(field) ? (
                  <Field key={field} {...fieldMessage(field)}>
                    <Checkbox name={field} label={t(`tab.field.${field}`)} checked={values[field] === true} onChange={(_, d) => set(field, d.checked === true)} />
                  </Field>
                ) : field === "outcome" ? (
                  <Field key={field} label={t("tab.field.outcome")} {...fieldMessage(field)}>
                    <Select name={field} value={String(values[field])} onChange={(_, d) => set(field, d.value)}>
                      {OUTCOMES.map((o) => (
                        <option key={o} value={o}>
                          {t(`tab.outcome.${o}`)}
                        </option>
                      ))}
                    </Select>
                  </Field>
                ) : (
                  <Field key={field} label={t(`tab.field.${field}`)} required={field === "caseNumber" || field === "body"} {...fieldMessage(field)}>
                    <Input
                      name={field}
                      type={field === "link" ? "url" : "text"}
                      value={String(values[field] ?? "")}
                      maxLength={field === "caseNumber" ? 50 : 300}
                      onChange={(_, d) => set(field, d.value)}
                      required={field === "caseNumber" || field === "body"}
                    />
                  </Field>
                ),
              )}
              {answer?.kind === "refused" && !refusedAt ? (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{answer.message}</MessageBarBody>
                </MessageBar>
              ) : null}
              {answer?.kind === "late" ? (
                <MessageBar intent="warning" layout="multiline" role="alert" data-late="">
                  <MessageBarBody>
                    {answer.message}
                    {answer.steps.length > 0 ? (
                      <ul className={styles.steps}>
                        {answer.steps.map((s) => (
                          <li key={s}>{s}</li>
                        ))}
                      </ul>
                    ) : null}
                  </MessageBarBody>
                  <MessageBarActions>
                    <Button appearance="primary" disabled={busy} onClick={() => void send(answer.accept)}>
                      {t("tab.form.saveAnyway")}
                    </Button>
                  </MessageBarActions>
                </MessageBar>
              ) : null}
              {failure ? <Failure error={failure} t={t} /> : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose} disabled={busy}>
                {t("tab.form.cancel")}
              </Button>
              <Button appearance="primary" type="submit" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
                {t("tab.form.save")}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
