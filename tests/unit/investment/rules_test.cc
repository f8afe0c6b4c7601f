#include "investment/rules.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/period.h"
#include "base/validators.h"

namespace tiaodu::investment {
namespace {

// ---- Helpers ----

Decimal D(std::string_view text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().message();
  return d.value_or(Decimal());
}

CivilDate Date(std::string_view iso) {
  Result<CivilDate> d = ParseIsoDate(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return d.value_or(CivilDate{2000, 1, 1});
}

bool HasDetail(const Status& s, std::string_view field) {
  for (const Detail& d : s.details()) {
    if (d.field == field) return true;
  }
  return false;
}

std::string DetailReason(const Status& s, std::string_view field) {
  for (const Detail& d : s.details()) {
    if (d.field == field) return d.reason;
  }
  return "";
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// A USCC whose check character is computed here per GB 32100-2015 (weights 3^i mod 31,
// code 31 − sum mod 31, 31 → 0), independently of base/validators.
std::string WithCheckChar(std::string_view first17) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  int sum = 0;
  int weight = 1;
  for (char c : first17) {
    sum += static_cast<int>(kAlphabet.find(c)) * weight;
    weight = weight * 3 % 31;
  }
  int code = 31 - sum % 31;
  if (code == 31) code = 0;
  return std::string(first17) + kAlphabet[code];
}

constexpr const char* kValidUscc = "91350100M000100Y43";

Company MakeCompany(int64_t id, std::string name, std::string uscc = "") {
  Company c;
  c.id = id;
  c.name = std::move(name);
  c.normalized_name = NormalizeCompanyName(c.name);
  c.uscc = std::move(uscc);
  return c;
}

Lead MakeLead(int64_t id, std::string stage, std::map<std::string, CivilDate> dates = {}) {
  Lead l;
  l.id = id;
  l.company_id = 100 + id;
  l.project_name = "年产20万吨艾草深加工项目";
  l.amount = D("12.5");
  l.source = "business";
  l.unit_id = 7;
  l.stage = std::move(stage);
  l.stage_dates = std::move(dates);
  return l;
}

Contract MakeContract(int64_t id, int64_t lead_id, std::string_view date, std::string_view amount,
                      std::string kind = "formal") {
  Contract c;
  c.id = id;
  c.lead_id = lead_id;
  c.date = Date(date);
  c.amount = D(amount);
  c.kind = std::move(kind);
  return c;
}

// A lead in 实质性谈判 since 2024-03-01, with the history before it.
Lead NegotiatingLead() {
  return MakeLead(1, "negotiation",
                  {{"clue", Date("2024-01-05")},
                   {"contact", Date("2024-01-20")},
                   {"inspection", Date("2024-02-10")},
                   {"negotiation", Date("2024-03-01")}});
}

const CivilDate kToday{2024, 6, 15};

// ---- NormalizeCompanyName ----

TEST(NormalizeCompanyNameTest, FullWidthBracketsSpacesAndLlcSuffixMatchTheHalfWidthForm) {
  EXPECT_EQ(NormalizeCompanyName("比亚迪（深圳） 有限责任公司"), "比亚迪(深圳)有限公司");
  EXPECT_EQ(NormalizeCompanyName("比亚迪(深圳)有限公司"), "比亚迪(深圳)有限公司");
}

TEST(NormalizeCompanyNameTest, SquareBracketsBecomeRoundBrackets) {
  EXPECT_EQ(NormalizeCompanyName("【南阳】艾草有限公司"), "(南阳)艾草有限公司");
}

TEST(NormalizeCompanyNameTest, IdeographicSpaceIsRemovedWithoutBreakingTheCharacters) {
  // U+3000 is three bytes; removing it must leave the neighbouring characters whole.
  EXPECT_EQ(NormalizeCompanyName("南阳\u3000艾草　科技有限公司"), "南阳艾草科技有限公司");
  EXPECT_EQ(NormalizeCompanyName("  南阳 艾 草  "), "南阳艾草");
}

TEST(NormalizeCompanyNameTest, LlcBecomesLtdEvenWhenSpacesSplitIt) {
  EXPECT_EQ(NormalizeCompanyName("南阳艾草有限 责任公司"), "南阳艾草有限公司");
}

TEST(NormalizeCompanyNameTest, JointStockCompanyIsKeptAsIs) {
  EXPECT_EQ(NormalizeCompanyName("牧原食品股份有限公司"), "牧原食品股份有限公司");
  EXPECT_NE(NormalizeCompanyName("牧原食品股份有限公司"), NormalizeCompanyName("牧原食品有限公司"));
}

TEST(NormalizeCompanyNameTest, AsciiLettersAreLowerCased) {
  EXPECT_EQ(NormalizeCompanyName("BYD Auto（Shenzhen）Co"), "bydauto(shenzhen)co");
  EXPECT_EQ(NormalizeCompanyName("TCL科技集团股份有限公司"),
            NormalizeCompanyName("tcl 科技集团股份有限公司"));
}

TEST(NormalizeCompanyNameTest, EmptyAndBlankNamesNormaliseToEmpty) {
  EXPECT_EQ(NormalizeCompanyName(""), "");
  EXPECT_EQ(NormalizeCompanyName(" \u3000 "), "");
}

// ---- CheckCompany ----

TEST(CheckCompanyTest, AcceptsACompanyWithAValidUsccAndKnownTags) {
  Company c = MakeCompany(1, "福建测试有限公司", kValidUscc);
  c.origin = "福建省福州市";
  c.tags = {"民营", "专精特新", "500强"};
  Status s = CheckCompany(c);
  EXPECT_TRUE(s.ok()) << s.message() << " " << DetailReason(s, "uscc");
}

TEST(CheckCompanyTest, AUsccWithTheGb32100CheckCharacterIsAccepted) {
  EXPECT_EQ(WithCheckChar("91350100M000100Y4"), kValidUscc);
  const std::string computed = WithCheckChar("91411302MA9XKL7T2");
  Status s = CheckCompany(MakeCompany(1, "南阳测试有限公司", computed));
  EXPECT_TRUE(s.ok()) << computed << ": " << DetailReason(s, "uscc");
}

TEST(CheckCompanyTest, AnUnknownUsccIsAllowed) {
  EXPECT_TRUE(CheckCompany(MakeCompany(1, "南阳艾草科技有限公司")).ok());
}

TEST(CheckCompanyTest, AWrongUsccCheckCharacterIsRefusedOnTheUsccField) {
  Status s = CheckCompany(MakeCompany(1, "福建测试有限公司", "91350100M000100Y44"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(DetailReason(s, "uscc"), "校验位")) << DetailReason(s, "uscc");
}

TEST(CheckCompanyTest, AShortUsccIsRefused) {
  Status s = CheckCompany(MakeCompany(1, "福建测试有限公司", "9135010"));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(HasDetail(s, "uscc"));
}

TEST(CheckCompanyTest, NameMustBeTwoTo200Bytes) {
  EXPECT_TRUE(HasDetail(CheckCompany(MakeCompany(1, "")), "name"));
  EXPECT_TRUE(HasDetail(CheckCompany(MakeCompany(1, "A")), "name"));
  EXPECT_TRUE(HasDetail(CheckCompany(MakeCompany(1, std::string(201, 'x'))), "name"));
  EXPECT_TRUE(CheckCompany(MakeCompany(1, "AB")).ok());
  EXPECT_TRUE(CheckCompany(MakeCompany(1, std::string(200, 'x'))).ok());
}

TEST(CheckCompanyTest, AnUnknownTagIsRefusedAndNamed) {
  Company c = MakeCompany(1, "南阳艾草科技有限公司");
  c.tags = {"上市", "龙头"};
  Status s = CheckCompany(c);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(DetailReason(s, "tags"), "龙头")) << DetailReason(s, "tags");
}

TEST(CheckCompanyTest, EveryKnownTagIsAccepted) {
  Company c = MakeCompany(1, "南阳艾草科技有限公司");
  for (const std::string& tag : KnownCompanyTags()) c.tags.insert(tag);
  EXPECT_EQ(c.tags.size(), 9u);
  EXPECT_TRUE(CheckCompany(c).ok());
}

TEST(CheckCompanyTest, OriginIsAtMost100Bytes) {
  Company c = MakeCompany(1, "南阳艾草科技有限公司");
  c.origin = std::string(100, 'x');
  EXPECT_TRUE(CheckCompany(c).ok());
  c.origin = std::string(101, 'x');
  EXPECT_TRUE(HasDetail(CheckCompany(c), "origin"));
}

// ---- FindDuplicates ----

TEST(FindDuplicatesTest, SameUsccIsADuplicateWhateverTheName) {
  Company c = MakeCompany(1, "福建测试有限公司", kValidUscc);
  std::vector<Company> others = {MakeCompany(2, "福建测试集团", kValidUscc),
                                 MakeCompany(3, "别的公司")};
  std::vector<DuplicateHit> hits = FindDuplicates(c, others);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].company_id, 2);
  EXPECT_EQ(hits[0].reason, "统一社会信用代码相同");
}

TEST(FindDuplicatesTest, SameNormalisedNameIsADuplicate) {
  Company c = MakeCompany(1, "比亚迪（深圳） 有限责任公司");
  std::vector<Company> others = {MakeCompany(2, "比亚迪(深圳)有限公司"),
                                 MakeCompany(3, "比亚迪(西安)有限公司")};
  std::vector<DuplicateHit> hits = FindDuplicates(c, others);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].company_id, 2);
  EXPECT_TRUE(Contains(hits[0].reason, "名称相同")) << hits[0].reason;
}

