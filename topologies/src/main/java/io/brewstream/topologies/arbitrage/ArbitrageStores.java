package io.brewstream.topologies.arbitrage;

/** The arbitrage topology's stores. */
public final class ArbitrageStores {
    /** Each venue's book of each pair, keyed pair|venue. */
    public static final String BOOKS = "venue-books";
    /** Open opportunities, keyed pair|buy venue|sell venue. */
    public static final String OPEN = "open-opportunities";
    /** The venues' fees (from the exchanges table by CDC), keyed by exchange id. */
    public static final String FEES = io.brewstream.topologies.reference.ReferenceTables.EXCHANGE_FEES;

    /** Withdrawal fees and transfer times (by CDC), keyed exchange|asset|network. */
    public static final String WITHDRAWAL_FEES = io.brewstream.topologies.reference.ReferenceTables.WITHDRAWAL_FEES;
    /** Each venue's books of all its pairs, keyed venue|pair, for triangular cycles. */
    public static final String VENUE_PAIR_BOOKS = "venue-pair-books";
    /** Open triangular opportunities, keyed venue|cycle. */
    public static final String OPEN_CYCLES = "open-cycles";
    /** Each opportunity's events, keyed opportunity id|event number (10 digits), for its history read. */
    public static final String HISTORY = "opportunity-history";
    /** How many events each opportunity has had, keyed by opportunity id. */
    public static final String HISTORY_LENGTHS = "opportunity-history-lengths";
    /** Closed opportunities by when their history may go, keyed by {@code DeadlineKeys}. */
    public static final String HISTORY_EXPIRY = "opportunity-history-expiry";

    private ArbitrageStores() {
    }

    /** A book's key: pair|venue in the cross-venue store, venue|pair in the cycles' store. */
    static String book(String group, String member) {
        return group + "|" + member;
    }

    static String cycle(String venue, String label) {
        return venue + "|" + label;
    }

    /** The key an opportunity's events are written under (its pair, or its cycle's label): its id's first part. */
    public static String recordKey(String opportunityId) {
        int colon = opportunityId.indexOf(':');
        return colon < 0 ? opportunityId : opportunityId.substring(0, colon);
    }

    /** The key of an opportunity's {@code number}th event (from 0, the OPENED one). */
    static String historyKey(String opportunityId, int number) {
        String digits = Integer.toString(number);
        return historyPrefix(opportunityId) + "0".repeat(Math.max(0, 10 - digits.length())) + digits;
    }

    /** What every key of an opportunity's events starts with. */
    public static String historyPrefix(String opportunityId) {
        return opportunityId + "|";
    }

    static String opportunity(String pair, String buyVenue, String sellVenue) {
        return pair + "|" + buyVenue + "|" + sellVenue;
    }
}
