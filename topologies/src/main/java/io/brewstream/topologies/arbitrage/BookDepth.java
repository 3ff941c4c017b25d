package io.brewstream.topologies.arbitrage;

import java.math.BigDecimal;
import java.util.List;

import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.VenueBook;

/**
 * A book's levels as doubles, made once per book version, for searching how large an opportunity is: no amount is
 * ever stated from them (the search's answer is carried through the books again in exact decimals).
 */
record BookDepth(double[] bidPrices, double[] bidSizes, double[] askPrices, double[] askSizes) {
    private static final double[] POWERS_OF_TEN = new double[19];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    static BookDepth of(VenueBook book) {
        return new BookDepth(prices(book.getBids()), sizes(book.getBids()), prices(book.getAsks()), sizes(book.getAsks()));
    }

    private static double[] prices(List<BookLevel> levels) {
        double[] out = new double[levels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = approximately(levels.get(i).getPrice());
        }
        return out;
    }

    private static double[] sizes(List<BookLevel> levels) {
        double[] out = new double[levels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = approximately(levels.get(i).getSize());
        }
        return out;
    }

    /** BigDecimal.doubleValue goes through a string for large unscaled values; this does not (and is as close). */
    static double approximately(BigDecimal value) {
        int scale = value.scale();
        if (scale >= 0 && scale < POWERS_OF_TEN.length) {
            return value.unscaledValue().doubleValue() / POWERS_OF_TEN[scale];
        }
        return value.doubleValue();
    }
}
