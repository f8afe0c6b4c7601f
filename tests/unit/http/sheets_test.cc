// The pieces every list export shares (http/sheets.h): reading a list page by page up to its
// total and the row cap, the export's response, and timestamps in Beijing time.
#include "http/sheets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tiaodu::http {
namespace {

struct FakePage {
  std::vector<int> items;
  int64_t total = 0;
};

// A list of `total` items 1..total, served in pages; records the pages asked for.
struct FakeList {
  // `served`: serve only this many items in all (a list that shrank), -1 = total.
  explicit FakeList(int64_t total, int64_t served = -1) : total(total), served(served) {}
  int64_t total;
  int64_t served;
  std::vector<int> pages, sizes;
  Result<FakePage> operator()(int page, int size) {
    pages.push_back(page);
    sizes.push_back(size);
    FakePage p;
    p.total = total;
    const int64_t end = served < 0 ? total : served;
    for (int64_t i = static_cast<int64_t>(page - 1) * size; i < end && i < static_cast<int64_t>(page) * size; ++i)
      p.items.push_back(static_cast<int>(i + 1));
    return p;
  }
};

TEST(ReadPages, ReadsEveryPageUpToTheTotalInPagesOf500) {
  FakeList list{1234};
  std::vector<int> seen;
  Status s = ReadPages(list, [&](int i) {
    seen.push_back(i);
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(seen.size(), 1234u);
  EXPECT_EQ(seen.front(), 1);
  EXPECT_EQ(seen.back(), 1234);
  EXPECT_EQ(list.pages, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(list.sizes, (std::vector<int>{kExportPageSize, kExportPageSize, kExportPageSize}));
}

TEST(ReadPages, AnEmptyListAsksOnce) {
  FakeList list{0};
  int n = 0;
  ASSERT_TRUE(ReadPages(list, [&](int) { return ++n, true; }).ok());
  EXPECT_EQ(n, 0);
  EXPECT_EQ(list.pages.size(), 1u);
}

TEST(ReadPages, StopsAtAnEmptyPageWhenTheListShrinks) {
  FakeList list{1500, 700};  // claims 1500, has 700
  int n = 0;
  ASSERT_TRUE(ReadPages(list, [&](int) { return ++n, true; }).ok());
  EXPECT_EQ(n, 700);
  EXPECT_EQ(list.pages, (std::vector<int>{1, 2, 3}));
}

TEST(ReadPages, StopsAtTheRowCap) {
  FakeList list{static_cast<int64_t>(kMaxExportRows) + 1234};
  int64_t n = 0;
  ASSERT_TRUE(ReadPages(list, [&](int) { return ++n, true; }).ok());
  EXPECT_EQ(n, static_cast<int64_t>(kMaxExportRows));
  EXPECT_EQ(list.pages.size(), kMaxExportRows / kExportPageSize + 1);
}

TEST(ReadPages, StopsWhenEachSaysSo) {
  FakeList list{5000};
  int n = 0;
  ASSERT_TRUE(ReadPages(list, [&](int i) { return ++n, i < 42; }).ok());
  EXPECT_EQ(n, 42);
  EXPECT_EQ(list.pages.size(), 1u);
}

TEST(ReadPages, ReturnsTheFirstError) {
  int calls = 0;
  auto fetch = [&](int page, int) -> Result<FakePage> {
    ++calls;
    if (page == 2) return NotFound("单位不存在或不在您的管理范围内：411302");
    FakePage p;
    p.total = 1000;
    p.items.assign(500, 7);
    return p;
  };
  Status s = ReadPages(fetch, [](int) { return true; });
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(calls, 2);
}

io::Sheet OneColumn() { return ListSheet("表", {{"序号", io::CellKind::kInteger, 8}}); }

TEST(ExportPages, AnswersTheWorkbookWithItsChineseName) {
  FakeList list{3};
  Response r = ExportPages(OneColumn(), "督办任务", list,
                           [](auto& rows, int i) { rows.push_back({std::to_string(i)}); });
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, kXlsxType);
  ASSERT_GE(r.body.size(), 2u);
  EXPECT_EQ(r.body.substr(0, 2), "PK");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Content-Disposition");
  EXPECT_NE(r.headers[0].second.find("filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E4%BB%BB%E5%8A%A1.xlsx"), std::string::npos)
      << r.headers[0].second;
}

TEST(ExportPages, AnErrorIsAnsweredAsTheListWould) {
  auto fetch = [](int, int) -> Result<FakePage> { return InvalidArgument("查询条件有误", {{"light", "应为 green、yellow 或 red"}}); };
  Response r = ExportPages(OneColumn(), "督办任务", fetch, [](auto&, int) {});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"light\""), std::string::npos) << r.body;
}

TEST(ExportPages, ItemsOfManyRowsAreCutAtTheRowCap) {
  FakeList list{static_cast<int64_t>(kMaxExportRows)};
  int64_t items = 0;
  size_t rows_seen = 0;
  Response r = ExportPages(OneColumn(), "会议议定事项", list, [&](auto& rows, int i) {
    ++items;
    for (int k = 0; k < 3; ++k) rows.push_back({std::to_string(i)});
    rows_seen = rows.size();
  });
  EXPECT_EQ(r.status, 200);
  // Reading stopped once the sheet was full: a third of the items, not all of them.
  EXPECT_EQ(items, static_cast<int64_t>((kMaxExportRows + 2) / 3));
  EXPECT_GE(rows_seen, kMaxExportRows);
}

TEST(SheetTime, BeijingTimeToTheMinuteOrSecond) {
  EXPECT_EQ(SheetTime(0), "");
  // 2026-11-24T01:30:05Z is 09:30:05 in Beijing.
  const int64_t t = 1795483805000;
  EXPECT_EQ(SheetTime(t), "2026-11-24 09:30");
  EXPECT_EQ(SheetTime(t, true), "2026-11-24 09:30:05");
  // 16:00Z is midnight of the next day in Beijing.
  EXPECT_EQ(SheetTime(1795536000000), "2026-11-25 00:00");
  EXPECT_EQ(SheetTime(1795535999000, true), "2026-11-24 23:59:59");
}

TEST(ListSheet, ColumnsAsGiven) {
  io::Sheet s = ListSheet("招商线索", {{"意向投资额(亿元)", io::CellKind::kNumber, 16}, {"线索日期", io::CellKind::kDate, 13}});
  EXPECT_EQ(s.name, "招商线索");
  ASSERT_EQ(s.columns.size(), 2u);
  EXPECT_EQ(s.columns[0].header, "意向投资额(亿元)");
  EXPECT_EQ(s.columns[0].kind, io::CellKind::kNumber);
  EXPECT_EQ(s.columns[0].width, 16);
  EXPECT_EQ(s.columns[1].kind, io::CellKind::kDate);
  EXPECT_TRUE(s.freeze_header);
  EXPECT_TRUE(s.rows.empty());
}

}  // namespace
}  // namespace tiaodu::http
