package io.brewstream.schemas.money;

import io.brewstream.schemas.common.Money;

/** Exact arithmetic on {@link Money}: minor units, never mixing currencies. */
public final class Amounts {
    private Amounts() {
    }

    public static Money of(long amountMinor, String currency) {
        return Money.newBuilder().setAmountMinor(amountMinor).setCurrency(currency).build();
    }

    /** a + b; a null a counts as zero. */
    public static Money plus(Money a, Money b) {
        if (a == null) {
            return of(b.getAmountMinor(), b.getCurrency());
        }
        requireSameCurrency(a, b);
        return of(Math.addExact(a.getAmountMinor(), b.getAmountMinor()), a.getCurrency());
    }

    public static Money times(Money a, long factor) {
        return of(Math.multiplyExact(a.getAmountMinor(), factor), a.getCurrency());
    }

    /** Whether a covers b; a null a covers nothing. */
    public static boolean covers(Money a, Money b) {
        if (a == null) {
            return b.getAmountMinor() <= 0;
        }
        requireSameCurrency(a, b);
        return a.getAmountMinor() >= b.getAmountMinor();
    }

    public static boolean isPositive(Money a) {
        return a != null && a.getAmountMinor() > 0;
    }

    public static boolean sameCurrency(Money a, Money b) {
        return a.getCurrency().equals(b.getCurrency());
    }

    /** e.g. 4.20 EUR, with the currency's own number of decimals. */
    public static String format(Money m) {
        int digits;
        try {
            digits = Math.max(0, java.util.Currency.getInstance(m.getCurrency()).getDefaultFractionDigits());
        } catch (IllegalArgumentException unknownCurrency) {
            digits = 2;
        }
        return java.math.BigDecimal.valueOf(m.getAmountMinor(), digits).toPlainString() + " " + m.getCurrency();
    }

    private static void requireSameCurrency(Money a, Money b) {
        if (!sameCurrency(a, b)) {
            throw new IllegalArgumentException("cannot combine " + a.getCurrency() + " and " + b.getCurrency());
        }
    }
}