TEST(FindDuplicatesTest, NameIsComparedEvenWhenTheStoredNormalisedNameIsMissing) {
  Company c = MakeCompany(1, "南阳艾草有限责任公司");
  Company other = MakeCompany(2, "南阳艾草有限公司");
  other.normalized_name.clear();
  ASSERT_EQ(FindDuplicates(c, {other}).size(), 1u);
}

TEST(FindDuplicatesTest, SameUsccAndSameNameGiveOneHitWithTheUsccReason) {
  Company c = MakeCompany(1, "福建测试有限公司", kValidUscc);
  std::vector<DuplicateHit> hits = FindDuplicates(c, {MakeCompany(2, "福建测试有限公司", kValidUscc)});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].reason, "统一社会信用代码相同");
}

TEST(FindDuplicatesTest, ACompanyIsNeverADuplicateOfItself) {
  Company c = MakeCompany(1, "福建测试有限公司", kValidUscc);
  EXPECT_TRUE(FindDuplicates(c, {c}).empty());
}

TEST(FindDuplicatesTest, MergedRecordsAreIgnored) {
  Company c = MakeCompany(1, "福建测试有限公司", kValidUscc);
  Company merged = MakeCompany(2, "福建测试有限公司", kValidUscc);
  merged.merged_into = 5;
  EXPECT_TRUE(FindDuplicates(c, {merged}).empty());
}

