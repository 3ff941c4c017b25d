package io.brewstream.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.brewstream.topologies.inventory.InventorySettings;
import io.brewstream.topologies.inventory.InventoryTopology;
import io.brewstream.topologies.orders.OrdersSettings;
import io.brewstream.topologies.orders.OrdersTopology;
import io.brewstream.topologies.pricing.PricingTopology;
import io.brewstream.topologies.runtime.DomainTopology;

/** The topologies a process can run, by name. */
final class TopologyCatalog {
    private static final Map<String, Supplier<DomainTopology>> TOPOLOGIES = new LinkedHashMap<>();

    static {
        TOPOLOGIES.put("orders", () -> new OrdersTopology(OrdersSettings.defaults()));
        TOPOLOGIES.put("pricing", PricingTopology::new);
        TOPOLOGIES.put("inventory", () -> new InventoryTopology(InventorySettings.defaults()));
    }

    private TopologyCatalog() {
    }

    static List<String> names() {
        return List.copyOf(TOPOLOGIES.keySet());
    }

    static List<DomainTopology> select(List<String> names) {
        List<String> wanted = names.isEmpty() || names.equals(List.of("all")) ? names() : names;
        return wanted.stream().map(name -> {
            Supplier<DomainTopology> topology = TOPOLOGIES.get(name.trim());
            if (topology == null) {
                throw new IllegalArgumentException("unknown topology '" + name + "'; known: " + names());
            }
            return topology.get();
        }).toList();
    }
}
