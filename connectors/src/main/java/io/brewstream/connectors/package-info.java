/**
 * Connectors bring changes from outside Kafka in as domain events on the topics of
 * {@link io.brewstream.schemas.topics.Topics}: the Debezium CDC engine for PostgreSQL with the outbox
 * router, and the web3j chain watcher for crypto payments. They depend on the schemas module only.
 */
package io.brewstream.connectors;