TEST(FindDuplicatesTest, EmptyUsccsAreNotTheSameCode) {
  Company c = MakeCompany(1, "甲公司");
  EXPECT_TRUE(FindDuplicates(c, {MakeCompany(2, "乙公司")}).empty());
}

// ---- ParseAmountYi ----

TEST(ParseAmountYiTest, ABareNumberIsInYiYuan) {
  Result<Decimal> a = ParseAmountYi("12.5", "amount");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, D("12.5"));
  EXPECT_EQ(*ParseAmountYi(" 1,234.5 ", "amount"), D("1234.5"));
}

TEST(ParseAmountYiTest, YiYuanWanYuanAndYuanConvertExactly) {
  EXPECT_EQ(*ParseAmountYi("12.5亿元", "amount"), D("12.5"));
  EXPECT_EQ(*ParseAmountYi("125000万元", "amount"), D("12.5"));
  EXPECT_EQ(*ParseAmountYi("1250000000元", "amount"), D("12.5"));
  EXPECT_EQ(*ParseAmountYi("4565万元", "amount"), D("0.4565"));
  EXPECT_EQ(*ParseAmountYi("100元", "amount"), D("0.000001"));
}

TEST(ParseAmountYiTest, ZeroIsAcceptedAndTenThousandYiIsTheLimit) {
  EXPECT_EQ(*ParseAmountYi("0", "amount"), Decimal());
  EXPECT_EQ(*ParseAmountYi("10000亿元", "amount"), D("10000"));
}

TEST(ParseAmountYiTest, OtherUnitsAreRefusedNamingTheField) {
  for (std::string_view text : {"12个", "12万美元", "12万吨"}) {
    Result<Decimal> a = ParseAmountYi(text, "contract_amount");
    ASSERT_FALSE(a.ok()) << text;
    EXPECT_EQ(a.status().code(), Code::kInvalidArgument);
    EXPECT_TRUE(Contains(DetailReason(a.status(), "contract_amount"), "金额单位应为元、万元或亿元"))
        << text << ": " << DetailReason(a.status(), "contract_amount");
  }
}

TEST(ParseAmountYiTest, AnUnknownUnitIsReportedAsAUnitProblem) {
  Result<Decimal> a = ParseAmountYi("12美刀", "amount");
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(Contains(DetailReason(a.status(), "amount"), "金额单位应为元、万元或亿元"));
}

TEST(ParseAmountYiTest, NegativeAmountsAreRefused) {
  for (std::string_view text : {"-1", "-5亿元", "-3000万元"}) {
    Result<Decimal> a = ParseAmountYi(text, "amount");
    ASSERT_FALSE(a.ok()) << text;
    EXPECT_TRUE(Contains(DetailReason(a.status(), "amount"), "负数")) << text;
  }
}

TEST(ParseAmountYiTest, AmountsAboveTenThousandYiAreRefusedAsAbsurd) {
  for (std::string_view text : {"10000.000001", "12000亿元", "1250000000000元"}) {
    Result<Decimal> a = ParseAmountYi(text, "amount");
    ASSERT_FALSE(a.ok()) << text;
    EXPECT_TRUE(Contains(DetailReason(a.status(), "amount"), "10000亿元")) << text;
  }
}

