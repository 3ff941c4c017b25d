package io.brewstream.schemas.topics;

/** Composite record keys, built in one place. */
public final class Keys {
    private static final String SEPARATOR = ":";

    private Keys() {
    }

    /** Key of a price: {@code shopId:menuItemId}. */
    public static String shopItem(String shopId, String menuItemId) {
        return shopId + SEPARATOR + menuItemId;
    }

    /** Key of a stock level: {@code shopId:ingredientId}. */
    public static String shopIngredient(String shopId, String ingredientId) {
        return shopId + SEPARATOR + ingredientId;
    }

    /** Key of a chat: {@code platform:botName:chatId}, e.g. {@code telegram:brewbot:123456}. */
    public static String chat(io.brewstream.schemas.common.Channel platform, String botName, String chatId) {
        return platform.name().toLowerCase(java.util.Locale.ROOT) + SEPARATOR + botName + SEPARATOR + chatId;
    }

    /** Key of a shop's staff chat: {@code shopId:chatKey}, so a shop's staff chats are one prefix. */
    public static String staffChat(String shopId, String chatKey) {
        return shopId + SEPARATOR + chatKey;
    }

    /** Key of one orders partition's share of a customer's risk profile: {@code customerId:partition}. */
    public static String customerShare(String customerId, int partition) {
        return customerId + SEPARATOR + partition;
    }

    /** The prefix of every key of one shop. */
    public static String shopPrefix(String shopId) {
        return shopId + SEPARATOR;
    }
}
