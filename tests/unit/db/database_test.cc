#include "db/database.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include "../testing/databases.h"

namespace tiaodu::db {
namespace {

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto opened = Database::Open(testing::FreshDatabaseUrl(GetParam()));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(*opened);
    ASSERT_TRUE(Migrate(*db_, 1000).ok());
  }
  int64_t CountUnits() {
    long long n = -1;
    EXPECT_TRUE(db_->Read([&](Tx& tx) {
      tx.sql() << "SELECT COUNT(*) FROM units", soci::into(n);
      return Status::Ok();
    }).ok());
    return n;
  }
  Status InsertUnit(Tx& tx, const std::string& code) {
    tx.sql() << "INSERT INTO units (code, name, kind, path, created_at, updated_at) "
                "VALUES (:c, 'x', 'city', '/', 0, 0)",
        soci::use(code);
    return Status::Ok();
  }
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseTest, MigrationsAreIdempotent) {
  EXPECT_TRUE(Migrate(*db_, 2000).ok());
  int version = 0;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
    tx.sql() << "SELECT MAX(version) FROM schema_migrations", soci::into(version);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(version, LatestMigration());
}

TEST_P(DatabaseTest, CommitsWhenTheCallbackSucceeds) {
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return InsertUnit(tx, "A1"); }).ok());
  EXPECT_EQ(CountUnits(), 1);
}

TEST_P(DatabaseTest, RollsBackWhenTheCallbackFails) {
  Status s = db_->Write([&](Tx& tx) {
    (void)InsertUnit(tx, "A1");
    return InvalidArgument("no");
  });
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(CountUnits(), 0);
}

TEST_P(DatabaseTest, AFailureAtCommitLeavesNothingWritten) {
  db_->SetCommitFault([] { return true; });
  Status s = db_->Write([&](Tx& tx) {
    (void)InsertUnit(tx, "A1");
    return InsertUnit(tx, "A2");
  });
  db_->SetCommitFault(nullptr);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(CountUnits(), 0);
}

TEST_P(DatabaseTest, UniqueViolationBecomesConflictAndRollsBack) {
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return InsertUnit(tx, "A1"); }).ok());
  Status s = db_->Write([&](Tx& tx) {
    (void)InsertUnit(tx, "B1");
    return InsertUnit(tx, "A1");
  });
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_EQ(CountUnits(), 1);
}

TEST_P(DatabaseTest, AuditLogRefusesUpdateAndDelete) {
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    tx.sql() << "INSERT INTO audit_log (seq, at, username, role, ip, event, object_type, "
                "object_id, outcome, prev_hash, hash) VALUES (1, 0, 'u', 'r', 'ip', 'e', 'o', "
                "'1', 'success', 'p', 'h')";
    return Status::Ok();
  }).ok());
  Status upd = db_->Write([&](Tx& tx) {
    tx.sql() << "UPDATE audit_log SET username = 'x'";
    return Status::Ok();
  });
  EXPECT_FALSE(upd.ok());
  Status del = db_->Write([&](Tx& tx) {
    tx.sql() << "DELETE FROM audit_log";
    return Status::Ok();
  });
  EXPECT_FALSE(del.ok());
}

TEST_P(DatabaseTest, SixtyFourBitTimestampsSurviveARoundTrip) {
  const int64_t big = 1795000000123;
  ASSERT_TRUE(db_->Write([&](Tx& tx) {
    tx.sql() << "INSERT INTO units (code, name, kind, path, created_at, updated_at) VALUES "
                "('T', 'x', 'city', '/', :a, :b)",
        soci::use(big), soci::use(big);
    return Status::Ok();
  }).ok());
  long long read = 0;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
    tx.sql() << "SELECT created_at FROM units", soci::into(read);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(read, big);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, DatabaseTest,
                         ::testing::ValuesIn(testing::DatabaseKinds()),
                         [](const auto& info) { return info.param; });

TEST(DatabaseOpenTest, RefusesAnUnknownUrlScheme) {
  auto db = Database::Open("mysql://x");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Code::kInvalidArgument);
}

TEST(DatabaseOpenTest, SqliteFileUsesWalJournal) {
  std::string path = "/tmp/tiaodu_wal_test_" + std::to_string(::getpid()) + ".db";
  {
    auto db = Database::Open("sqlite:" + path);
    ASSERT_TRUE(db.ok());
    std::string mode;
    ASSERT_TRUE((*db)->Raw([&](soci::session& s) {
      s << "PRAGMA journal_mode", soci::into(mode);
      return Status::Ok();
    }).ok());
    EXPECT_EQ(mode, "wal");
  }
  ::unlink(path.c_str());
  ::unlink((path + "-wal").c_str());
  ::unlink((path + "-shm").c_str());
}

}  // namespace
}  // namespace tiaodu::db
