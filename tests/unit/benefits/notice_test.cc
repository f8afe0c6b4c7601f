#include "benefits/notice.h"

#include <gtest/gtest.h>

#include <string>

namespace tiaodu::benefits {
namespace {

// Specification of a run's public notice (公示): the title names the policy and the year, the
// text names the 文号, the issuer, who approved and the totals in 元 and 万元, the table lists
// every matched enterprise in order, a run not yet approved is marked a draft, and the same data
// gives the same bytes.

NoticeData Sample(bool approved) {
  NoticeData d;
  d.run_id = 7;
  d.year = 2025;
  d.policy_title = "专精特新中小企业一次性奖励";
  d.doc_number = "宛工信〔2025〕15号";
  d.issuer = "南阳市工业和信息化局";
  d.office = d.issuer;
  d.approved = approved;
  if (approved) {
    d.reviewed_by = "张科长";
    d.approved_by = "王市长";
    d.approved_date = "2026年11月24日";
  }
  d.date = "2026年11月25日";
  d.enterprises = 600;
  d.matched = 2;
  d.granted = Decimal::FromInt(350000);
  d.rows = {{"南阳甲精密机械有限公司", "91411302MA00000001", "宛城区", Decimal::FromInt(200000)},
            {"南阳乙<新材料>有限公司", "91411303MA00000002", "卧龙区", Decimal::FromInt(150000)}};
  return d;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(NoticeTest, TitleNamesThePolicyAndTheYear) {
  EXPECT_EQ(NoticeTitle(Sample(true)), "关于专精特新中小企业一次性奖励（2025年度）免申即享兑现名单的公示");
  EXPECT_EQ(NoticeFileName(Sample(true)),
            "关于专精特新中小企业一次性奖励（2025年度）免申即享兑现名单的公示.docx");
  EXPECT_EQ(NoticeFileName(Sample(false)),
            "关于专精特新中小企业一次性奖励（2025年度）免申即享兑现名单的公示（草稿）.docx");
}

TEST(NoticeTest, TextNamesTheBasisTheApprovalTheTotalsAndWhereToObject) {
  const std::string xml = io::docx::DocumentXml(NoticeDocument(Sample(true)));
  EXPECT_NE(xml.find(NoticeTitle(Sample(true))), std::string::npos);
  EXPECT_NE(xml.find("根据《专精特新中小企业一次性奖励》（南阳市工业和信息化局印发，宛工信〔2025〕15号）"),
            std::string::npos);
  EXPECT_NE(xml.find("经张科长审核，由王市长于2026年11月24日批准"), std::string::npos);
  EXPECT_NE(xml.find("符合条件企业2家，核定兑现金额合计350000.00元（35.00万元）"), std::string::npos);
  EXPECT_NE(xml.find("公示期为自发布之日起5个工作日（2026年11月25日起）"), std::string::npos);
  EXPECT_NE(xml.find("请以书面形式向南阳市工业和信息化局反映"), std::string::npos);
  EXPECT_EQ(xml.find("草稿"), std::string::npos);
}

TEST(NoticeTest, TableHasAHeaderAndOneRowPerMatchedEnterpriseInOrder) {
  const std::string xml = io::docx::DocumentXml(NoticeDocument(Sample(true)));
  EXPECT_EQ(Count(xml, "<w:tr>") + Count(xml, "<w:tr "), 3u);
  const size_t header = xml.find("统一社会信用代码");
  const size_t first = xml.find("南阳甲精密机械有限公司");
  const size_t second = xml.find("南阳乙&lt;新材料&gt;有限公司");  // escaped, never raw markup
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(header, first);
  EXPECT_LT(first, second);
  EXPECT_NE(xml.find("200000.00"), std::string::npos);
  EXPECT_NE(xml.find("150000.00"), std::string::npos);
}

TEST(NoticeTest, RunNotYetApprovedIsMarkedADraftAndNamesNoApprover) {
  const std::string xml = io::docx::DocumentXml(NoticeDocument(Sample(false)));
  EXPECT_NE(xml.find(kNoticeDraftMark), std::string::npos);
  EXPECT_NE(xml.find("比对结果尚未经批准"), std::string::npos);
  EXPECT_EQ(xml.find("王市长"), std::string::npos);
}

TEST(NoticeTest, SameDataGivesTheSameBytes) {
  auto a = NoticeDocx(Sample(true));
  auto b = NoticeDocx(Sample(true));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  auto draft = NoticeDocx(Sample(false));
  ASSERT_TRUE(draft.ok());
  EXPECT_NE(*a, *draft);
}

TEST(NoticeTest, DateIsBeijingTime) {
  // 2026-11-24 16:30 UTC is 2026-11-25 00:30 in Beijing.
  EXPECT_EQ(NoticeDate(1795537800000), "2026年11月25日");
}

}  // namespace
}  // namespace tiaodu::benefits
