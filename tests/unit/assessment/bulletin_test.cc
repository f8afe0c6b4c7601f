#include "assessment/bulletin.h"

#include <expat.h>
#include <gtest/gtest.h>
#include <zip.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "app/demo.h"
#include "app/services.h"
#include "assessment/service.h"
#include "base/clock.h"

// The monthly bulletin on the city demo (南阳市 and its 17 counties, districts and zones; the
// scheme "南阳市县区经济工作月度考评" published for 2024-02..2024-12): its figures against the
// league table computed by the other path, determinism, and the document's official layout.
namespace tiaodu::assessment {
namespace {

class BulletinTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = (std::filesystem::temp_directory_path() / ("tiaodu_bulletin_test_" + std::to_string(::getpid()) + ".db")).string();
    std::filesystem::remove(path_);
    clock_ = std::make_unique<SystemClock>();
    auto s = app::OpenServices("sqlite:" + path_, *clock_, 2);
    ASSERT_TRUE(s.ok()) << s.status().message();
    services_ = std::move(*s);
    auto users = app::LoadDemo(*services_, "Demo-Passw0rd!");
    ASSERT_TRUE(users.ok()) << users.status().message();
  }
  static void TearDownTestSuite() {
    services_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  static AssessmentService& Svc() { return *services_->assessment; }
  static const BulletinData& June() {
    static BulletinData d = [] {
      auto r = Svc().Bulletin(app::SystemActor(), 0, "2024-06");
      EXPECT_TRUE(r.ok()) << r.status().message();
      return r.ok() ? *r : BulletinData{};
    }();
    return d;
  }
  static const League& JuneLeague() {
    static League l = [] {
      auto r = Svc().GetLeague(app::SystemActor(), 0, "2024-06");
      EXPECT_TRUE(r.ok()) << r.status().message();
      return r.ok() ? *r : League{};
    }();
    return l;
  }
  // The index of the league's item of `kind` (and indicator), -1 when absent.
  static int ItemIndex(const std::string& kind, const std::string& indicator = "") {
    const auto& items = JuneLeague().items;
    for (size_t i = 0; i < items.size(); ++i)
      if (items[i].kind == kind && items[i].indicator == indicator) return static_cast<int>(i);
    return -1;
  }

  static inline std::string path_;
  static inline std::unique_ptr<SystemClock> clock_;
  static inline std::unique_ptr<app::Services> services_;
};

// The file `name` inside the zip `bytes`, "" when absent.
std::string ZipEntry(const std::string& bytes, const std::string& name) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* za = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
  std::string out;
  if (!za) {
    if (src) zip_source_free(src);
    return out;
  }
  if (zip_file_t* f = zip_fopen(za, name.c_str(), 0)) {
    char buf[8192];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_close(za);
  return out;
}

bool WellFormed(const std::string& xml, std::string* error) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  if (!ok && error) *error = XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  return ok;
}

TEST_F(BulletinTest, HeadingIsDerivedFromTheUnitAndThePeriodOnly) {
  const BulletinData& d = June();
  EXPECT_EQ(d.title, "南阳市2024年6月经济运行情况通报");
  EXPECT_EQ(d.office, "南阳市经济运行调度办公室");
  EXPECT_EQ(d.doc_number, "南调通〔2024〕6号");
  EXPECT_EQ(d.issue_date, "2024年7月10日");
  EXPECT_EQ(d.span, "1—6月");
  BulletinData dec;
  FillBulletinHeading(dec, "南阳市", "2024-12");
  EXPECT_EQ(dec.issue_date, "2025年1月10日");
  EXPECT_EQ(dec.doc_number, "南调通〔2024〕12号");
  BulletinData feb;
  FillBulletinHeading(feb, "南阳市", "2024-02");
  EXPECT_EQ(feb.span, "1—2月");
}

TEST_F(BulletinTest, LeagueSectionIsTheMonthsPublishedLeagueTable) {
  const BulletinData& d = June();
  const League& l = JuneLeague();
  ASSERT_EQ(d.league.rows.size(), 17u);
  ASSERT_EQ(d.league.rows.size(), l.rows.size());
  EXPECT_TRUE(d.league.published);
  for (size_t i = 0; i < l.rows.size(); ++i) {
    EXPECT_EQ(d.league.rows[i].unit_code, l.rows[i].unit_code);
    EXPECT_EQ(d.league.rows[i].rank, l.rows[i].rank);
    EXPECT_EQ(d.league.rows[i].total, l.rows[i].total);
    EXPECT_EQ(d.league.rows[i].flag, l.rows[i].flag);
    EXPECT_EQ(d.league.rows[i].previous_rank, l.rows[i].previous_rank);
  }
}

