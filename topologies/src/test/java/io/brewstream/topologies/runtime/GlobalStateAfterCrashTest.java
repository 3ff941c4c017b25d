package io.brewstream.topologies.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobalStateAfterCrashTest {
    @TempDir
    Path stateDir;

    private Path globalStore(String applicationId) throws Exception {
        Path store = stateDir.resolve(applicationId).resolve("global/rocksdb/reference-shops");
        Files.createDirectories(store);
        Files.writeString(store.resolve("000001.sst"), "data");
        return store;
    }

    @Test
    void globalStoresOfAnApplicationThatDidNotCloseCleanlyAreWipedAndItsTasksKept() throws Exception {
        globalStore("app");
        Path task = Files.createDirectories(stateDir.resolve("app/0_1/rocksdb/orders"));

        GlobalStateAfterCrash.prepare(stateDir, "app");

        assertThat(stateDir.resolve("app/global")).doesNotExist();
        assertThat(task).as("a task's stores: Kafka Streams restores those itself").exists();
    }

    @Test
    void globalStoresOfACleanCloseAreKeptAndTheMarkIsUsedOnce() throws Exception {
        Path store = globalStore("app");
        GlobalStateAfterCrash.closedCleanly(stateDir, "app");

        GlobalStateAfterCrash.prepare(stateDir, "app");
        assertThat(store.resolve("000001.sst")).exists();
        assertThat(GlobalStateAfterCrash.mark(stateDir, "app")).as("a crash from now on leaves no mark").doesNotExist();

        GlobalStateAfterCrash.prepare(stateDir, "app"); // started again without a clean close in between
        assertThat(stateDir.resolve("app/global")).doesNotExist();
    }

    @Test
    void anotherApplicationsMarkDoesNotCount() throws Exception {
        globalStore("orders");
        Path fraud = globalStore("fraud");
        GlobalStateAfterCrash.closedCleanly(stateDir, "fraud");

        GlobalStateAfterCrash.prepare(stateDir, "orders");
        GlobalStateAfterCrash.prepare(stateDir, "fraud");

        assertThat(stateDir.resolve("orders/global")).doesNotExist();
        assertThat(fraud).exists();
    }

    @Test
    void aFirstStartHasNothingToWipe() {
        GlobalStateAfterCrash.prepare(stateDir.resolve("not-yet-created"), "app");
        assertThat(stateDir.resolve("not-yet-created")).doesNotExist();
    }
}
