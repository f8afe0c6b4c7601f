#include "factcheck/service.h"

#include <cctype>

#include "auth/rules.h"
#include "factcheck/checks.h"
#include "factcheck/numbers.h"
#include "factcheck/store.h"

namespace tiaodu::factcheck {

Status ValidateText(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes)
    return InvalidArgument("文本过长：最多 " + std::to_string(max_bytes / (1024 * 1024)) + " MB",
                           {{"text", "文本过长，请分段核查"}});
  if (!ValidUtf8(text))
    return InvalidArgument("文本不是有效的 UTF-8 编码，请另存为 UTF-8 后重试",
                           {{"text", "含有无效的 UTF-8 字节"}});
  bool blank = true;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) blank = false;
  if (blank) return InvalidArgument("请提供要核查的报告文本", {{"text", "文本为空"}});
  // A report is Chinese text: a body without one Chinese character ("{}", a file uploaded by
  // mistake) is refused rather than answered with nothing found.
  bool han = false;
  for (size_t i = 0; i < text.size() && !han;) {
    size_t len = 0;
    han = IsHan(DecodeAt(text, i, &len));
    i += len;
  }
  if (!han)
    return InvalidArgument("文本中没有中文内容，请提供中文报告文本", {{"text", "没有中文字符"}});
  return Status::Ok();
}

std::string LedgerPeriod(std::string_view period) {
  auto digits = [&](size_t b, size_t n) {
    for (size_t i = b; i < b + n; ++i)
      if (i >= period.size() || !std::isdigit(static_cast<unsigned char>(period[i]))) return false;
    return true;
  };
  if (period.size() == 4 && digits(0, 4)) return std::string(period) + "-12";
  if (period.size() == 7 && digits(0, 4) && period[4] == '-' && digits(5, 2))
    return std::string(period);
  return "";
}

Result<Document> FactcheckService::Check(const auth::Actor& actor, std::string_view text,
                                         const ExtractOptions& overrides) {
  TIAODU_RETURN_IF_ERROR(auth::Need(actor, "factcheck.use"));
  TIAODU_RETURN_IF_ERROR(ValidateText(text));
  if (!overrides.period.empty() && LedgerPeriod(overrides.period).empty())
    return InvalidArgument("时期格式应为 2023 或 2024-06", {{"period", "无法识别的时期"}});
  if (overrides.region.size() > 200)
    return InvalidArgument("地区名称过长", {{"region", "最多 200 字节"}});
  std::vector<CatalogEntry> catalog;
  TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
    catalog = store::LoadCatalog(tx);
    return Status::Ok();
  }));
  Document doc = Extract(text, Catalog(std::move(catalog)), overrides);
  // The ledger of the region the text names, when a unit has exactly that name.
  std::vector<LedgerFigure> ledger;
  const bool may_read = actor.system || auth::HasPermission(actor.role, "indicator.read");
  const std::string key = LedgerPeriod(doc.period);
  if (may_read && !doc.region.empty() && !key.empty()) {
    TIAODU_RETURN_IF_ERROR(db_.Read([&](db::Tx& tx) {
      auto path = store::UnitPathByName(tx, doc.region);
      if (path && actor.InScope(*path)) ledger = store::ApprovedFigures(tx, doc.region, key);
      return Status::Ok();
    }));
  }
  doc.findings = RunChecks(doc.facts, &ledger);
  return doc;
}

}  // namespace tiaodu::factcheck
