package io.brewstream.topologies.bots;

/** Names of the bots topology's state stores. */
public final class BotStores {
    /** One {@code ChatSession} per chat key. */
    public static final String CHAT_SESSIONS = "chat-sessions";

    private BotStores() {
    }
}
