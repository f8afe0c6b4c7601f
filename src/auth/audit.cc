#include "auth/audit.h"

#include <soci/soci.h>

#include "auth/crypto.h"
#include "db/row.h"

namespace tiaodu::auth {

std::string AuditCanonical(const AuditEntry& e) {
  std::string s;
  auto field = [&](const std::string& v) {
    s += std::to_string(v.size());  // length-prefixed: no separator ambiguity
    s += ':';
    s += v;
    s += '|';
  };
  field(std::to_string(e.seq));
  field(std::to_string(e.at));
  field(e.user_id ? std::to_string(*e.user_id) : "");
  field(e.username);
  field(e.role);
  field(e.unit_id ? std::to_string(*e.unit_id) : "");
  field(e.ip);
  field(e.event);
  field(e.object_type);
  field(e.object_id);
  field(e.outcome);
  field(e.before_json);
  field(e.after_json);
  field(e.prev_hash);
  return s;
}

AuditEntry MakeAudit(const Actor& actor, int64_t at, std::string event, std::string object_type,
                     std::string object_id, std::string before_json, std::string after_json,
                     std::string outcome) {
  AuditEntry e;
  e.at = at;
  if (actor.user_id) e.user_id = actor.user_id;
  e.username = actor.username.empty() ? "-" : actor.username;
  e.role = actor.role;
  if (actor.unit_id) e.unit_id = actor.unit_id;
  e.ip = actor.ip;
  e.event = std::move(event);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.outcome = std::move(outcome);
  e.before_json = std::move(before_json);
  e.after_json = std::move(after_json);
  return e;
}

Status AppendAudit(db::Tx& tx, AuditEntry e) {
  soci::session& sql = tx.sql();
  if (tx.postgres()) sql << "SELECT pg_advisory_xact_lock(73100002)";
  int64_t last_seq = 0;
  std::string last_hash = kAuditGenesis;
  soci::row last;
  sql << "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(last);
  if (sql.got_data()) {
    last_seq = db::GetInt(last, 0);
    last_hash = db::GetText(last, 1);
  }
  e.seq = last_seq + 1;
  e.prev_hash = last_hash;
  e.hash = Sm3Hex(AuditCanonical(e));
  int64_t user_id = e.user_id.value_or(0), unit_id = e.unit_id.value_or(0);
  soci::indicator ind_user = e.user_id ? soci::i_ok : soci::i_null;
  soci::indicator ind_unit = e.unit_id ? soci::i_ok : soci::i_null;
  soci::indicator ind_before = e.before_json.empty() ? soci::i_null : soci::i_ok;
  soci::indicator ind_after = e.after_json.empty() ? soci::i_null : soci::i_ok;
  sql << "INSERT INTO audit_log (seq, at, user_id, username, role, unit_id, ip, event, "
         "object_type, object_id, outcome, before_json, after_json, prev_hash, hash) VALUES "
         "(:seq, :at, :uid, :un, :role, :unit, :ip, :ev, :ot, :oid, :out, :b, :a, :ph, :h)",
      soci::use(e.seq), soci::use(e.at), soci::use(user_id, ind_user), soci::use(e.username),
      soci::use(e.role), soci::use(unit_id, ind_unit), soci::use(e.ip), soci::use(e.event),
      soci::use(e.object_type), soci::use(e.object_id), soci::use(e.outcome),
      soci::use(e.before_json, ind_before), soci::use(e.after_json, ind_after),
      soci::use(e.prev_hash), soci::use(e.hash);
  return Status::Ok();
}

namespace {

AuditEntry FromRow(const soci::row& r) {
  AuditEntry e;
  using db::GetInt, db::GetOptInt, db::GetText;
  e.id = GetInt(r, 0);
  e.seq = GetInt(r, 1);
  e.at = GetInt(r, 2);
  e.user_id = GetOptInt(r, 3);
  e.username = GetText(r, 4);
  e.role = GetText(r, 5);
  e.unit_id = GetOptInt(r, 6);
  e.ip = GetText(r, 7);
  e.event = GetText(r, 8);
  e.object_type = GetText(r, 9);
  e.object_id = GetText(r, 10);
  e.outcome = GetText(r, 11);
  e.before_json = GetText(r, 12);
  e.after_json = GetText(r, 13);
  e.prev_hash = GetText(r, 14);
  e.hash = GetText(r, 15);
  return e;
}

constexpr const char* kColumns =
    "id, seq, at, user_id, username, role, unit_id, ip, event, object_type, object_id, outcome, "
    "before_json, after_json, prev_hash, hash";

}  // namespace

Result<AuditVerifyReport> VerifyAudit(db::Database& db) {
  AuditVerifyReport report;
  Status s = db.Read([&](db::Tx& tx) -> Status {
    std::string prev_hash = kAuditGenesis;
    int64_t prev_seq = 0;
    soci::rowset<soci::row> rows =
        (tx.sql().prepare << "SELECT " << kColumns << " FROM audit_log ORDER BY seq, id");
    for (const soci::row& r : rows) {
      AuditEntry e = FromRow(r);
      ++report.checked;
      auto fail = [&](std::string why) {
        report.ok = false;
        report.first_bad_id = e.id;
        report.first_bad_seq = e.seq;
        report.reason = std::move(why);
      };
      if (e.seq != prev_seq + 1) {
        fail("序号不连续：第 " + std::to_string(prev_seq + 1) + " 条记录缺失（已被删除）");
      } else if (e.prev_hash != prev_hash) {
        fail("前序哈希不匹配：前一条记录被修改或删除");
      } else if (Sm3Hex(AuditCanonical(e)) != e.hash) {
        fail("记录内容与哈希不符：该记录被修改");
      }
      if (!report.ok) break;
      prev_hash = e.hash;
      prev_seq = e.seq;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return report;
}

Result<Page<AuditEntry>> QueryAudit(db::Database& db, const AuditQuery& q) {
  Page<AuditEntry> page;
  page.page = q.page;
  page.page_size = q.page_size;
  Status s = db.Read([&](db::Tx& tx) -> Status {
    std::string where = " WHERE 1=1";
    if (!q.username.empty()) where += " AND username = :username";
    if (!q.event.empty()) where += " AND event LIKE :event";
    if (!q.object_type.empty()) where += " AND object_type = :ot";
    if (q.from_millis) where += " AND at >= :from_ms";
    if (q.to_millis) where += " AND at < :to_ms";
    std::string event_like = q.event + "%";
    auto bind = [&](soci::details::prepare_temp_type& st) {
      if (!q.username.empty()) st, soci::use(q.username, "username");
      if (!q.event.empty()) st, soci::use(event_like, "event");
      if (!q.object_type.empty()) st, soci::use(q.object_type, "ot");
      if (q.from_millis) st, soci::use(q.from_millis, "from_ms");
      if (q.to_millis) st, soci::use(q.to_millis, "to_ms");
    };
    {
      long long total = 0;
      auto st = (tx.sql().prepare << "SELECT COUNT(*) FROM audit_log" + where, soci::into(total));
      bind(st);
      soci::statement stmt(st);
      stmt.execute(true);
      page.total = total;
    }
    int64_t offset = static_cast<int64_t>(q.page - 1) * q.page_size;
    int64_t limit = q.page_size;
    soci::row r;
    auto st = (tx.sql().prepare << std::string("SELECT ") + kColumns + " FROM audit_log" + where +
                                       " ORDER BY seq DESC LIMIT :lim OFFSET :off",
               soci::into(r));
    bind(st);
    st, soci::use(limit, "lim"), soci::use(offset, "off");
    soci::statement stmt(st);
    stmt.execute();
    while (stmt.fetch()) page.items.push_back(FromRow(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return page;
}

}  // namespace tiaodu::auth