TEST(ParseAmountYiTest, BadNumbersAreRefused) {
  for (std::string_view text : {"", "  ", "abc", "1.2.3亿元", "十二亿元", "1e3", ".5"}) {
    Result<Decimal> a = ParseAmountYi(text, "amount");
    ASSERT_FALSE(a.ok()) << text;
    EXPECT_EQ(a.status().code(), Code::kInvalidArgument);
    EXPECT_TRUE(HasDetail(a.status(), "amount")) << text;
  }
}

// ---- Names ----

TEST(LeadNamesTest, StagesInOrderWithChineseNames) {
  const char* zh[] = {"线索", "接洽", "考察", "实质性谈判", "签约", "注册", "开工", "投产"};
  for (int i = 0; i < kLeadStageCount; ++i) {
    EXPECT_EQ(LeadStageIndex(kLeadStages[i]), i);
    EXPECT_EQ(LeadStageName(kLeadStages[i]), zh[i]);
  }
  EXPECT_EQ(LeadStageIndex("won"), -1);
  EXPECT_EQ(LeadStageName("won"), "won");
}

TEST(LeadNamesTest, SourcesHaveChineseNamesAndUnknownOnesShowTheCode) {
  EXPECT_EQ(SourceName("business"), "以商招商");
  EXPECT_EQ(SourceName("resident"), "驻外招商");
  EXPECT_EQ(SourceName("fund"), "基金招商");
  EXPECT_EQ(SourceName("platform"), "平台招商");
  EXPECT_EQ(SourceName("other"), "其他");
  EXPECT_EQ(SourceName("expo"), "expo");
}

// ---- CheckLead ----

TEST(CheckLeadTest, AcceptsAWellFormedLead) { EXPECT_TRUE(CheckLead(MakeLead(1, "clue")).ok()); }

TEST(CheckLeadTest, ProjectNameMustBeTwoTo200Bytes) {
  Lead l = MakeLead(1, "clue");
  l.project_name = "";
  EXPECT_TRUE(HasDetail(CheckLead(l), "project_name"));
  l.project_name = std::string(201, 'x');
  EXPECT_TRUE(HasDetail(CheckLead(l), "project_name"));
  l.project_name = std::string(200, 'x');
  EXPECT_TRUE(CheckLead(l).ok());
}

TEST(CheckLeadTest, AmountMustBePositiveAndAtMostTenThousandYi) {
  Lead l = MakeLead(1, "clue");
  l.amount = D("0");
  EXPECT_TRUE(HasDetail(CheckLead(l), "amount"));
  l.amount = D("-1");
  EXPECT_TRUE(HasDetail(CheckLead(l), "amount"));
  l.amount = D("10000.000001");
  EXPECT_TRUE(HasDetail(CheckLead(l), "amount"));
  l.amount = D("10000");
  EXPECT_TRUE(CheckLead(l).ok());
}

TEST(CheckLeadTest, UnknownSourceAndStageAreNamed) {
  Lead l = MakeLead(1, "won");
  l.source = "expo";
  Status s = CheckLead(l);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.details().size(), 2u);
  EXPECT_TRUE(Contains(DetailReason(s, "source"), "expo"));
  EXPECT_TRUE(Contains(DetailReason(s, "stage"), "won"));
}

// ---- CheckLeadStageChange ----

TEST(LeadStageChangeTest, TheNextStageIsAllowed) {
  Lead l = MakeLead(1, "clue", {{"clue", Date("2024-01-05")}});
  EXPECT_TRUE(CheckLeadStageChange(l, "contact", Date("2024-01-20"), {}, kToday).ok());
  EXPECT_TRUE(
      CheckLeadStageChange(NegotiatingLead(), "signed", Date("2024-04-01"),
                           {MakeContract(1, 1, "2024-04-01", "12.5")}, kToday)
          .ok());
}

TEST(LeadStageChangeTest, StagesAfterSigningNeedNoFurtherContract) {
  Lead l = MakeLead(1, "signed", {{"signed", Date("2024-04-01")}});
  EXPECT_TRUE(CheckLeadStageChange(l, "registered", Date("2024-05-01"), {}, kToday).ok());
}

TEST(LeadStageChangeTest, AJumpIsRefusedNamingBothStages) {
  Lead l = MakeLead(1, "contact", {{"contact", Date("2024-01-20")}});
  Status s = CheckLeadStageChange(l, "signed", Date("2024-04-01"),
                                  {MakeContract(1, 1, "2024-04-01", "12.5")}, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(s.message(), "不能从“接洽”直接到“签约”，须逐级推进")) << s.message();
}

TEST(LeadStageChangeTest, GoingBackwardsIsRefused) {
  Status s = CheckLeadStageChange(NegotiatingLead(), "contact", Date("2024-04-01"), {}, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(s.message(), "实质性谈判")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "接洽")) << s.message();
}

