package io.brewstream.topologies.bots;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.commons.text.similarity.LevenshteinDistance;

import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.rules.PlaceOrderRules;

/**
 * Reads an order typed into a chat, forgivingly: {@code latte large oat x2, croissant at berlin-mitte}. Items are
 * separated by commas or "and"; each names a menu item (its id or name, a typo or two forgiven), and may add a
 * size (small/s, medium/m/regular, large/l/big), options the item offers ("extra shot" for extra-shot) and a
 * quantity (2, x2, 2x). "at SHOP" names the shop by id or name, or part of one. What cannot be read is said
 * plainly; a shop that fits several is left for the customer to pick. Pure: the menu and shops are given.
 */
public final class OrderText {
    static final int MAX_LINES = PlaceOrderRules.MAX_ITEMS;
    static final int MAX_QUANTITY = PlaceOrderRules.MAX_QUANTITY;

    /** What was read. {@code shopChoices} lists the shops that fit when the text named one ambiguously. */
    public record Parsed(List<OrderLine> lines, Optional<String> shopId, List<String> shopChoices, List<String> problems) {
        public boolean complete() {
            return problems.isEmpty() && !lines.isEmpty();
        }
    }

    private OrderText() {
    }

    public static Parsed parse(String text, Collection<MenuItem> menu, Collection<Shop> shops) {
        String body = text.toLowerCase(Locale.ROOT).trim();
        List<String> problems = new ArrayList<>();
        Optional<String> shopId = Optional.empty();
        List<String> shopChoices = List.of();
        int at = Math.max(body.lastIndexOf(" at "), body.lastIndexOf(" @ "));
        if (at >= 0) {
            String shopText = body.substring(at + 4).trim();
            body = body.substring(0, at);
            List<Shop> fitting = shops(shopText, shops);
            if (fitting.size() == 1) {
                shopId = Optional.of(fitting.get(0).getShopId());
            } else if (fitting.isEmpty()) {
                problems.add("I know no shop \"" + shopText + "\"");
            } else {
                shopChoices = fitting.stream().map(Shop::getShopId).sorted().toList();
            }
        }
        List<OrderLine> lines = new ArrayList<>();
        for (String part : body.split(",|\\band\\b|;|\\+")) {
            if (part.isBlank()) {
                continue;
            }
            line(part.trim(), menu, problems).ifPresent(lines::add);
        }
        if (lines.isEmpty() && problems.isEmpty()) {
            problems.add("tell me what you would like, e.g. /order latte large oat x2 at berlin-mitte");
        }
        if (lines.size() > MAX_LINES) {
            problems.add("at most " + MAX_LINES + " items in one order");
        }
        return new Parsed(lines, shopId, shopChoices, problems);
    }

    /** The one shop a text names (by id or name, part of one, or a typo away), if exactly one fits. */
    public static Optional<Shop> shopNamed(String text, Collection<Shop> shops) {
        List<Shop> fitting = shops(text.toLowerCase(Locale.ROOT).trim(), shops);
        return fitting.size() == 1 ? Optional.of(fitting.get(0)) : Optional.empty();
    }

    private static Optional<OrderLine> line(String part, Collection<MenuItem> menu, List<String> problems) {
        List<String> words = new ArrayList<>(Arrays.asList(part.split("\\s+")));
        int quantity = 1;
        ItemSize size = null;
        List<String> rest = new ArrayList<>();
        for (String word : words) {
            if (FILLERS.contains(word)) {
                continue;
            }
            Integer q = quantity(word);
            ItemSize s = size(word);
            if (q != null) {
                quantity = q;
            } else if (s != null) {
                size = s;
            } else {
                rest.add(word);
            }
        }
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            problems.add("a quantity is between 1 and " + MAX_QUANTITY);
            return Optional.empty();
        }
        // the item is the longest run of words from the start that names one; what follows are its options
        for (int end = rest.size(); end >= 1; end--) {
            String name = String.join("-", rest.subList(0, end));
            List<MenuItem> fitting = items(name, menu);
            if (fitting.size() > 1) {
                problems.add("\"" + name + "\" could be " + String.join(" or ",
                        fitting.stream().map(MenuItem::getMenuItemId).sorted().toList()));
                return Optional.empty();
            }
            if (fitting.size() == 1) {
                MenuItem item = fitting.get(0);
                List<String> options = options(rest.subList(end, rest.size()), item, problems);
                if (options == null) {
                    return Optional.empty();
                }
                if (!item.getAvailable()) {
                    problems.add(item.getName() + " is not available now");
                    return Optional.empty();
                }
                ItemSize chosen = size == null ? ItemSize.MEDIUM : size;
                if (size != null && !item.getSizes().isEmpty() && !item.getSizes().contains(size)) {
                    problems.add(item.getName() + " comes in " + item.getSizes().stream()
                            .map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
                    return Optional.empty();
                }
                return Optional.of(OrderLine.newBuilder().setMenuItemId(item.getMenuItemId()).setQuantity(quantity)
                        .setSize(chosen).setOptions(options).build());
            }
        }
        problems.add("I do not know \"" + String.join(" ", rest) + "\"; /menu shows what there is");
        return Optional.empty();
    }

