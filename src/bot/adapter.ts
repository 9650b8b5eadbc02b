/**
 * The Bot Framework adapter: CloudAdapter with botbuilder's own environment names. An empty
 * MicrosoftAppId is local mode (Agents Playground, tests) without authentication; with an app
 * id every incoming request's JWT is validated by the adapter.
 */
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, INVOKE_RESPONSE_KEY, type TurnContext } from "botbuilder";
import type { Config } from "../config.js";
import type { Lang } from "../domain/calendar.js";
import { langFromLocale, translator } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { failureMessageKey } from "./failure.js";

export interface AdapterOptions {
  /**
   * The language the person chose (`språk`), for the apology after a failed message turn;
   * undefined → their Teams locale. Given by the composition (compose.ts): the adapter has no app.
   */
  languageOf?: (context: TurnContext) => Promise<Lang | undefined>;
}

export function createAdapter(config: Config, logger: Logger, options: AdapterOptions = {}): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId ?? "",
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? "",
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? "",
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const activity = context.activity;
    logger.error(
      { err: error, code: (error as { code?: string }).code, activityId: activity.id, conversationId: activity.conversation?.id, type: activity.type },
      "turn failed",
    );
    // An invoke is answered in its HTTP response, never by a message: a message would reach the
    // whole chat or channel for one person's click. Card actions answer their own failures with
    // a card (bot.ts); any other invoke that fails gets a bare 500 rather than botbuilder's 501
    // ("not implemented"), unless the handler had answered already.
    if (activity.type === ActivityTypes.Invoke) {
      if (!context.turnState.get(INVOKE_RESPONSE_KEY)) {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 500 } });
      }
      return;
    }
    // The person gets a short apology in their language ("try again in a moment" when the store
    // is unavailable: the bot recovers by itself once it is back); details stay in the log. If even that
    // cannot be delivered (the connector is unreachable), the log is all that can be done.
    try {
      const lang = (await chosenLanguage(context)) ?? langFromLocale(activity.locale);
      await context.sendActivity(translator(lang)(failureMessageKey(error)));
    } catch (sendError) {
      logger.error({ err: sendError, conversationId: activity.conversation?.id }, "could not deliver the apology either");
    }
  };
  /** The failure may be the store itself, which the language is read from: then the locale it is. */
  async function chosenLanguage(context: TurnContext): Promise<Lang | undefined> {
    try {
      return await options.languageOf?.(context);
    } catch {
      return undefined;
    }
  }
  return adapter;
}
