#include "factcheck/store.h"

#include <soci/soci.h>

#include "db/values.h"

namespace tiaodu::factcheck::store {

using db::GetText;

std::vector<CatalogEntry> LoadCatalog(db::Tx& tx) {
  std::vector<CatalogEntry> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare << "SELECT code, name, aliases, unit FROM indicators WHERE archived = 0 "
                           "ORDER BY sort_order, id",
       soci::into(r));
  st.execute();
  while (st.fetch()) {
    CatalogEntry e;
    e.code = GetText(r, 0);
    e.name = GetText(r, 1);
    std::string aliases = GetText(r, 2);
    size_t start = 0;
    while (start <= aliases.size()) {
      size_t bar = aliases.find('|', start);
      std::string a =
          aliases.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      if (!a.empty()) e.aliases.push_back(a);
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    e.unit = GetText(r, 3);
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<std::string> UnitPathByName(db::Tx& tx, const std::string& name) {
  std::string path;
  soci::indicator ind = soci::i_null;
  tx.sql() << "SELECT path FROM units WHERE name = :n AND archived = 0 ORDER BY id",
      soci::use(name), soci::into(path, ind);
  if (!tx.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return path;
}

std::vector<LedgerFigure> ApprovedFigures(db::Tx& tx, const std::string& region,
                                          const std::string& period) {
  std::vector<LedgerFigure> out;
  soci::row r;
  soci::statement st =
      (tx.sql().prepare
           << "SELECT i.code, i.unit, v.value, v.reported_yoy FROM indicator_values v "
              "JOIN indicators i ON i.id = v.indicator_id JOIN units u ON u.id = v.unit_id "
              "WHERE u.name = :region AND u.archived = 0 AND v.period = :period "
              "AND v.status IN ('approved', 'published') ORDER BY i.sort_order, i.id",
       soci::use(region), soci::use(period), soci::into(r));
  st.execute();
  while (st.fetch()) {
    LedgerFigure f;
    f.code = GetText(r, 0);
    f.unit = GetText(r, 1);
    f.value = Decimal::FromRaw(db::GetInt(r, 2));
    f.yoy = db::GetOptDecimal(r, 3);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace tiaodu::factcheck::store