    /** Options the item offers, read from the words after its name ("extra shot" is extra-shot); null if one is not. */
    private static List<String> options(List<String> words, MenuItem item, List<String> problems) {
        List<String> options = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            String matched = null;
            int used = 0;
            for (int end = words.size(); end > i && matched == null; end--) {
                String candidate = String.join("-", words.subList(i, end));
                for (String option : item.getOptions()) {
                    if (option.equals(candidate) || close(option, candidate)) {
                        matched = option;
                        used = end - i;
                    }
                }
            }
            if (matched == null) {
                if (words.get(i).equals("with") || words.get(i).equals("milk")) {
                    i++;
                    continue;
                }
                problems.add(item.getName() + " has no option \"" + words.get(i) + "\"" + (item.getOptions().isEmpty()
                        ? "" : "; it offers " + String.join(", ", item.getOptions())));
                return null;
            }
            if (!options.contains(matched)) {
                options.add(matched);
            }
            i += used;
        }
        return options;
    }

    private static List<MenuItem> items(String name, Collection<MenuItem> menu) {
        List<MenuItem> exact = menu.stream().filter(m -> m.getMenuItemId().equals(name)
                || slug(m.getName()).equals(name) || (m.getMenuItemId() + "s").equals(name)).toList();
        if (!exact.isEmpty()) {
            return exact;
        }
        return menu.stream().filter(m -> close(m.getMenuItemId(), name) || close(slug(m.getName()), name)).toList();
    }

    private static List<Shop> shops(String text, Collection<Shop> shops) {
        String wanted = slug(text);
        List<Shop> exact = shops.stream().filter(s -> s.getShopId().equals(wanted) || slug(s.getName()).equals(wanted))
                .toList();
        if (!exact.isEmpty()) {
            return exact;
        }
        List<Shop> partial = shops.stream().filter(s -> s.getShopId().contains(wanted) || slug(s.getName()).contains(wanted))
                .toList();
        if (!partial.isEmpty()) {
            return partial;
        }
        return shops.stream().filter(s -> close(s.getShopId(), wanted) || close(slug(s.getName()), wanted)).toList();
    }

    private static final java.util.Set<String> FILLERS = java.util.Set.of("a", "an", "the", "please", "some", "of");
    private static final java.util.Map<String, Integer> NUMBERS = java.util.Map.of("one", 1, "two", 2, "three", 3,
            "four", 4, "five", 5, "six", 6);

    private static Integer quantity(String word) {
        if (NUMBERS.containsKey(word)) {
            return NUMBERS.get(word);
        }
        String digits = word.startsWith("x") ? word.substring(1) : word.endsWith("x") ? word.substring(0, word.length() - 1) : word;
        if (!digits.matches("\\d{1,4}")) {
            return null;
        }
        return Integer.parseInt(digits);
    }

    private static ItemSize size(String word) {
        return switch (word) {
            case "small", "s", "short" -> ItemSize.SMALL;
            case "medium", "m", "regular", "normal" -> ItemSize.MEDIUM;
            case "large", "l", "big", "tall", "grande" -> ItemSize.LARGE;
            default -> null;
        };
    }

    static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).trim().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** A typo away: one edit for short words, two for longer ones. */
    static boolean close(String known, String typed) {
        int allowed = known.length() <= 5 ? 1 : 2;
        return Math.abs(known.length() - typed.length()) <= allowed && distance(known, typed) <= allowed;
    }

    private static int distance(String a, String b) {
        return LevenshteinDistance.getDefaultInstance().apply(a, b);
    }
}
