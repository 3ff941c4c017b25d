package io.brewstream.connectors.database;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.brewstream.schemas.arbitrage.FeeTier;

/**
 * The exchanges table's {@code taker_fee_tiers} column: {@code [{"minVolume": "1000000", "takerFeeBasisPoints": 10}]},
 * volumes as decimal strings (or numbers) so an operator can write them by hand; Avro's JSON encoding of a decimal
 * would be raw bytes.
 */
public final class FeeTiersColumn {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCALE = 18;

    private FeeTiersColumn() {
    }

    public static List<FeeTier> read(String json) {
        try {
            JsonNode root = JSON.readTree(json == null ? "[]" : json);
            if (!root.isArray()) {
                throw new IllegalArgumentException("taker_fee_tiers is not a JSON array: " + json);
            }
            List<FeeTier> tiers = new ArrayList<>();
            for (JsonNode tier : root) {
                JsonNode volume = tier.get("minVolume");
                JsonNode fee = tier.get("takerFeeBasisPoints");
                if (volume == null || fee == null || !fee.canConvertToInt()) {
                    throw new IllegalArgumentException("a fee tier needs minVolume and takerFeeBasisPoints: " + tier);
                }
                tiers.add(FeeTier.newBuilder().setMinVolume(new BigDecimal(volume.asText()).setScale(SCALE))
                        .setTakerFeeBasisPoints(fee.intValue()).build());
            }
            return tiers;
        } catch (JsonProcessingException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("taker_fee_tiers is not a list of tiers: " + json, e);
        }
    }

    public static String write(List<FeeTier> tiers) {
        ArrayNode array = JSON.createArrayNode();
        for (FeeTier tier : tiers) {
            array.addObject().put("minVolume", tier.getMinVolume().stripTrailingZeros().toPlainString())
                    .put("takerFeeBasisPoints", tier.getTakerFeeBasisPoints());
        }
        return array.toString();
    }
}