TEST(LeadStageChangeTest, StayingOnTheSameStageIsRefused) {
  Status s = CheckLeadStageChange(NegotiatingLead(), "negotiation", Date("2024-04-01"), {}, kToday);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
}

TEST(LeadStageChangeTest, AnUnknownTargetStageIsInvalid) {
  Status s = CheckLeadStageChange(NegotiatingLead(), "won", Date("2024-04-01"), {}, kToday);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
}

TEST(LeadStageChangeTest, SigningWithoutAContractIsRefused) {
  Status s = CheckLeadStageChange(NegotiatingLead(), "signed", Date("2024-04-01"), {}, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(s.message(), "合同")) << s.message();
}

TEST(LeadStageChangeTest, AnotherLeadsContractDoesNotCountForSigning) {
  Status s = CheckLeadStageChange(NegotiatingLead(), "signed", Date("2024-04-01"),
                                  {MakeContract(1, 2, "2024-03-15", "12.5")}, kToday);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
}

TEST(LeadStageChangeTest, SigningWithOnlyAContractDatedAfterTheChangeDateIsRefused) {
  Status s = CheckLeadStageChange(NegotiatingLead(), "signed", Date("2024-04-01"),
                                  {MakeContract(1, 1, "2024-04-02", "12.5")}, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(s.message(), "2024-04-02")) << s.message();
}

TEST(LeadStageChangeTest, SigningWithAnEarlierFrameworkAgreementIsAllowed) {
  std::vector<Contract> contracts = {MakeContract(1, 1, "2024-05-01", "12.5", "formal"),
                                     MakeContract(2, 1, "2024-03-20", "10", "framework")};
  EXPECT_TRUE(
      CheckLeadStageChange(NegotiatingLead(), "signed", Date("2024-04-01"), contracts, kToday)
          .ok());
}

TEST(LeadStageChangeTest, ADateBeforeTheCurrentStagesDateIsRefused) {
  Status s = CheckLeadStageChange(NegotiatingLead(), "signed", Date("2024-02-28"),
                                  {MakeContract(1, 1, "2024-02-01", "12.5")}, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  std::string why = DetailReason(s, "date");
  EXPECT_TRUE(Contains(why, "2024-02-28") && Contains(why, "2024-03-01")) << why;
}

TEST(LeadStageChangeTest, TheSameDayAsTheCurrentStageIsAllowed) {
  EXPECT_TRUE(CheckLeadStageChange(NegotiatingLead(), "signed", Date("2024-03-01"),
                                   {MakeContract(1, 1, "2024-03-01", "12.5")}, kToday)
                  .ok());
}

TEST(LeadStageChangeTest, AFutureDateIsRefusedAndTodayIsAllowed) {
  Lead l = MakeLead(1, "clue", {{"clue", Date("2024-01-05")}});
  Status s = CheckLeadStageChange(l, "contact", Date("2024-06-16"), {}, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(DetailReason(s, "date"), "2024-06-16"));
  EXPECT_TRUE(CheckLeadStageChange(l, "contact", kToday, {}, kToday).ok());
}

TEST(LeadStageChangeTest, AnInvalidDateIsRefused) {
  Lead l = MakeLead(1, "clue");
  EXPECT_EQ(CheckLeadStageChange(l, "contact", CivilDate{2024, 2, 30}, {}, kToday).code(),
            Code::kInvalidArgument);
}

TEST(LeadStageChangeTest, ALostLeadMustBeReopenedFirst) {
  Lead l = NegotiatingLead();
  l.lost = true;
  l.lost_reason = "企业转投外省";
  Status s = CheckLeadStageChange(l, "signed", Date("2024-04-01"),
                                  {MakeContract(1, 1, "2024-04-01", "12.5")}, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(s.message(), "重新激活")) << s.message();
}

// ---- CheckLose / CheckReopen ----

TEST(LoseAndReopenTest, AnOpenLeadCanBeLostWithAReason) {
  EXPECT_TRUE(CheckLose(NegotiatingLead(), "企业转投外省").ok());
}

TEST(LoseAndReopenTest, LosingNeedsAReason) {
  for (std::string reason : {"", "   ", "\u3000"}) {
    Status s = CheckLose(NegotiatingLead(), reason);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << "reason: [" << reason << "]";
    EXPECT_TRUE(HasDetail(s, "reason"));
  }
}

TEST(LoseAndReopenTest, AnAlreadyLostLeadCannotBeLostAgain) {
  Lead l = NegotiatingLead();
  l.lost = true;
  l.lost_date = Date("2024-05-01");
  Status s = CheckLose(l, "又流失了");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(s.message(), "2024-05-01")) << s.message();
}

