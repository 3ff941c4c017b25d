package io.brewstream.connectors.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores what a customer wrote with a small lexicon of coffee-shop words: each word's weight, flipped after a
 * negation ("not good", "never warm") and doubled after an intensifier ("very slow"), summed and squashed into
 * [-1, 1]; a star rating, when given, counts as much as the words. Bad at or below {@link #BAD}. Pure and
 * explainable: the words that made the score come with it.
 */
public final class FeedbackLexicon {
    /** At or below this, the feedback is bad and someone at the shop should look at it. */
    public static final double BAD = -0.25;
    private static final Map<String, Integer> WEIGHTS = Map.ofEntries(
            Map.entry("great", 2), Map.entry("love", 3), Map.entry("loved", 3), Map.entry("delicious", 3),
            Map.entry("friendly", 2), Map.entry("fast", 1), Map.entry("quick", 1), Map.entry("perfect", 3),
            Map.entry("tasty", 2), Map.entry("good", 1), Map.entry("excellent", 3), Map.entry("nice", 1),
            Map.entry("amazing", 3), Map.entry("fresh", 1), Map.entry("warm", 1), Map.entry("thanks", 1),
            Map.entry("cold", -2), Map.entry("slow", -2), Map.entry("rude", -3), Map.entry("bad", -2),
            Map.entry("terrible", -3), Map.entry("awful", -3), Map.entry("wrong", -2), Map.entry("dirty", -3),
            Map.entry("burnt", -2), Map.entry("bitter", -1), Map.entry("late", -1), Map.entry("disgusting", -3),
            Map.entry("stale", -2), Map.entry("worst", -3), Map.entry("waited", -1), Map.entry("watery", -2),
            Map.entry("missing", -2), Map.entry("spilled", -2), Map.entry("overpriced", -2), Map.entry("horrible", -3));
    private static final Set<String> NEGATIONS = Set.of("not", "never", "no", "isn't", "wasn't", "don't", "didn't",
            "hardly");
    private static final Set<String> INTENSIFIERS = Set.of("very", "really", "so", "extremely", "too");

    private FeedbackLexicon() {
    }

    /** A score in [-1, 1], whether it is bad, and the words (as read, with their weight) behind it. */
    public record Score(double score, boolean bad, List<String> evidence) {
    }

    public static Score score(String text, Integer rating) {
        List<String> evidence = new ArrayList<>();
        double sum = 0;
        String[] words = text.toLowerCase(Locale.ROOT).split("[^a-z']+");
        for (int i = 0; i < words.length; i++) {
            Integer weight = WEIGHTS.get(words[i]);
            if (weight == null) {
                continue;
            }
            double w = weight;
            String phrase = words[i];
            for (int back = 1; back <= 2 && i - back >= 0; back++) {
                String before = words[i - back];
                if (INTENSIFIERS.contains(before) && back == 1) {
                    w *= 2;
                    phrase = before + " " + phrase;
                } else if (NEGATIONS.contains(before)) {
                    w = -w;
                    phrase = before + " " + phrase;
                    break;
                }
            }
            sum += w;
            evidence.add(phrase + " (" + (w > 0 ? "+" : "") + (long) w + ")");
        }
        double fromWords = sum / (Math.abs(sum) + 3);
        double score;
        if (rating != null) {
            double fromRating = (Math.max(1, Math.min(5, rating)) - 3) / 2.0;
            evidence.add("rating " + rating + " of 5");
            score = evidence.size() == 1 ? fromRating : (fromWords + fromRating) / 2;
        } else {
            score = fromWords;
        }
        score = Math.round(score * 100) / 100.0;
        return new Score(score, score <= BAD, List.copyOf(evidence));
    }
}
