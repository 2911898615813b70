package dev.vigil.bridge.view;

import dev.vigil.bridge.TestConfigs;
import dev.vigil.bridge.store.Database;
import dev.vigil.bridge.store.JdbcLeaseStore;
import org.junit.jupiter.api.AfterEach;

/** Every view-lease test again, over the registry's database (SQLite) instead of memory. */
class JdbcViewLeasesTest extends ViewLeasesTest {

    private Database db;

    @Override
    LeaseStore store() {
        db = Database.open(TestConfigs.settings("").database());
        return new JdbcLeaseStore(db);
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }
}