TEST(LoseAndReopenTest, ALeadInProductionIsNotLost) {
  Lead l = MakeLead(1, "producing");
  EXPECT_EQ(CheckLose(l, "停产").code(), Code::kFailedPrecondition);
  EXPECT_TRUE(CheckLose(MakeLead(1, "started"), "停工").ok());
}

TEST(LoseAndReopenTest, OnlyALostLeadCanBeReopened) {
  Lead l = NegotiatingLead();
  EXPECT_EQ(CheckReopen(l).code(), Code::kFailedPrecondition);
  l.lost = true;
  EXPECT_TRUE(CheckReopen(l).ok());
}

// ---- CheckContract ----

TEST(CheckContractTest, AcceptsFormalAndFrameworkContractsUpToToday) {
  EXPECT_TRUE(CheckContract(MakeContract(1, 1, "2024-06-15", "12.5", "formal"), kToday).ok());
  EXPECT_TRUE(CheckContract(MakeContract(1, 1, "2024-01-02", "0.5", "framework"), kToday).ok());
}

TEST(CheckContractTest, AFutureDateIsRefused) {
  Status s = CheckContract(MakeContract(1, 1, "2024-06-16", "12.5"), kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(DetailReason(s, "date"), "2024-06-16"));
}

TEST(CheckContractTest, AmountMustBePositive) {
  EXPECT_TRUE(HasDetail(CheckContract(MakeContract(1, 1, "2024-06-01", "0"), kToday), "amount"));
  EXPECT_TRUE(HasDetail(CheckContract(MakeContract(1, 1, "2024-06-01", "-1"), kToday), "amount"));
}

TEST(CheckContractTest, AnUnknownKindIsRefused) {
  Status s = CheckContract(MakeContract(1, 1, "2024-06-01", "1", "mou"), kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(DetailReason(s, "kind"), "mou"));
}

// ---- ComputeSigningStats ----

TEST(SigningStatsTest, RangeBoundariesAreInclusive) {
  std::vector<Lead> leads = {
      MakeLead(1, "signed", {{"signed", Date("2024-01-01")}}),
      MakeLead(2, "signed", {{"signed", Date("2024-03-31")}}),
      MakeLead(3, "signed", {{"signed", Date("2023-12-31")}}),  // before
      MakeLead(4, "signed", {{"signed", Date("2024-04-01")}}),  // after
  };
  std::vector<Contract> contracts = {
      MakeContract(1, 1, "2024-01-01", "2"),   MakeContract(2, 2, "2024-03-31", "3"),
      MakeContract(3, 3, "2023-12-31", "100"), MakeContract(4, 4, "2024-04-01", "100"),
  };
  SigningStats s = ComputeSigningStats(leads, contracts, Date("2024-01-01"), Date("2024-03-31"));
  EXPECT_EQ(s.signed_projects, 2);
  EXPECT_EQ(s.projects_100m, 2);
  EXPECT_EQ(s.contract_amount, D("5"));
}

TEST(SigningStatsTest, HundredMillionProjectsAreThoseWhoseContractsTotalAtLeastOneYi) {
  std::vector<Lead> leads = {
      MakeLead(1, "signed", {{"signed", Date("2024-02-01")}}),  // 1 exactly
      MakeLead(2, "signed", {{"signed", Date("2024-02-01")}}),  // 0.6 + 0.4
      MakeLead(3, "signed", {{"signed", Date("2024-02-01")}}),  // 0.999999
      MakeLead(4, "signed", {{"signed", Date("2024-02-01")}}),  // no contract on record
  };
  std::vector<Contract> contracts = {
      MakeContract(1, 1, "2024-02-01", "1"),
      MakeContract(2, 2, "2024-01-15", "0.6", "framework"),
      MakeContract(3, 2, "2024-02-01", "0.4"),
      MakeContract(4, 3, "2024-02-01", "0.999999"),
  };
  SigningStats s = ComputeSigningStats(leads, contracts, Date("2024-01-01"), Date("2024-12-31"));
  EXPECT_EQ(s.signed_projects, 4);
  EXPECT_EQ(s.projects_100m, 2);
  EXPECT_EQ(s.contract_amount, D("2.999999"));
}

TEST(SigningStatsTest, ContractsAfterTheRangeDoNotMakeAProjectHundredMillion) {
  std::vector<Lead> leads = {MakeLead(1, "signed", {{"signed", Date("2024-02-01")}})};
  std::vector<Contract> contracts = {MakeContract(1, 1, "2024-02-01", "0.5", "framework"),
                                     MakeContract(2, 1, "2024-05-01", "3")};
  SigningStats q1 = ComputeSigningStats(leads, contracts, Date("2024-01-01"), Date("2024-03-31"));
  EXPECT_EQ(q1.signed_projects, 1);
  EXPECT_EQ(q1.projects_100m, 0);
  EXPECT_EQ(q1.contract_amount, D("0.5"));
}