TEST_F(BulletinTest, IndicatorGrowthOfEachUnitEqualsTheLeaguesMeasure) {
  const BulletinData& d = June();
  int checked = 0;
  for (const BulletinIndicator& ind : d.indicators) {
    const int item = ItemIndex(item_kind::kIndicatorGrowth, ind.code);
    if (item < 0) continue;
    std::map<std::string, std::optional<Decimal>> league;
    for (const LeagueRow& r : JuneLeague().rows) league[r.unit_code] = r.items[item].measure;
    ASSERT_EQ(ind.rows.size(), 17u) << ind.code;
    for (const auto& row : ind.rows) {
      EXPECT_EQ(row.yoy, league[row.unit.code]) << ind.code << " " << row.unit.name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4 * 17);  // the scheme's four indicator items
}

TEST_F(BulletinTest, GdpIsReportedAtQuarterEndsOnly) {
  auto has_gdp = [](const BulletinData& d) {
    for (const auto& ind : d.indicators)
      if (ind.code == "gdp") return true;
    return false;
  };
  EXPECT_TRUE(has_gdp(June()));
  EXPECT_EQ(June().indicators.front().code, "gdp");
  auto may = Svc().Bulletin(app::SystemActor(), 0, "2024-05");
  ASSERT_TRUE(may.ok());
  EXPECT_FALSE(has_gdp(*may));
  EXPECT_FALSE(may->indicators.empty());
}

TEST_F(BulletinTest, IndicatorRowsComeInGrowthRankOrder) {
  for (const BulletinIndicator& ind : June().indicators) {
    int last = 0;
    for (const auto& row : ind.rows) {
      if (row.rank_growth == 0) continue;
      EXPECT_GE(row.rank_growth, last) << ind.code;
      last = row.rank_growth;
    }
  }
}

TEST_F(BulletinTest, ProjectAndInvestmentCompletionEqualTheLeaguesMeasures) {
  const BulletinData& d = June();
  const int projects = ItemIndex(item_kind::kProjectCompletion), invest = ItemIndex(item_kind::kInvestmentTarget);
  ASSERT_GE(projects, 0);
  ASSERT_GE(invest, 0);
  std::map<std::string, const LeagueRow*> league;
  for (const LeagueRow& r : JuneLeague().rows) league[r.unit_code] = &r;
  ASSERT_EQ(d.projects.units.size(), 17u);
  for (const auto& u : d.projects.units)
    EXPECT_EQ(u.completion, league[u.unit.code]->items[projects].measure) << u.unit.name;
  ASSERT_EQ(d.investment.rows.size(), 17u);
  for (const auto& r : d.investment.rows)
    EXPECT_EQ(r.completion, league[r.unit.code]->items[invest].measure) << r.unit.name;
}

TEST_F(BulletinTest, ProjectCountsAddUp) {
  const BulletinProjects& p = June().projects;
  EXPECT_GT(p.count, 0);
  EXPECT_EQ(p.normal + p.lagging + p.serious, p.count);
  EXPECT_EQ(static_cast<int>(p.lagging_list.size()), p.lagging + p.serious);
  EXPECT_EQ(p.elapsed.Format(1), "50.0");
  int in_units = 0;
  for (const auto& u : p.units) in_units += u.count;
  EXPECT_LE(in_units, p.count);
  for (const auto& x : p.lagging_list) EXPECT_TRUE(x.status == "滞后" || x.status == "严重滞后") << x.code;
}

TEST_F(BulletinTest, CountyLeaderSeesOnlyTheirOwnRows) {
  auth::Actor county;
  county.user_id = 999;
  county.username = "leader_wolong";
  county.role = "leader";
  county.unit_id = 3;
  county.unit_path = "/1/3/";
  auto d = Svc().Bulletin(county, 0, "2024-06");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_TRUE(d->scoped);
  ASSERT_EQ(d->league.rows.size(), 1u);
  EXPECT_EQ(d->league.rows[0].unit_code, "411303");
  for (const auto& ind : d->indicators) {
    ASSERT_EQ(ind.rows.size(), 1u) << ind.code;
    EXPECT_EQ(ind.rows[0].unit.code, "411303");
  }
  ASSERT_EQ(d->investment.rows.size(), 1u);
  ASSERT_EQ(d->projects.units.size(), 1u);
  // The city's totals stay what the city sees.
  EXPECT_EQ(d->projects.count, June().projects.count);
}

TEST_F(BulletinTest, NeedsAssessmentRead) {
  auth::Actor reporter;
  reporter.user_id = 998;
  reporter.role = "reporter";
  reporter.unit_path = "/1/";
  auto d = Svc().Bulletin(reporter, 0, "2024-06");
  EXPECT_EQ(d.status().code(), Code::kPermissionDenied);
}

TEST_F(BulletinTest, RefusesAPeriodThatIsNotAMonth) {
  auto d = Svc().Bulletin(app::SystemActor(), 0, "2024Q2");
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
}

TEST_F(BulletinTest, RenderingTwiceGivesIdenticalBytes) {
  auto docx1 = BulletinDocx(June());
  auto xlsx1 = BulletinXlsx(June());
  ASSERT_TRUE(docx1.ok());
  ASSERT_TRUE(xlsx1.ok());
  // Across a second boundary, so a clock read anywhere would show.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto again = Svc().Bulletin(app::SystemActor(), 0, "2024-06");
  ASSERT_TRUE(again.ok());
  auto docx2 = BulletinDocx(*again);
  auto xlsx2 = BulletinXlsx(*again);
  ASSERT_TRUE(docx2.ok());
  ASSERT_TRUE(xlsx2.ok());
  EXPECT_TRUE(*docx1 == *docx2);
  EXPECT_TRUE(*xlsx1 == *xlsx2);
  EXPECT_EQ(BulletinHtml(June()), BulletinHtml(*again));
}

TEST_F(BulletinTest, DocxIsAWellFormedOfficialDocument) {
  auto docx = BulletinDocx(June());
  ASSERT_TRUE(docx.ok());
  const std::string xml = ZipEntry(*docx, "word/document.xml");
  ASSERT_FALSE(xml.empty());
  std::string error;
  EXPECT_TRUE(WellFormed(xml, &error)) << error;
  for (const char* part : {"[Content_Types].xml", "word/styles.xml", "word/footer1.xml", "docProps/core.xml"}) {
    const std::string p = ZipEntry(*docx, part);
    EXPECT_TRUE(WellFormed(p, &error)) << part << ": " << error;
  }
  // A4; margins top 37 mm, left 28 mm, right 26 mm, bottom 35 mm (text block 156 × 225 mm).
  EXPECT_NE(xml.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""), std::string::npos);
  // Fonts by their official names, mapped for East Asian text; 2号 title, 3号 body.
  EXPECT_NE(xml.find("w:eastAsia=\"方正小标宋简体\""), std::string::npos);
  EXPECT_NE(xml.find("w:eastAsia=\"仿宋_GB2312\""), std::string::npos);
  EXPECT_NE(xml.find("w:eastAsia=\"黑体\""), std::string::npos);
  EXPECT_NE(xml.find("w:eastAsia=\"楷体_GB2312\""), std::string::npos);
  EXPECT_NE(xml.find("<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:pPr><w:r>"), std::string::npos);
  EXPECT_NE(ZipEntry(*docx, "word/styles.xml").find("w:eastAsia=\"仿宋_GB2312\""), std::string::npos);
  // The red masthead and separator line, the document number, the title.
  EXPECT_NE(xml.find("<w:color w:val=\"FF0000\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"1\" w:color=\"FF0000\"/>"), std::string::npos);
  EXPECT_NE(xml.find("南调通〔2024〕6号"), std::string::npos);
  EXPECT_NE(xml.find("南阳市2024年6月经济运行情况通报"), std::string::npos);
  EXPECT_LT(xml.find("南阳市经济运行调度办公室"), xml.find("南调通〔2024〕6号"));
  EXPECT_NE(xml.find("<w:tbl>"), std::string::npos);
}

TEST_F(BulletinTest, HtmlIsSelfContainedAndPrintsOnA4) {
  const std::string h = BulletinHtml(June());
  EXPECT_NE(h.find("@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"), std::string::npos);
  EXPECT_NE(h.find("Noto Serif CJK SC"), std::string::npos);
  EXPECT_NE(h.find("<h1>南阳市2024年6月经济运行情况通报</h1>"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("http://"), std::string::npos);
  EXPECT_EQ(h.find("https://"), std::string::npos);
}

}  // namespace
}  // namespace tiaodu::assessment
