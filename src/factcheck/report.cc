#include "factcheck/report.h"

#include "base/json_text.h"

namespace tiaodu::factcheck {

namespace {

void Num(std::string& out, const std::optional<Decimal>& d) {
  if (d)
    out += d->ToString();
  else
    out += "null";
}

}  // namespace

std::string ToJson(const Document& doc, bool with_context) {
  std::string out;
  out.reserve(256 + doc.facts.size() * 200);
  out += "{";
  if (with_context) {
    out += "\"region\":";
    if (doc.region.empty())
      out += "null";
    else
      AppendJsonString(out, doc.region);
    out += ",\"period\":";
    if (doc.period.empty())
      out += "null";
    else
      AppendJsonString(out, doc.period);
    out += ",";
  }
  out += "\"facts\":[";
  bool first = true;
  for (const Fact& f : doc.facts) {
    if (!first) out += ",";
    first = false;
    out += "{\"indicator\":";
    if (f.indicator)
      AppendJsonString(out, *f.indicator);
    else
      out += "null";
    out += ",\"label\":";
    AppendJsonString(out, f.label);
    out += ",\"value\":";
    Num(out, f.value);
    out += ",\"unit\":";
    if (f.unit.empty())
      out += "null";
    else
      AppendJsonString(out, f.unit);
    out += ",\"growth_pct\":";
    Num(out, f.growth_pct);
    out += ",\"rank\":";
    if (f.rank)
      out += std::to_string(*f.rank);
    else
      out += "null";
    out += ",\"target\":";
    out += f.target ? "true" : "false";
    out += ",\"offset\":" + std::to_string(f.offset);
    out += ",\"quote\":";
    AppendJsonString(out, f.quote);
    out += "}";
  }
  out += "],\"findings\":[";
  first = true;
  for (const Finding& f : doc.findings) {
    if (!first) out += ",";
    first = false;
    out += "{\"check\":";
    AppendJsonString(out, CheckName(f.check));
    out += ",\"verdict\":";
    AppendJsonString(out, VerdictName(f.verdict));
    out += ",\"stated\":" + f.stated.ToString();
    out += ",\"computed\":" + f.computed.ToString();
    out += ",\"quote\":";
    AppendJsonString(out, f.quote);
    out += ",\"explanation\":";
    AppendJsonString(out, f.explanation);
    out += "}";
  }
  out += "]}";
  return out;
}

std::string ToText(const Document& doc) {
  static const char* kCheckZh[] = {"占比", "计划完成", "合计", "前后一致", "台账"};
  std::string out;
  out += "地区：" + (doc.region.empty() ? std::string("（未识别）") : doc.region) + "\n";
  out += "时期：" + (doc.period.empty() ? std::string("（未识别）") : doc.period) + "\n\n";
  int bad = 0;
  for (const Finding& f : doc.findings) bad += f.verdict == Verdict::kInconsistent;
  out += "核查结果：" + std::to_string(doc.findings.size()) + " 项，其中不一致 " +
         std::to_string(bad) + " 项\n";
  for (int pass = 0; pass < 2; ++pass) {
    for (const Finding& f : doc.findings) {
      const bool inconsistent = f.verdict == Verdict::kInconsistent;
      if (inconsistent != (pass == 0)) continue;
      out += inconsistent ? "  ✗ 不一致" : "  ✓ 一致";
      out += "（" + std::string(kCheckZh[static_cast<int>(f.check)]) + "）" + f.explanation + "\n";
      out += "      原文：" + f.quote + "\n";
    }
  }
  out += "\n识别数据：" + std::to_string(doc.facts.size()) + " 项\n";
  for (const Fact& f : doc.facts) {
    out += "  - " + (f.label.empty() ? std::string("（未命名）") : f.label);
    if (f.indicator) out += " [" + *f.indicator + "]";
    if (f.value) out += " " + f.value->ToString() + f.unit;
    if (f.growth_pct) out += " 增速 " + f.growth_pct->ToString() + "%";
    if (f.rank) out += " 第" + std::to_string(*f.rank) + "位";
    if (f.target) out += "（目标）";
    out += "\n";
  }
  return out;
}

}  // namespace tiaodu::factcheck
