/**
 * The Bot Framework adapter: CloudAdapter with botbuilder's own environment names. An empty
 * MicrosoftAppId is local mode (Agents Playground, tests) without authentication; with an app
 * id every incoming request's JWT is validated by the adapter.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from "botbuilder";
import type { Config } from "../config.js";
import { langFromLocale, translator } from "../i18n/index.js";
import type { Logger } from "../logger.js";

export function createAdapter(config: Config, logger: Logger): CloudAdapter {
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
    // The person gets a short apology in their language; details stay in the log. If even that
    // cannot be delivered (the connector is unreachable), the log is all that can be done.
    try {
      await context.sendActivity(translator(langFromLocale(activity.locale))("error.generic"));
    } catch (sendError) {
      logger.error({ err: sendError, conversationId: activity.conversation?.id }, "could not deliver the apology either");
    }
  };
  return adapter;
}