TEST(SigningStatsTest, LostLeadsStillCountForWhatTheySigned) {
  Lead l = MakeLead(1, "registered", {{"signed", Date("2024-02-01")}});
  l.lost = true;
  l.lost_reason = "企业资金链断裂";
  SigningStats s = ComputeSigningStats({l}, {MakeContract(1, 1, "2024-02-01", "5")},
                                       Date("2024-01-01"), Date("2024-12-31"));
  EXPECT_EQ(s.signed_projects, 1);
  EXPECT_EQ(s.projects_100m, 1);
  EXPECT_EQ(s.contract_amount, D("5"));
}

TEST(SigningStatsTest, ContractAmountCountsContractsOfLeadsNotSignedInTheRange) {
  // A lead signed last year records a follow-up contract this year.
  std::vector<Lead> leads = {MakeLead(1, "started", {{"signed", Date("2023-11-01")}})};
  SigningStats s = ComputeSigningStats(leads, {MakeContract(1, 1, "2024-03-01", "8")},
                                       Date("2024-01-01"), Date("2024-12-31"));
  EXPECT_EQ(s.signed_projects, 0);
  EXPECT_EQ(s.projects_100m, 0);
  EXPECT_EQ(s.contract_amount, D("8"));
}

TEST(SigningStatsTest, LeadsThatHaveNotSignedAreNotCounted) {
  std::vector<Lead> leads = {NegotiatingLead()};
  SigningStats s = ComputeSigningStats(leads, {}, Date("2024-01-01"), Date("2024-12-31"));
  EXPECT_EQ(s.signed_projects, 0);
  EXPECT_EQ(s.contract_amount, Decimal());
}

// ---- ComputeTargetProgress ----

Target MakeTarget(int projects, std::string_view amount) {
  Target t;
  t.unit_id = 7;
  t.year = 2024;
  t.projects_100m = projects;
  t.contract_amount = D(amount);
  return t;
}

SigningStats Ytd(int projects_100m, std::string_view amount) {
  SigningStats s;
  s.signed_projects = projects_100m;
  s.projects_100m = projects_100m;
  s.contract_amount = D(amount);
  return s;
}

// 2024 is a leap year: 1 July is day 183 of 366, exactly half of the year.
const CivilDate kMidYear{2024, 7, 1};

TEST(TargetProgressTest, SharesAndElapsedAreInPercent) {
  TargetProgress p = ComputeTargetProgress(MakeTarget(10, "100"), Ytd(6, "55"), kMidYear);
  EXPECT_EQ(p.elapsed, D("50"));
  ASSERT_TRUE(p.count_share && p.amount_share);
  EXPECT_EQ(*p.count_share, D("60"));
  EXPECT_EQ(*p.amount_share, D("55"));
  EXPECT_EQ(p.status, "ahead");
}

TEST(TargetProgressTest, ElapsedCountsDaysOfTheYear) {
  EXPECT_EQ(ComputeTargetProgress(MakeTarget(10, "100"), Ytd(0, "0"), Date("2024-01-01")).elapsed,
            D("0.273224"));  // 1/366
  EXPECT_EQ(ComputeTargetProgress(MakeTarget(10, "100"), Ytd(0, "0"), Date("2024-12-31")).elapsed,
            D("100"));
}

TEST(TargetProgressTest, SharesEqualToElapsedAreAhead) {
  EXPECT_EQ(ComputeTargetProgress(MakeTarget(10, "100"), Ytd(5, "50"), kMidYear).status, "ahead");
}

TEST(TargetProgressTest, OneShareJustBelowElapsedIsOnTrack) {
  EXPECT_EQ(ComputeTargetProgress(MakeTarget(10, "100"), Ytd(5, "49.999999"), kMidYear).status,
            "on_track");
}

TEST(TargetProgressTest, ExactlyTenPointsBelowElapsedIsStillOnTrack) {
  EXPECT_EQ(ComputeTargetProgress(MakeTarget(10, "100"), Ytd(4, "40"), kMidYear).status,
            "on_track");
}

TEST(TargetProgressTest, EitherShareMoreThanTenPointsBelowElapsedIsBehind) {
  EXPECT_EQ(ComputeTargetProgress(MakeTarget(10, "100"), Ytd(3, "90"), kMidYear).status, "behind");
  EXPECT_EQ(ComputeTargetProgress(MakeTarget(10, "100"), Ytd(9, "39.999999"), kMidYear).status,
            "behind");
}

