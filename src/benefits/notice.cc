#include "benefits/notice.h"

#include "base/clock.h"
#include "io/docx_writer.h"

namespace tiaodu::benefits {
namespace {

namespace dx = io::docx;

using dx::kFangSong, dx::kHeiTi, dx::kSize2, dx::kSize3, dx::kSize5, dx::kXiaoBiaoSong;
using dx::OfficialFont;

// The matched enterprises: 序号, 企业名称, 统一社会信用代码, 所属单位, 核定金额(元).
dx::Table ListTable(const NoticeData& d, int text_width) {
  const double mm[] = {10, 60, 45, 18};  // the amount takes the rest of the 156 mm
  dx::Table t;
  int used = 0;
  for (double w : mm) used += t.widths.emplace_back(dx::MmToTwips(w));
  t.widths.push_back(text_width - used);
  auto cell = [](const std::string& text, const dx::Font& f, dx::Align a, const char* shade) {
    dx::Paragraph p = dx::Para(text, f, a);
    p.line_twips = 340;
    return dx::Cell{{p}, shade};
  };
  std::vector<dx::Cell> head;
  for (const char* h : {"序号", "企业名称", "统一社会信用代码", "所属单位", "核定金额(元)"})
    head.push_back(cell(h, OfficialFont(kHeiTi, kSize5), dx::Align::kCenter, "D9D9D9"));
  t.rows.push_back(std::move(head));
  const dx::Font body = OfficialFont(kFangSong, kSize5);
  int n = 0;
  for (const NoticeRow& r : d.rows)
    t.rows.push_back({cell(std::to_string(++n), body, dx::Align::kCenter, ""),
                      cell(r.name, body, dx::Align::kLeft, ""),
                      cell(r.uscc, body, dx::Align::kCenter, ""),
                      cell(r.unit_name, body, dx::Align::kLeft, ""),
                      cell(r.granted.Format(2), body, dx::Align::kRight, "")});
  return t;
}

std::string Wan(const Decimal& yuan) {
  auto w = yuan.Div(Decimal::FromInt(10000));
  return w.ok() ? w->Format(2) : "";
}

}  // namespace

std::string NoticeDate(int64_t millis) {
  const CivilDate d = ToCivil(millis);
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

std::string NoticeTitle(const NoticeData& d) {
  return "关于" + d.policy_title + "（" + std::to_string(d.year) + "年度）免申即享兑现名单的公示";
}

std::string NoticeFileName(const NoticeData& d) {
  return NoticeTitle(d) + (d.approved ? "" : "（草稿）") + ".docx";
}

dx::Document NoticeDocument(const NoticeData& d) {
  dx::Document doc = dx::OfficialDocument(NoticeTitle(d));
  const dx::Font body = OfficialFont(kFangSong, kSize3);
  auto blank = [&] { return dx::Para("", body); };

  dx::Paragraph title =
      dx::Para(NoticeTitle(d), OfficialFont(kXiaoBiaoSong, kSize2), dx::Align::kCenter);
  title.line_twips = 700;
  doc.body.push_back(title);
  if (!d.approved)
    doc.body.push_back(dx::Para(kNoticeDraftMark, OfficialFont(kHeiTi, kSize3, false, "FF0000"),
                                dx::Align::kCenter));
  doc.body.push_back(blank());

  std::string basis = "根据《" + d.policy_title + "》";
  if (!d.doc_number.empty() || !d.issuer.empty()) {
    basis += "（";
    if (!d.issuer.empty()) basis += d.issuer + "印发";
    if (!d.doc_number.empty()) basis += (d.issuer.empty() ? "" : "，") + d.doc_number;
    basis += "）";
  }
  basis += "，按照政策规定的条件和兑现标准，从企业名录中自动比对" + std::to_string(d.year) +
           "年度符合条件的企业，企业无需申请。";
  std::string review;
  if (d.approved) {
    review = "比对结果";
    if (!d.reviewed_by.empty()) review += "经" + d.reviewed_by + "审核，";
    review += "由" + d.approved_by + "于" + d.approved_date + "批准。";
  } else {
    review = "比对结果尚未经批准。";
  }
  const std::string totals = "本次参与比对企业" + std::to_string(d.enterprises) +
                             "家，符合条件企业" + std::to_string(d.matched) +
                             "家，核定兑现金额合计" + d.granted.Format(2) + "元（" +
                             Wan(d.granted) + "万元）。现将兑现名单予以公示。";
  doc.body.push_back(dx::Para(basis + review + totals, body, dx::Align::kBoth, 200));
  doc.body.push_back(dx::Para("公示期为自发布之日起5个工作日（" + d.date +
                                  "起）。公示期内，对名单有异议的，请以书面形式向" + d.office +
                                  "反映，并提供相关证明材料；逾期未提出异议的，视为无异议。",
                              body, dx::Align::kBoth, 200));
  dx::Paragraph lead = dx::Para("附：" + std::to_string(d.year) + "年度免申即享兑现名单", body,
                                dx::Align::kLeft, 200);
  lead.keep_next = true;
  doc.body.push_back(lead);
  doc.body.push_back(ListTable(d, dx::OfficialTextWidth()));

  // 落款 and the date, right-aligned, four characters from the right edge.
  doc.body.push_back(blank());
  doc.body.push_back(blank());
  for (const std::string& line : {d.office, d.date})
    doc.body.push_back(dx::Para(line + "　　　　", body, dx::Align::kRight));
  return doc;
}

Result<std::string> NoticeDocx(const NoticeData& d) { return dx::WriteDocx(NoticeDocument(d)); }

}  // namespace tiaodu::benefits
