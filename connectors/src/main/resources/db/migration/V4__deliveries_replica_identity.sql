-- A stock delivery goes to the Kafka partition of its shop's orders (inventory.deliveries is partitioned by the shop
-- a delivery names, so the orders task reads it without a repartition). A deleted row's tombstone must go to the
-- same partition, so its change has to carry the shop: the whole old row, not only the primary key.
ALTER TABLE stock_deliveries REPLICA IDENTITY FULL;