TEST(TargetProgressTest, AMissingTargetHasNoShareAndDoesNotDecide) {
  TargetProgress p = ComputeTargetProgress(MakeTarget(0, "100"), Ytd(0, "60"), kMidYear);
  EXPECT_FALSE(p.count_share.has_value());
  ASSERT_TRUE(p.amount_share.has_value());
  EXPECT_EQ(p.status, "ahead");

  TargetProgress none = ComputeTargetProgress(MakeTarget(0, "0"), Ytd(3, "60"), kMidYear);
  EXPECT_FALSE(none.count_share.has_value());
  EXPECT_FALSE(none.amount_share.has_value());
  EXPECT_EQ(none.status, "on_track");
}

TEST(TargetProgressTest, SharesAreRoundedToSixPlaces) {
  TargetProgress p = ComputeTargetProgress(MakeTarget(3, "3"), Ytd(1, "2"), kMidYear);
  EXPECT_EQ(*p.count_share, D("33.333333"));
  EXPECT_EQ(*p.amount_share, D("66.666667"));
}

// ---- Chains ----

Segment MakeSegment(int64_t id, std::string position, std::string name, int seq,
                    std::vector<int64_t> local = {}, std::vector<int64_t> target = {}) {
  Segment s;
  s.id = id;
  s.chain_id = 1;
  s.position = std::move(position);
  s.name = std::move(name);
  s.seq = seq;
  s.local_firms = std::move(local);
  s.target_firms = std::move(target);
  return s;
}

Chain AiCaoChain() {
  Chain c;
  c.id = 1;
  c.name = "艾草";
  c.chain_leader = "张三（副市长）";
  c.segments = {
      MakeSegment(13, "downstream", "艾灸理疗服务", 1),
      MakeSegment(11, "upstream", "艾草种植", 1, {101}),
      MakeSegment(12, "midstream", "艾绒加工", 2, {}, {201}),
      MakeSegment(14, "midstream", "艾草提取物", 1),
  };
  return c;
}

TEST(ChainTest, PositionsHaveChineseNames) {
  EXPECT_EQ(PositionName("upstream"), "上游");
  EXPECT_EQ(PositionName("midstream"), "中游");
  EXPECT_EQ(PositionName("downstream"), "下游");
  EXPECT_EQ(PositionName("side"), "side");
}

TEST(ChainTest, GapsAreSegmentsWithoutALocalFirmInChainOrder) {
  Chain c = AiCaoChain();
  std::vector<const Segment*> gaps = Gaps(c);
  ASSERT_EQ(gaps.size(), 3u);
  EXPECT_EQ(gaps[0]->id, 14);  // midstream, seq 1
  EXPECT_EQ(gaps[1]->id, 12);  // midstream, seq 2 (a target firm is not a local one)
  EXPECT_EQ(gaps[2]->id, 13);  // downstream
}

TEST(ChainTest, AChainWithLocalFirmsEverywhereHasNoGaps) {
  Chain c;
  c.name = "医疗器械";
  c.segments = {MakeSegment(1, "upstream", "原材料", 1, {1}),
                MakeSegment(2, "downstream", "医院", 1, {2, 3})};
  EXPECT_TRUE(Gaps(c).empty());
}

TEST(ChainTest, AWellFormedChainPasses) { EXPECT_TRUE(CheckChain(AiCaoChain()).ok()); }

TEST(ChainTest, NameMustBeOneTo100Bytes) {
  Chain c = AiCaoChain();
  c.name = "";
  EXPECT_TRUE(HasDetail(CheckChain(c), "name"));
  c.name = std::string(101, 'x');
  EXPECT_TRUE(HasDetail(CheckChain(c), "name"));
  c.name = std::string(100, 'x');
  EXPECT_TRUE(CheckChain(c).ok());
  c.name = "x";
  EXPECT_TRUE(CheckChain(c).ok());
}

TEST(ChainTest, SegmentsNeedAKnownPositionAndAName) {
  Chain c = AiCaoChain();
  c.segments[1].position = "side";
  c.segments[2].name = "";
  Status s = CheckChain(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(DetailReason(s, "segments.1.position"), "side"));
  EXPECT_TRUE(HasDetail(s, "segments.2.name"));
}

TEST(ChainTest, AFirmCannotBeBothLocalAndTargetInOneSegment) {
  Chain c = AiCaoChain();
  c.segments[1].target_firms = {101};
  Status s = CheckChain(c);
  ASSERT_FALSE(s.ok());
  std::string why = DetailReason(s, "segments.1.target_firms");
  EXPECT_TRUE(Contains(why, "101") && Contains(why, "艾草种植")) << why;
}

TEST(ChainTest, AFirmMayBeLocalInOneSegmentAndTargetInAnother) {
  Chain c = AiCaoChain();
  c.segments[2].target_firms = {101};
  EXPECT_TRUE(CheckChain(c).ok());
}

}  // namespace
}  // namespace tiaodu::investment
