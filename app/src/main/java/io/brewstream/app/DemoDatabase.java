package io.brewstream.app;

import java.sql.Connection;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.connectors.database.DatabaseSettings;
import io.brewstream.connectors.database.ReferenceRows;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.topologies.reference.DemoData;

/**
 * Writes the demo chain (shops, menu, recipes, customers, exchanges, opening deliveries) into an operational
 * database whose shops table is empty, in one transaction; CDC streams it on. A seeded database is left alone.
 */
final class DemoDatabase {
    private static final Logger log = LoggerFactory.getLogger(DemoDatabase.class);

    private DemoDatabase() {
    }

    static void seedIfEmpty(DatabaseSettings database) {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            ReferenceRows rows = new ReferenceRows(connection);
            if (rows.hasShops()) {
                return;
            }
            for (Shop shop : DemoData.shops()) {
                rows.upsert(shop);
            }
            for (MenuItem item : DemoData.menu()) {
                rows.upsert(item);
            }
            for (Recipe recipe : DemoData.recipes()) {
                rows.upsert(recipe);
            }
            for (Customer customer : DemoData.customers()) {
                rows.upsert(customer);
            }
            for (ExchangeFees exchange : DemoData.exchanges()) {
                rows.upsert(exchange, Character.toUpperCase(exchange.getExchange().charAt(0)) + exchange.getExchange().substring(1));
            }
            for (WithdrawalFee withdrawal : DemoData.withdrawals()) {
                rows.upsert(withdrawal);
            }
            for (StockDelivery delivery : DemoData.openingDeliveries()) {
                rows.insert(delivery);
            }
            connection.commit();
            log.info("seeded the demo chain into {}: {} shops, {} menu items", database.database(),
                    DemoData.shops().size(), DemoData.menu().size());
        } catch (SQLException e) {
            throw new IllegalStateException("could not seed the demo chain into " + database, e);
        }
    }
}
