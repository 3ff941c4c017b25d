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

    /** Key of a chat: {@code botName:chatId}. */
    public static String chat(String botName, long chatId) {
        return botName + SEPARATOR + chatId;
    }

    /** The prefix of every key of one shop. */
    public static String shopPrefix(String shopId) {
        return shopId + SEPARATOR;
    }
}
