package io.brewstream.topologies.arbitrage;

/** The arbitrage topology's stores. */
public final class ArbitrageStores {
    /** Each venue's book of each pair, keyed pair|venue. */
    public static final String BOOKS = "venue-books";
    /** Open opportunities, keyed pair|buy venue|sell venue. */
    public static final String OPEN = "open-opportunities";
    /** The venues' fees (from the exchanges table by CDC), keyed by exchange id. */
    public static final String FEES = io.brewstream.topologies.reference.ReferenceTables.EXCHANGE_FEES;

    private ArbitrageStores() {
    }

    static String book(String pair, String venue) {
        return pair + "|" + venue;
    }

    static String opportunity(String pair, String buyVenue, String sellVenue) {
        return pair + "|" + buyVenue + "|" + sellVenue;
    }
}
