/**
 * The Teams activity handler: parse the text, call one use case, answer with one card.
 * botbuilder stays inside src/bot and src/server (a later move to the Agents SDK is local).
 */
import { ActivityHandler, CardFactory, MessageFactory, TurnContext } from "botbuilder";
import type { App } from "../app/app.js";
import { renderOverviewCard } from "../cards/overview-card.js";
import { renderHelpCard, renderMessageCard } from "../cards/simple-cards.js";
import { renderStatusCard } from "../cards/status-card.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { REGIONS } from "../domain/regions.js";
import { langFromLocale, translator } from "../i18n/index.js";
import { parseCommand } from "./commands.js";

export class SamhandlingBot extends ActivityHandler {
  constructor(private readonly app: App) {
    super();
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  private async answer(context: TurnContext): Promise<void> {
    const lang = langFromLocale(context.activity.locale);
    const t = translator(lang);
    // In channels and group chats the text starts with "<at>Samhandling</at>".
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text;
    const command = parseCommand(text);
    switch (command.kind) {
      case "status": {
        const answer = await this.app.status(command.regionQuery);
        if (answer.kind === "status") return send(context, renderStatusCard(answer.status, this.app.model, lang));
        const suggestions = answer.suggestions.map((r) => ({ title: r.name, value: `status ${r.name}` }));
        const detail = suggestions.length > 0 ? t("unknownRegion.suggest") : t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") });
        return send(context, renderMessageCard(t("unknownRegion.text", { query: answer.query.slice(0, 60) }), detail, suggestions));
      }
      case "overview":
        return send(context, renderOverviewCard(await this.app.overview(), this.app.model, lang));
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

async function send(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
