package io.brewstream.app;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.brewstream.connectors.bots.TelegramBotApi;
import io.brewstream.connectors.bots.ChatSender;
import io.brewstream.ingress.bots.TelegramWebhookRoutes;
import io.brewstream.platform.config.Env;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Operations on the Telegram bots: point a bot's webhook at the ingress, or show what Telegram says of it. */
@Command(name = "bots", mixinStandardHelpOptions = true,
        description = {"register: setWebhook for a bot (its token from BREWSTREAM_TELEGRAM_BOT_TOKENS, its secret from",
                "BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS); info: getWebhookInfo (pending updates, last error)."})
final class BotsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "register or info")
    String action;

    @Option(names = "--bot", required = true, description = "The bot's name, as in the settings.")
    String bot;

    @Option(names = "--url", description = "register: the public base URL of the ingress, e.g. https://shop.example.com")
    String url;

    @Option(names = "--drop-pending-updates", description = "register: drop the updates Telegram holds for the bot.")
    boolean dropPending;

    @Override
    public Integer call() throws Exception {
        Env env = Env.system();
        Map<String, String> tokens = ChatSender.tokens(env.string("BREWSTREAM_TELEGRAM_BOT_TOKENS", ""));
        String token = tokens.get(bot);
        if (token == null) {
            throw new IllegalArgumentException("BREWSTREAM_TELEGRAM_BOT_TOKENS has no token for " + bot);
        }
        TelegramBotApi api = new TelegramBotApi(env.string("BREWSTREAM_TELEGRAM_API_URL", BotSenderComponent.DEFAULT_API_URL));
        TelegramBotApi.Answer answer;
        if (action.equals("register")) {
            String secret = TelegramWebhookRoutes.secrets(env.string("BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS", "")).get(bot);
            if (secret == null || url == null) {
                throw new IllegalArgumentException("register needs --url and a secret for " + bot
                        + " in BREWSTREAM_TELEGRAM_WEBHOOK_SECRETS");
            }
            String webhook = url.replaceAll("/+$", "") + TelegramWebhookRoutes.PATH.replace("{botName}", bot);
            answer = api.setWebhook(token, webhook, secret, dropPending).get(30, TimeUnit.SECONDS);
            System.out.println(answer.ok() ? "webhook of " + bot + " set to " + webhook : "Telegram refused: "
                    + answer.status() + " " + answer.description());
        } else if (action.equals("info")) {
            answer = api.getWebhookInfo(token).get(30, TimeUnit.SECONDS);
            System.out.println(answer.ok() ? answer.result().toPrettyString() : "Telegram refused: " + answer.status()
                    + " " + answer.description());
        } else {
            throw new IllegalArgumentException("unknown action " + action + "; register or info");
        }
        return answer.ok() ? 0 : 1;
    }
}
