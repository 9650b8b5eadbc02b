/**
 * The Teams activity handler: parse the text, call one use case, answer with one card.
 * botbuilder stays inside src/bot and src/server (a later move to the Agents SDK is local).
 */
import {
  ActivityHandler,
  CardFactory,
  MessageFactory,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
} from "botbuilder";
import type { App } from "../app/app.js";
import { CardCache } from "../cards/card-cache.js";
import { renderOverviewCard } from "../cards/overview-card.js";
import { renderHelpCard, renderMessageCard } from "../cards/simple-cards.js";
import { renderStatusCard } from "../cards/status-card.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { REGIONS } from "../domain/regions.js";
import { langFromLocale, translator } from "../i18n/index.js";
import { z } from "zod";
import { MAX_COMMAND_LENGTH, parseCommand } from "./commands.js";

export class SamhandlingBot extends ActivityHandler {
  constructor(
    private readonly app: App,
    private readonly cards: CardCache,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  /**
   * Card actions (Action.Execute) arrive as `adaptiveCard/action` invokes. None of the cards of
   * this version has one; a stale card gets a translated message rather than an error.
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, _value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const t = translator(langFromLocale(context.activity.locale));
    return { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: t("invoke.unsupported") as unknown as Record<string, unknown> };
  }

  /** Unknown invokes are the client's mistake: 400, not botbuilder's default 501. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const response = await super.onInvokeActivity(context);
    return response.status === 501 ? { status: 400, body: { error: { code: "UNSUPPORTED_INVOKE", message: `unsupported invoke "${context.activity.name ?? ""}"` } } } : response;
  }

  private async answer(context: TurnContext): Promise<void> {
    const lang = langFromLocale(context.activity.locale);
    const t = translator(lang);
    // In channels and group chats the text starts with "<at>Samhandling</at>".
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text;
    const command = parseCommand(text?.trim() ? text : buttonCommand(context.activity.value));
    switch (command.kind) {
      case "status": {
        const answer = await this.app.status(command.regionQuery);
        if (answer.kind === "status") {
          const { version, evaluate } = answer.status;
          return send(context, this.cards.get(`${version}|${lang}`, () => renderStatusCard(evaluate(), this.app.model, lang)));
        }
        const suggestions = answer.suggestions.map((r) => ({ title: r.name, value: `status ${r.name}` }));
        const detail = suggestions.length > 0 ? t("unknownRegion.suggest") : t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") });
        return send(context, renderMessageCard(t("unknownRegion.text", { query: answer.query.slice(0, 60) }), detail, suggestions));
      }
      case "overview": {
        const { version, evaluate } = await this.app.overview();
        return send(context, this.cards.get(`${version}|${lang}`, () => renderOverviewCard(evaluate(), this.app.model, lang)));
      }
      case "help":
        return send(context, renderHelpCard(lang));
      case "empty":
        return send(context, renderMessageCard(t("input.empty")));
      case "too-long":
        return send(context, renderMessageCard(t("input.tooLong", { length: command.length })));
      case "unknown":
        return send(context, renderMessageCard(t("unknownCommand.text", { text: command.text })));
    }
  }
}

/**
 * A card button (Action.Submit with `{ command }`) arrives as a message without text whose
 * value is the button's data. Plain data works alike in Teams and in the Agents Playground.
 */
const ButtonData = z.object({ command: z.string().max(MAX_COMMAND_LENGTH) });

function buttonCommand(value: unknown): string | undefined {
  const parsed = ButtonData.safeParse(value);
  return parsed.success ? parsed.data.command : undefined;
}

async function send(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
