#include "app/demo_supervision.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/demo_random.h"
#include "auth/crypto.h"
#include "base/period.h"
#include "supervision/calendar.h"
#include "supervision/rules.h"

namespace tiaodu::app {
namespace {

using supervision::BulkData;
using supervision::Calendar;
using supervision::Decision;
using supervision::Meeting;
using supervision::TaskEvent;
using supervision::TaskFile;
using supervision::TaskRecord;

constexpr uint64_t kSeed = 13710;
constexpr int64_t kMinute = 60'000;
constexpr int kOffset = 480;                  // Beijing time
constexpr int kOfficeStart = 8 * 60 + 30;     // 08:30
constexpr int kOfficeEnd = 18 * 60;           // 18:00
constexpr int kOfficeEndRule = 17 * 60 + 30;  // 17:30: assigned later → clock starts next day
constexpr int kHistoryDays = 90;              // working days kept in the list of past days

constexpr const char* kCity = "411300";
constexpr const char* kCityDcs = "D411300-DCS";
constexpr const char* kWancheng = "411302";

// ---- Small helpers ----

// The instant `minute` minutes after 00:00 Beijing time of `d`.
int64_t At(const CivilDate& d, int minute) {
  return (DaysFromCivil(d) * 1440 + minute - kOffset) * kMinute;
}
bool Before(const CivilDate& a, const CivilDate& b) { return CompareDates(a, b) < 0; }
std::string Num(int64_t n) { return std::to_string(n); }
std::string MonthDay(const CivilDate& d) { return Num(d.month) + "月" + Num(d.day) + "日"; }
std::string YearMonthDay(const CivilDate& d) { return Num(d.year) + "年" + MonthDay(d); }
CivilDate MonthEnd(const CivilDate& d) { return {d.year, d.month, DaysInMonth(d.year, d.month)}; }

const char* ChineseNumeral(size_t i) {
  static const char* kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  return kNumerals[i % 10];
}

std::vector<std::string> SplitCodes(std::string_view codes) {
  std::vector<std::string> out;
  while (!codes.empty()) {
    size_t comma = codes.find(',');
    out.emplace_back(codes.substr(0, comma));
    if (comma == std::string_view::npos) break;
    codes.remove_prefix(comma + 1);
  }
  return out;
}

// UTF-8 → code points (the demo's texts are valid UTF-8 in the BMP).
std::vector<uint32_t> CodePoints(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string Utf8(const std::vector<uint32_t>& cps, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    uint32_t cp = cps[i];
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

// Lines of at most `width` half-width columns (a CJK character takes two).
std::vector<std::string> Wrap(std::string_view text, int width) {
  std::vector<uint32_t> cps = CodePoints(text);
  std::vector<std::string> lines;
  size_t start = 0;
  int used = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    int w = cps[i] < 0x80 ? 1 : 2;
    if (used + w > width) {
      lines.push_back(Utf8(cps, start, i));
      start = i;
      used = 0;
    }
    used += w;
  }
  if (start < cps.size() || lines.empty()) lines.push_back(Utf8(cps, start, cps.size()));
  return lines;
}

// "<4E1C5357...>": the text in UCS-2 big-endian, for the UniGB-UCS2-H encoding.
std::string Ucs2Hex(std::string_view text) {
  std::string out = "<";
  char buf[8];
  for (uint32_t cp : CodePoints(text)) {
    std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(cp & 0xFFFF));
    out += buf;
  }
  return out + ">";
}

// A one-page A4 PDF 1.4: a title (18 pt) and body lines (12 pt) in the standard Chinese font
// STSong-Light (Adobe-GB1, not embedded: every PDF reader with CJK support has it), with a
// correct cross-reference table.
std::string MakePdf(const std::string& title, const std::vector<std::string>& paragraphs) {
  std::string content = "BT\n/F1 18 Tf\n72 760 Td\n";
  for (const std::string& line : Wrap(title, 48)) content += Ucs2Hex(line) + " Tj\n0 -26 Td\n";
  content += "/F1 12 Tf\n0 -10 Td\n";
  for (const std::string& p : paragraphs) {
    for (const std::string& line : Wrap(p, 74)) content += Ucs2Hex(line) + " Tj\n0 -20 Td\n";
    content += "0 -6 Td\n";
  }
  content += "ET\n";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> "
      ">> /Contents 7 0 R >>",
      "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
      "/DescendantFonts [5 0 R] >>",
      "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry "
      "(Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 6 0 R /DW 1000 /W [1 95 500] >>",
      "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
      "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
      "<< /Length " + Num(static_cast<int64_t>(content.size())) + " >>\nstream\n" + content +
          "endstream",
  };
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += Num(static_cast<int64_t>(i + 1)) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + Num(static_cast<int64_t>(objects.size() + 1)) + "\n0000000000 65535 f \n";
  char buf[32];
  for (size_t off : offsets) {
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
    pdf += buf;
  }
  pdf += "trailer\n<< /Size " + Num(static_cast<int64_t>(objects.size() + 1)) +
         " /Root 1 0 R >>\nstartxref\n" + Num(static_cast<int64_t>(xref)) + "\n%%EOF\n";
  return pdf;
}

// ---- What the demo says ----

// A decision template (议定事项): its text is also the task's title.
struct Item {
  const char* owner;  // unit code
  const char* co;     // co-unit codes, comma-separated, or ""
  const char* text;
  const char* reason;  // non-empty: a complex matter with a long deadline, and why
};

// 市政府周碰头会.
constexpr Item kWeeklyItems[] = {
    {"411303", "D411300-FGW", "协调解决卧龙区光电产业园二期项目用地指标问题",
     "需报省自然资源厅统筹安排用地指标，审批周期较长"},
    {"D411300-ZDXM", "D411300-FGW", "督促第四季度集中开工项目完成施工许可办理", ""},
    {"411328", "D411300-FGW", "解决唐河县产业集聚区新材料企业用电增容问题", ""},
    {"Z411371", "", "加快高新区智能装备产业园标准化厂房建设进度", ""},
    {"Z411372", "", "推进城乡一体化示范区安置房分配交付工作",
     "安置房分配涉及群众选房、公示等程序，需分批组织交付"},
    {"411324", "D411300-FGW", "协调解决镇平县玉雕文化产业园项目融资问题", ""},
    {"D411300-TJJ", "", "督促新入库规上工业企业按时报送统计数据", ""},
    {"Z411373", "D411300-ZSJ", "推进官庄工区新能源电池材料项目签约落地", ""},
    {"411381", "", "加快邓州市高标准农田建设项目竣工验收",
     "项目涉及12个乡镇，需逐片验收并报省级抽验"},
    {"411330", "D411300-FGW", "研究解决桐柏县矿产品深加工项目环评批复问题",
     "环评文件需报省生态环境厅审批，含专家评审和公示环节"},
    {"Z411374", "", "推进鸭河工区农村生活污水治理项目建设", ""},
    {"411325", "", "协调解决内乡县食品加工项目天然气管网接入问题", ""},
    {"D411300-FGW", "", "梳理全市拖欠民营企业账款情况并制定清偿计划", ""},
    {"411326", "", "推进淅川县渠首生态保护区环境问题整改", "生态修复需经过一个植物生长期方能验收"},
    {"411322", "D411300-FGW", "督促方城县风电项目升压站建设及并网", ""},
    {"411321", "D411300-ZDXM", "加快南召县抽水蓄能电站进场道路建设",
     "道路穿越山区，冬季施工条件受限"},
    {"411327", "D411300-ZSJ", "推进社旗县赊店古镇文旅项目招商运营", ""},
    {"411329", "", "协调解决新野县纺织服装产业园污水处理厂进水不足问题", ""},
    {"411323", "", "推进西峡县香菇产业园冷链物流中心建设", ""},
    {"D411300-FGW", "D411300-ZDXM", "做好全市重点项目观摩拉练准备工作", ""},
    {"411302", "", "督促宛城区老旧小区改造项目年底前完工",
     "施工受冬季气温影响，外墙保温等工序需错峰推进"},
    {"411303", "", "推进卧龙区城市更新片区征迁扫尾工作", ""},
    {"D411300-ZSJ", "", "跟踪落实粤港澳大湾区招商推介会签约项目", ""},
    {"411381", "D411300-TJJ", "核实邓州市固定资产投资入库项目数据", ""},
};

// 全市经济运行暨重点工作月例会.
constexpr Item kMonthlyItems[] = {
    {"D411300-TJJ", "D411300-FGW", "督促规上工业增速低于全市平均的县（市、区）制定回升措施", ""},
    {"411381", "D411300-TJJ", "督促邓州市规上工业增加值增速回升", ""},
    {"D411300-FGW", "D411300-TJJ", "加快全市固定资产投资入库项目申报", ""},
    {"411324", "", "督促镇平县固定资产投资增速由负转正",
     "投资增速回升依赖新开工项目入库，需跨月统计"},
    {"D411300-ZDXM", "D411300-FGW,D411300-ZSJ", "推进第四季度“三个一批”签约项目落地开工",
     "签约项目落地需完成用地、规划、施工许可等手续"},
    {"D411300-ZSJ", "", "做好年度招商引资目标任务冲刺工作", "招商目标按年度考核，需持续推进至年底"},
    {"411303", "D411300-TJJ", "加强社会消费品零售总额月度调度，落实促消费政策", ""},
    {"D411300-TJJ", "", "开展第四季度主要经济指标预测分析", ""},
    {"D411300-FGW", "", "推进超长期特别国债项目开工建设和资金支付", ""},
    {"411328", "", "督促唐河县一般公共预算收入进度达到序时要求",
     "收入进度按月统计，需持续调度至年底"},
    {"Z411371", "D411300-TJJ", "推进高新区规上工业企业培育入库", ""},
    {"411322", "D411300-TJJ", "督促方城县规上工业企业稳产达效", ""},
};

// 全市重点项目建设专题推进会.
constexpr Item kProjectItems[] = {
    {"D411300-ZDXM", "411302", "协调解决南阳机场改扩建工程配套道路用地问题",
     "用地报批涉及农用地转用和土地征收，需报省政府批准"},
    {"D411300-FGW", "D411300-ZDXM", "督促进度滞后的省重点项目制定赶工计划", ""},
    {"411303", "", "推进卧龙区光电信息产业园基础设施配套建设", ""},
    {"411302", "", "推进宛城区新能源汽车零部件项目设备安装调试", ""},
};

// 规上工业企业稳增长专题会议.
constexpr Item kIndustryItems[] = {
    {"D411300-TJJ", "D411300-FGW", "逐企分析停产减产规上工业企业情况，落实“一企一策”帮扶", ""},
    {"411323", "D411300-FGW", "解决西峡县汽车零部件企业流动资金贷款问题", ""},
    {"411325", "", "协调解决内乡县农牧装备企业用电增容问题", ""},
    {"411329", "", "推动新野县纺织企业扩产项目尽快达产", ""},
};

// 宛城区政府周碰头会.
constexpr Item kWanchengItems[] = {
    {"T411302-02", "", "推进瓦店镇高标准农田建设项目竣工验收", ""},
    {"T411302-03", "", "解决红泥湾镇蔬菜种植基地灌溉用电问题", ""},
    {"T411302-01", "", "推进新华街道老旧小区改造项目收尾", ""},
    {"D411302-FGW", "", "督促区级重点项目完成年度投资目标",
     "年度投资目标按全年统计，需持续调度至年底"},
    {"D411302-TJJ", "", "加强限额以上商贸企业培育入库", ""},
    {"T411302-02", "D411302-FGW", "推进瓦店镇农村生活污水治理项目建设", ""},
};

// How a task has gone by `now` (what happened, on which working day after its clock start).
enum class Sc {
  kFresh,              // assigned, not yet received (not yet due)
  kReceivedOnly,       // received, no plan yet (not yet due)
  kNotReceivedYellow,  // receipt overdue 1–2 working days
  kNotReceivedRed,     // receipt overdue longer
  kOnTrack,            // received, planned, feedback on time
  kFeedbackLate,       // the first feedback overdue 1–2 working days
  kNearDue,            // the completion deadline is today or the next working day
  kOverdue,            // the completion deadline has passed
  kReported,           // reported on time, awaiting acceptance
  kReportedLate,       // reported after the deadline, awaiting acceptance
  kClosed,             // reported on time, accepted
  kClosedLate,         // reported late, accepted
  kReturned,           // reported, returned, reported again (accepted when time allows)
  kCancelled,
  kComplex,        // a long deadline with a reason; feedback on time
  kLapsedYellow,   // a long deadline; the feedback overdue 1–2 working days
  kLapsedRed,      // a long deadline; the feedback overdue longer
  kComplexClosed,  // a long deadline; reported and accepted before it
  kExtended,       // a new deadline set during the work; feedback on time
};

// A task assigned by a leader's instruction or a higher level (the others come from
// decisions).
struct Planned {
  bool wancheng;       // assigned by 宛城区's supervisor
  const char* source;  // instruction | higher
  const char* owner;
  const char* co;
  const char* title;
  Sc sc;
  const char* reason;  // the deadline reason of a complex matter ("" otherwise)
  int urgency_class;   // > 0: profile "urgency" with this completion class
};

constexpr Planned kPlanned[] = {
    // 市发展改革委: reporter_fgw's work in every state.
    {false, "instruction", "D411300-FGW", "", "研究解决南阳东站物流园区项目前期手续办理滞后问题",
     Sc::kFresh, "", 0},
    {false, "instruction", "D411300-FGW", "", "牵头制定全市迎峰度冬能源保供工作方案",
     Sc::kReceivedOnly, "", 0},
    {false, "instruction", "D411300-FGW", "", "推进中心城区城市更新项目申报中央预算内投资",
     Sc::kOnTrack, "", 0},
    {false, "instruction", "D411300-FGW", "411302", "协调解决宛城区光伏企业分布式电站并网问题",
     Sc::kFeedbackLate, "", 0},
    {false, "higher", "D411300-FGW", "", "督促中央预算内投资项目加快资金支付进度", Sc::kOverdue, "",
     0},
    {false, "higher", "D411300-FGW", "", "做好超长期特别国债项目储备和申报工作", Sc::kReported, "",
     0},
    {false, "instruction", "D411300-FGW", "D411300-ZSJ", "梳理全市民间投资项目清单并向社会推介",
     Sc::kComplex, "涉及全市各县（市、区）项目梳理、审核和分批推介，需较长周期", 0},
    {false, "higher", "D411300-FGW", "411329", "核查反映新野县拖欠企业工程款问题", Sc::kClosed, "",
     0},
    // Other city departments.
    {false, "instruction", "D411300-ZSJ", "", "跟踪落实长三角招商推介会签约项目履约情况",
     Sc::kNearDue, "", 0},
    {false, "instruction", "D411300-ZSJ", "", "推进艾草产业链重点企业招商对接", Sc::kClosed, "", 0},
    {false, "higher", "D411300-TJJ", "", "开展规上工业企业统计数据质量核查", Sc::kClosedLate, "",
     0},
    {false, "instruction", "D411300-TJJ", "", "督促新入库“四上”企业及时纳统", Sc::kCancelled, "",
     0},
    {false, "instruction", "D411300-ZDXM", "D411300-FGW", "督促全市重点项目第四季度投资进度",
     Sc::kReturned, "", 0},
    // County-level units and zones.
    {false, "instruction", "411328", "D411300-FGW", "解决唐河县某新材料企业用电增容问题",
     Sc::kOverdue, "", 0},
    {false, "instruction", "411381", "D411300-TJJ", "督促邓州市规上工业增速回升", Sc::kExtended, "",
     0},
    {false, "instruction", "411323", "D411300-FGW", "推进西峡县汽车零部件产业园项目用地报批",
     Sc::kLapsedRed, "用地报批需经省自然资源厅审查并报省政府批准", 0},
    {false, "higher", "411326", "", "落实丹江口库区淅川段水质保护问题整改", Sc::kLapsedYellow,
     "整改涉及入库河流综合治理，工程量大、周期长", 0},
    {false, "instruction", "411324", "", "解决镇平县玉雕产业园企业融资难问题", Sc::kNotReceivedRed,
     "", 0},
    {false, "instruction", "411325", "", "推进内乡县生猪屠宰及肉制品加工项目竣工投产",
     Sc::kReportedLate, "", 0},
    {false, "higher", "411322", "", "推动方城县独树镇风电项目并网发电", Sc::kClosed, "", 0},
    {false, "instruction", "411327", "D411300-ZSJ", "盘活社旗县产业集聚区闲置标准化厂房",
     Sc::kComplexClosed, "需逐一对接意向企业并办理厂房租赁或转让手续", 0},
    {false, "higher", "411329", "", "核查新野县群众反映的企业噪声扰民问题", Sc::kClosed, "", 7},
    {false, "higher", "411330", "", "推进桐柏县绿色矿山建设问题整改", Sc::kComplex,
     "矿山地质环境恢复治理需按季节组织施工", 0},
    {false, "instruction", "411303", "", "解决卧龙区某光电企业项目规划许可办理问题",
     Sc::kNotReceivedYellow, "", 0},
    {false, "instruction", "411302", "", "推进宛城区白河南岸片区防洪工程建设", Sc::kOnTrack, "", 0},
    {false, "instruction", "411302", "", "解决宛城区某食品企业天然气供应不足问题", Sc::kFresh, "",
     3},
    {false, "instruction", "Z411371", "", "推动高新区科技企业孵化器入驻率提升", Sc::kClosed, "", 0},
    {false, "higher", "Z411372", "", "推进示范区公共租赁住房分配入住", Sc::kReceivedOnly, "", 0},
    {false, "higher", "Z411374", "", "推进鸭河工区农村人居环境整治问题整改", Sc::kNearDue, "", 0},
    {false, "instruction", "Z411373", "D411300-ZSJ", "督促官庄工区招商签约项目开工建设",
     Sc::kOnTrack, "", 0},
    {false, "higher", "411321", "", "核查南召县反映的农民工工资拖欠问题", Sc::kCancelled, "", 0},
    // 宛城区: its supervisor to its towns and departments.
    {true, "instruction", "T411302-02", "", "推进瓦店镇秸秆综合利用和禁烧工作", Sc::kFresh, "", 0},
    {true, "instruction", "T411302-02", "", "解决瓦店镇农业合作社冷库用电问题", Sc::kOnTrack, "",
     0},
    {true, "higher", "T411302-02", "", "推进瓦店镇“四好农村路”提质改造项目", Sc::kNearDue, "", 0},
    {true, "higher", "T411302-02", "", "核查瓦店镇群众反映的农村饮水安全问题", Sc::kClosed, "", 0},
    {true, "instruction", "T411302-01", "", "推进新华街道背街小巷环境整治", Sc::kClosed, "", 0},
    {true, "instruction", "T411302-03", "", "推进红泥湾镇设施农业大棚项目建设", Sc::kNotReceivedRed,
     "", 0},
    {true, "higher", "T411302-03", "", "落实红泥湾镇耕地“非农化”问题整改", Sc::kReported, "", 0},
    {true, "instruction", "D411302-FGW", "", "做好宛城区2027年重点项目谋划储备", Sc::kComplex,
     "项目谋划需经论证、入库和区政府审定", 0},
    {true, "instruction", "D411302-TJJ", "", "督促限上企业按时报送统计数据", Sc::kOverdue, "", 0},
    {true, "instruction", "T411302-01", "", "调处新华街道商户反映的停车难问题", Sc::kReceivedOnly,
     "", 0},
};

constexpr const char* kPlans[] = {
    "一是成立由主要负责同志任组长的工作专班，明确责任科室和具体责任人；二是{d1}"
    "前完成现状摸排和问题梳理，形成任务清单；三是{d2}前协调解决关键问题，按期办结并报送办理结果。",
    "1.召开专题会议研究部署，明确时间表和路线图；2.对接市直有关部门，逐项落实办理措施；3."
    "实行周调度、周通报，{d2}前全面完成。",
    "按照“13710”工作要求，实行“一个事项、一名领导、一个专班、一抓到底”，倒排工期、挂图作战，{d1}"
    "前完成阶段性任务，{d2}前办结。",
    "已制定办理方案：分管负责同志牵头，会同配合单位现场办公，逐项研究解决存在的问题，每周向督查室报"
    "送进展，{d2}前报送办结情况。",
};

constexpr const char* kFeedbacks[] = {
    "已召开专题协调会议，明确了责任分工和完成时限，相关工作正在有序推进。",
    "已完成前期摸排，梳理出需协调解决的问题{n}项，已解决{m}项，其余正在推进。",
    "已与省直有关部门对接汇报，申报材料已报送，正在审查中。",
    "现场施工已全面展开，目前完成工程量约{p}%，预计可按期完成。",
    "已形成初步方案并征求有关部门意见，正在根据反馈意见修改完善。",
    "主要负责同志带队现场办公，协调解决了用地、用电等具体问题，后续工作正在推进。",
    "相关手续已办理{m}项，剩余事项已进入审批流程。",
    "已约谈相关企业负责人，督促制定整改计划，正在逐项落实。",
};

constexpr const char* kResults[] = {
    "经全力推进，该事项已办理完毕，达到预期目标。办结情况报告及相关佐证材料已上传。",
    "已按要求完成办理，问题已得到解决，企业（群众）表示满意。相关佐证材料已上传。",
    "各项任务已全部完成，已建立长效机制防止问题反弹。办结报告已上传。",
};

constexpr const char* kAccepts[] = {
    "经核查，办理情况属实，佐证材料齐全，同意办结。",
    "经实地核查，已按要求办结，同意销号。",
    "办理结果符合要求，同意办结，请持续巩固成效。",
};

constexpr const char* kCancelReasons[] = {
    "经研究，该事项已纳入全市重点项目专班统一调度，不再单独督办，予以撤销。",
    "该事项与已交办事项内容重复，予以撤销，并入原事项一并办理。",
};

int Between(Rng& r, int lo, int hi) { return hi <= lo ? lo : r.Int(lo, hi); }

std::string Replace(std::string s, std::string_view key, const std::string& value) {
  for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
    s.replace(at, key.size(), value);
  return s;
}

// ---- The generator ----

enum class Who { kOwner, kSupervisor };

struct Step {
  int day;  // working days after the clock's start day
  std::string kind;
  Who who = Who::kOwner;
  std::string text;
  std::optional<CivilDate> new_deadline;  // kind "deadline"
  std::string reason;                     // kind "deadline"
  std::string file_name;                  // kind "file"
};

struct Built {
  TaskRecord task;
  std::vector<TaskEvent> events;
  std::vector<std::pair<TaskFile, std::string>> files;
};

class Generator {
 public:
  Generator(const std::vector<DemoUnit>& units, const std::map<std::string, int64_t>& users,
            int64_t now)
      : cal_(supervision::OfficialCalendar()), now_(now), today_(ToCivil(now, kOffset)) {
    for (const DemoUnit& u : units) by_code_[u.code] = &u;
    auto user = [&](const char* name) -> std::optional<int64_t> {
      auto it = users.find(name);
      if (it == users.end()) return std::nullopt;
      return it->second;
    };
    supervisor_ = user("supervisor");
    supervisor_wancheng_ = user("supervisor_wancheng");
    // The demo reporters of the units that have one.
    for (auto [name, code] :
         {std::pair{"reporter_fgw", "D411300-FGW"}, std::pair{"reporter_wancheng", "411302"},
          std::pair{"reporter_town", "T411302-02"}}) {
      if (auto id = user(name)) reporter_of_[code] = *id;
    }
    for (CivilDate d = today_; static_cast<int>(days_.size()) < kHistoryDays; d = AddDays(d, -1)) {
      if (supervision::IsWorkingDay(cal_, d)) days_.push_back(d);
    }
  }

  BulkData Run() {
    BulkData out;
    const DemoUnit* city = Unit(kCity);
    if (city == nullptr) return out;
    const bool city_tasks = supervisor_.has_value() && Unit(kCityDcs) != nullptr;
    const bool wancheng_tasks = supervisor_wancheng_.has_value() && Unit(kWancheng) != nullptr;
    MakeMeetings(out, city_tasks, wancheng_tasks);
    for (const Planned& p : kPlanned) {
      if (p.wancheng ? !wancheng_tasks : !city_tasks) continue;
      PlannedTask(p);
    }
    // Codes in order of assignment.
    std::stable_sort(built_.begin(), built_.end(), [](const Built& a, const Built& b) {
      return a.task.assigned_at < b.task.assigned_at;
    });
    std::map<int, int> seq;
    for (Built& b : built_) {
      int year = ToCivil(b.task.assigned_at, kOffset).year;
      char code[32];
      std::snprintf(code, sizeof code, "DB%d-%04d", year, ++seq[year]);
      b.task.code = code;
      out.tasks.push_back(std::move(b.task));
      out.events.push_back(std::move(b.events));
      out.files.push_back(std::move(b.files));
    }
    return out;
  }

 private:
  const DemoUnit* Unit(const std::string& code) const {
    auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : it->second;
  }

  // The working day `n` working days before the latest one on or before today.
  CivilDate PastDay(int n) const { return days_[std::clamp(n, 0, kHistoryDays - 1)]; }

  CivilDate NextWorkingDay(const CivilDate& d) const {
    return supervision::AddWorkingDays(cal_, AddDays(d, 1), 0);
  }

  // A time on working day `d` after `after` (and not after now), in office hours: the
  // first action of a day between 08:30 and 14:30, a later one 3–30 minutes after the
  // previous. nullopt when the day has no such time left.
  std::optional<int64_t> TimeOn(const CivilDate& d, int64_t after, Rng& r) const {
    const int64_t day_lo = At(d, kOfficeStart);
    const int64_t day_hi = std::min(At(d, kOfficeEnd), now_);
    int64_t from = after < day_lo ? day_lo : after + 3 * kMinute;
    int64_t to = after < day_lo ? At(d, 14 * 60 + 30) : after + 30 * kMinute;
    to = std::min(to, day_hi);
    if (from > to) {
      from = std::max(day_lo, after + kMinute);
      if (from > day_hi) return std::nullopt;
      to = from;
    }
    return from + r.Int64(0, (to - from) / kMinute) * kMinute;
  }

  // An assignment whose clock starts `k` working days before today's last working day:
  // before 17:30 on that day, or (~15%) after 17:30 on the working day before it. On today,
  // only before now; when today has no time left, the evening before.
  int64_t AssignAt(int k, Rng& r) const {
    const bool late = r.Chance(0.15);
    CivilDate d = PastDay(late ? k + 1 : k);
    int64_t at =
        late ? At(d, r.Int(17 * 60 + 32, 17 * 60 + 58)) : At(d, r.Int(8 * 60 + 40, 17 * 60 + 20));
    if (at <= now_) return at;
    // Only today can be after now.
    const int64_t lo = At(d, 8 * 60 + 40);
    if (lo < now_ - kMinute) return lo + r.Int64(0, (now_ - kMinute - lo) / kMinute) * kMinute;
    return At(PastDay(k + 1), r.Int(17 * 60 + 35, 17 * 60 + 58));
  }

  static std::string Ref(const char* prefix, const CivilDate& d, int per_year, Rng& r) {
    return std::string(prefix) + "〔" + Num(d.year) + "〕" +
           Num(DayOfYear(d) * per_year / 365 + r.Int(1, 3)) + "号";
  }

  // ---- Meetings ----

  struct MeetingPlan {
    std::string kind;  // weekly | monthly | special
    bool wancheng = false;
    int topic = 0;  // special: 0 projects, 1 industry
    CivilDate held_on{};
  };

  std::vector<MeetingPlan> PlanMeetings(bool city, bool wancheng) const {
    std::vector<MeetingPlan> plans;
    std::vector<CivilDate> weekly;
    // The first Monday–Friday working day of each week, before today.
    const int64_t monday = DaysFromCivil(today_) - (static_cast<int>(DayOfWeek(today_)) - 1);
    for (int w = 0; w < 20 && weekly.size() < 6; ++w) {
      for (int i = 0; i < 5; ++i) {
        CivilDate d = CivilFromDays(monday - 7 * w + i);
        if (!supervision::IsWorkingDay(cal_, d)) continue;
        if (Before(d, today_)) weekly.push_back(d);
        break;
      }
    }
    if (city) {
      for (const CivilDate& d : weekly) plans.push_back({"weekly", false, 0, d});
      // 月例会: the first Monday–Friday working day on or after the 15th.
      int found = 0;
      for (int m = 0; m < 6 && found < 3; ++m) {
        int month = today_.month - m, year = today_.year;
        while (month < 1) {
          month += 12;
          --year;
        }
        CivilDate d{year, month, 15};
        while (!supervision::IsWorkingDay(cal_, d) || static_cast<int>(DayOfWeek(d)) > 5)
          d = AddDays(d, 1);
        if (!Before(d, today_)) continue;
        plans.push_back({"monthly", false, 0, d});
        ++found;
      }
      plans.push_back({"special", false, 0, PastDay(37)});
      plans.push_back({"special", false, 1, PastDay(18)});
    }
    if (wancheng) {
      int found = 0;
      for (const CivilDate& d : weekly) {
        CivilDate next = NextWorkingDay(d);
        if (!Before(next, today_) || found == 2) continue;
        plans.push_back({"weekly", true, 0, next});
        ++found;
      }
    }
    std::stable_sort(plans.begin(), plans.end(), [](const MeetingPlan& a, const MeetingPlan& b) {
      return Before(a.held_on, b.held_on);
    });
    return plans;
  }

  void MakeMeetings(BulkData& out, bool city, bool wancheng) {
    std::vector<MeetingPlan> plans = PlanMeetings(city, wancheng);
    // Which meeting of its kind is the newest (its decisions are partly not yet tasks).
    std::map<std::string, size_t> newest;
    for (size_t i = 0; i < plans.size(); ++i) {
      newest[plans[i].kind + (plans[i].wancheng ? "/wancheng" : "") + Num(plans[i].topic)] = i;
    }
    size_t next_weekly = 0, next_monthly = 0, next_wancheng = 0;
    for (size_t i = 0; i < plans.size(); ++i) {
      const MeetingPlan& p = plans[i];
      Rng r = Stream(kSeed, "meeting", p.kind + (p.wancheng ? "w" : "c"), DaysFromCivil(p.held_on));
      std::vector<const Item*> items;
      if (p.wancheng) {
        for (int n = 0; n < 3 && next_wancheng < std::size(kWanchengItems); ++n)
          items.push_back(&kWanchengItems[next_wancheng++]);
      } else if (p.kind == "weekly") {
        int n = r.Int(2, 3);
        for (int j = 0; j < n && next_weekly < std::size(kWeeklyItems); ++j)
          items.push_back(&kWeeklyItems[next_weekly++]);
      } else if (p.kind == "monthly") {
        int n = r.Int(3, 4);
        for (int j = 0; j < n && next_monthly < std::size(kMonthlyItems); ++j)
          items.push_back(&kMonthlyItems[next_monthly++]);
      } else {
        const Item* pool = p.topic == 0 ? kProjectItems : kIndustryItems;
        int n = r.Int(3, 4);
        for (int j = 0; j < n; ++j) items.push_back(&pool[j]);
      }
      // Only decisions whose units exist.
      std::erase_if(items, [&](const Item* it) {
        if (Unit(it->owner) == nullptr) return true;
        for (const std::string& c : SplitCodes(it->co))
          if (Unit(c) == nullptr) return true;
        return false;
      });
      if (items.empty()) continue;
      const bool is_newest = newest[p.kind + (p.wancheng ? "/wancheng" : "") + Num(p.topic)] == i;
      MakeMeeting(out, p, items, is_newest, r);
    }
  }

  void MakeMeeting(BulkData& out, const MeetingPlan& p, const std::vector<const Item*>& items,
                   bool is_newest, Rng& r) {
    const DemoUnit* convener = Unit(p.wancheng ? kWancheng : kCity);
    Meeting m;
    m.kind = p.kind;
    m.held_on = p.held_on;
    m.unit_id = convener->id;
    m.status = "published";
    m.created_by = p.wancheng ? *supervisor_wancheng_ : *supervisor_;
    m.created_at = At(p.held_on, r.Int(11 * 60 + 30, 14 * 60));
    m.updated_at = m.created_at;
    const std::string date = YearMonthDay(p.held_on);
    std::string intro;
    if (p.wancheng) {
      m.title = "宛城区政府周碰头会（" + date + "）";
      m.place = "宛城区政府三楼会议室";
      m.chair = "李区长";
      m.attendees =
          "区政府办公室、区发展改革委、区统计局、区委督查室负责同志；各乡镇（街道）主要负责同志";
      intro = MonthDay(p.held_on) +
              "，李区长主持召开区政府周碰头会。会议听取了区发展改革委关于区级重点项目推进情况的汇报"
              "，听取了";
    } else if (p.kind == "weekly") {
      m.title = "市政府周碰头会（" + date + "）";
      m.place = "市行政中心第一会议室";
      m.chair = "王市长";
      m.attendees =
          "市政府副秘书长，市发展改革委、市统计局、市投资促进中心、市重点项目建设推进专班、市委督查"
          "室负责同志；各县（市、区）政府、开发区管委会分管负责同志";
      intro = MonthDay(p.held_on) +
              "，王市长主持召开市政府周碰头会。会议听取了市发展改革委关于全市重点项目建设和“三个一"
              "批”活动推进情况的汇报，听取了";
    } else if (p.kind == "monthly") {
      const int prev = p.held_on.month == 1 ? 12 : p.held_on.month - 1;
      m.title =
          Num(p.held_on.year) + "年" + Num(p.held_on.month) + "月全市经济运行暨重点工作月例会";
      m.place = "市行政中心第一会议室";
      m.chair = "王市长";
      m.attendees =
          "市政府领导班子成员；各县（市、区）政府、开发区管委会主要负责同志；市直有关部门主要负责同"
          "志";
      intro = MonthDay(p.held_on) +
              "，王市长主持召开全市经济运行暨重点工作月例会。会议听取了市统计局关于" + Num(prev) +
              "月份全市主要经济指标完成情况的汇报，听取了市发展改革委关于固定资产投资和重点项目建设"
              "情况的汇报，听取了";
    } else if (p.topic == 0) {
      m.title = "全市重点项目建设专题推进会（" + date + "）";
      m.place = "市行政中心第三会议室";
      m.chair = "常务副市长 赵文博";
      m.attendees =
          "市重点项目建设推进专班、市发展改革委、市投资促进中心负责同志；有关县（市、区）政府分管负"
          "责同志";
      intro = MonthDay(p.held_on) +
              "，常务副市长赵文博主持召开全市重点项目建设专题推进会。会议听取了市重点项目建设推进专"
              "班关于全市重点项目建设进展情况的汇报，听取了";
    } else {
      m.title = "规上工业企业稳增长专题会议（" + date + "）";
      m.place = "市行政中心第三会议室";
      m.chair = "常务副市长 赵文博";
      m.attendees =
          "市统计局、市发展改革委负责同志；有关县（市、区）政府分管负责同志及重点企业负责人";
      intro = MonthDay(p.held_on) +
              "，常务副市长赵文博主持召开规上工业企业稳增长专题会议。会议听取了市统计局关于规上工业"
              "运行情况的汇报，听取了";
    }
    // The units that reported: the decisions' owners.
    std::vector<std::string> reporters;
    for (const Item* it : items) {
      std::string name = Unit(it->owner)->name;
      if (std::find(reporters.begin(), reporters.end(), name) == reporters.end())
        reporters.push_back(name);
    }
    std::string joined;
    for (size_t i = 0; i < reporters.size() && i < 3; ++i) joined += (i ? "、" : "") + reporters[i];
    static const char* kClosings[] = {
        "当前已进入全年工作冲刺阶段，各责任单位要锚定年度目标任务，坚持问题导向，压实工作责任，确保"
        "议定事项按期落地见效",
        "各责任单位要按照13710工作机制，即交即办、限时办结，市委督查室要跟踪督办，对逾期未办结的按"
        "规定通报",
        "要坚持项目为王、企业为要，主要负责同志亲自研究、亲自协调，确保问题解决在基层、化解在萌芽",
    };
    m.minutes = intro + joined + "等单位关于有关工作推进情况的汇报，研究了" +
                Num(static_cast<int64_t>(items.size())) + "项需要协调解决的问题。会议强调，" +
                r.Pick(kClosings) + "。会议议定如下事项：";
    const int64_t meeting_pos = static_cast<int64_t>(out.meetings.size());
    // The newest meetings: the last 1–2 decisions are not yet tasks.
    size_t pending = 0;
    if (is_newest && p.kind != "special") {
      pending = (p.kind == "weekly" && !p.wancheng) ? static_cast<size_t>(r.Int(1, 2)) : 1;
      pending = std::min(pending, items.size() - 1);
    }
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& it = *items[i];
      Decision d;
      d.seq = static_cast<int>(i + 1);
      d.text = it.text;
      d.owner_unit_id = Unit(it.owner)->id;
      const bool complex = it.reason[0] != '\0';
      if (complex) {
        d.deadline = MonthEnd(AddDays(p.held_on, r.Int(40, 70)));
      } else if (r.Chance(0.5)) {
        d.deadline = supervision::AddWorkingDays(cal_, p.held_on, 10);
      }
      m.minutes += "\n" + std::string(ChineseNumeral(i)) + "、" + it.text + "。由" +
                   Unit(it.owner)->name + "牵头负责";
      std::string co_names;
      for (const std::string& c : SplitCodes(it.co))
        co_names += (co_names.empty() ? "" : "、") + Unit(c)->name;
      if (!co_names.empty()) m.minutes += "，" + co_names + "配合";
      m.minutes += d.deadline ? "，" + YearMonthDay(*d.deadline) + "前办结。"
                              : "，按13710工作机制限时办结。";
      m.decisions.push_back(d);
      if (i + pending >= items.size()) continue;
      MeetingTask(m, meeting_pos, static_cast<int64_t>(i), it, p.wancheng);
    }
    out.meetings.push_back(std::move(m));
  }

  // A decision becomes a task the afternoon of the meeting or the next working morning.
  void MeetingTask(const Meeting& m, int64_t meeting_pos, int64_t decision_pos, const Item& it,
                   bool wancheng) {
    Rng r = Stream(kSeed, "decision", it.text, DaysFromCivil(m.held_on));
    int64_t assigned_at =
        r.Chance(0.3) ? At(NextWorkingDay(m.held_on), r.Int(8 * 60 + 40, 11 * 60)) : now_ + 1;
    if (assigned_at > now_) {
      assigned_at = r.Chance(0.2) ? At(m.held_on, r.Int(17 * 60 + 32, 17 * 60 + 58))
                                  : At(m.held_on, r.Int(14 * 60 + 30, 17 * 60 + 20));
    }
    const Decision& d = m.decisions[static_cast<size_t>(decision_pos)];
    Built b;
    TaskRecord& t = b.task;
    t.title = it.text;
    t.source = "meeting";
    t.source_ref = m.title;
    t.meeting_id = meeting_pos;
    t.decision_id = decision_pos;
    t.owner_unit_id = Unit(it.owner)->id;
    for (const std::string& c : SplitCodes(it.co)) t.co_unit_ids.push_back(Unit(c)->id);
    t.deadline = d.deadline;
    const bool complex = it.reason[0] != '\0';
    if (complex) t.deadline_reason = std::string("按会议议定时限办理：") + it.reason + "。";
    t.description = m.title + "议定：" + it.text + "。由" + Unit(it.owner)->name + "牵头" +
                    CoText(t) +
                    (d.deadline ? "，" + YearMonthDay(*d.deadline) + "前办结。"
                                : "，按13710工作机制限时办结。");
    t.assigned_at = assigned_at;
    // How it has gone depends on its age.
    const CivilDate start = ClockStart(t);
    const int k = static_cast<int>(supervision::WorkingDaysBetween(cal_, start, today_));
    const int c = CompletionDays(t, start);
    Finish(b, PickByAge(k, c, complex, r), wancheng, r);
  }

  static Sc PickByAge(int k, int c, bool complex, Rng& r) {
    if (k < 0) return Sc::kFresh;
    if (k == 0) return r.Chance(0.5) ? Sc::kFresh : Sc::kReceivedOnly;
    const double u = r.Unit();
    if (k > c) {
      if (complex) return u < 0.85 ? Sc::kComplexClosed : Sc::kOverdue;
      if (u < 0.64) return Sc::kClosed;
      if (u < 0.78 && k >= c + 3) return Sc::kClosedLate;
      if (u < 0.86 && k <= c + 3) return Sc::kReported;
      if (u < 0.86 && k <= c + 6) return Sc::kReportedLate;
      if (u < 0.86) return Sc::kClosed;
      return Sc::kOverdue;
    }
    if (k >= c - 1) return u < 0.6 || k < 5 ? Sc::kNearDue : Sc::kReported;
    if (k <= 2) return u < 0.7 ? Sc::kReceivedOnly : Sc::kOnTrack;
    if (complex) {
      if (k >= 22 && u < 0.2) return Sc::kComplexClosed;
      if (k >= 14 && u < 0.3) return Sc::kLapsedYellow;
      if (k >= 18 && u < 0.38) return Sc::kLapsedRed;
      return Sc::kOnTrack;
    }
    if (u < 0.2 && k >= 4 && k <= 5) return Sc::kFeedbackLate;
    if (u < 0.35 && k >= 5) return Sc::kReported;
    return Sc::kOnTrack;
  }

  // The working days after the clock start within which a scenario leaves the task.
  static int AgeFor(Sc sc, Rng& r) {
    switch (sc) {
      case Sc::kFresh:
        return 0;
      case Sc::kReceivedOnly:
        return r.Int(1, 2);
      case Sc::kNotReceivedYellow:
        return r.Int(1, 2);
      case Sc::kNotReceivedRed:
        return r.Int(4, 8);
      case Sc::kOnTrack:
        return r.Int(3, 7);
      case Sc::kFeedbackLate:
        return r.Int(4, 5);
      case Sc::kNearDue:
        return r.Int(9, 10);
      case Sc::kOverdue:
        return r.Int(12, 28);
      case Sc::kReported:
        return r.Int(6, 11);
      case Sc::kReportedLate:
        return r.Int(12, 15);
      case Sc::kClosed:
        return r.Int(12, 60);
      case Sc::kClosedLate:
        return r.Int(16, 60);
      case Sc::kReturned:
        return r.Int(12, 40);
      case Sc::kCancelled:
        return r.Int(6, 45);
      case Sc::kComplex:
        return r.Int(15, 45);
      case Sc::kLapsedYellow:
        return r.Int(20, 45);
      case Sc::kLapsedRed:
        return r.Int(20, 45);
      case Sc::kComplexClosed:
        return r.Int(25, 60);
      case Sc::kExtended:
        return r.Int(12, 30);
    }
    return 0;
  }

  void PlannedTask(const Planned& p) {
    if (Unit(p.owner) == nullptr) return;
    for (const std::string& c : SplitCodes(p.co))
      if (Unit(c) == nullptr) return;
    Rng r = Stream(kSeed, "task", p.title);
    const int k = AgeFor(p.sc, r);
    Built b;
    TaskRecord& t = b.task;
    t.title = p.title;
    t.source = p.source;
    t.owner_unit_id = Unit(p.owner)->id;
    for (const std::string& c : SplitCodes(p.co)) t.co_unit_ids.push_back(Unit(c)->id);
    if (p.urgency_class > 0) {
      t.profile = "urgency";
      t.completion_class = p.urgency_class;
    }
    t.assigned_at = AssignAt(k, r);
    const CivilDate on = ToCivil(t.assigned_at, kOffset);
    const std::string owner = Unit(p.owner)->name;
    if (std::string_view(p.source) == "instruction") {
      const char* leader = p.wancheng ? "李区长" : "王市长";
      t.source_ref = Ref(p.wancheng ? "李区长批示" : "王市长批示", on, 60, r);
      t.description = std::string(leader) + "批示：“请督查室督促" + owner +
                      "抓紧研究解决，限期办结，结果报我。”请" + owner + "牵头" + CoText(t) +
                      "，按13710工作机制抓好落实，及时反馈办理进展。";
    } else {
      t.source_ref = Ref(p.wancheng ? "南督" : "豫督", on, 40, r);
      t.description = std::string(p.wancheng ? "市委督查室" : "省委督查室") + "督查通知（" +
                      t.source_ref + "）交办：" + p.title + "。请" + owner + "牵头" + CoText(t) +
                      "，按要求办理并报送结果。";
    }
    if (p.urgency_class > 0)
      t.description += "此件为紧急事项，限" + Num(p.urgency_class) + "个工作日内办结。";
    const CivilDate start = ClockStart(t);
    if (p.reason[0] != '\0') {
      // A complex matter: a long deadline (a month end) set at assignment, with its reason.
      CivilDate due = supervision::AddWorkingDays(cal_, start, r.Int(30, 50));
      if (p.sc != Sc::kComplexClosed) {
        CivilDate soon = supervision::AddWorkingDays(cal_, today_, 8);
        if (Before(due, soon)) due = soon;
      }
      t.deadline = MonthEnd(due);
      t.deadline_reason =
          std::string(p.reason) + "，经研究确定" + YearMonthDay(*t.deadline) + "前办结。";
    }
    Finish(b, p.sc, p.wancheng, r);
  }

  std::string CoText(const TaskRecord& t) const {
    if (t.co_unit_ids.empty()) return "";
    std::string names;
    for (int64_t id : t.co_unit_ids) {
      for (const auto& [code, u] : by_code_) {
        if (u->id == id) names += (names.empty() ? "" : "、") + u->name;
      }
    }
    return "，" + names + "配合";
  }

  CivilDate ClockStart(const TaskRecord& t) const {
    return supervision::ClockStartDay(cal_, t.assigned_at, kOfficeEndRule, kOffset);
  }

  // Working days from the clock start to the completion deadline in force.
  int CompletionDays(const TaskRecord& t, const CivilDate& start) const {
    CivilDate due = t.deadline ? *t.deadline
                               : supervision::AddWorkingDays(
                                     cal_, start, t.completion_class > 0 ? t.completion_class : 10);
    return static_cast<int>(supervision::WorkingDaysBetween(cal_, start, due));
  }

  // The task's steps by its scenario, then played up to now.
  void Finish(Built& b, Sc sc, bool wancheng, Rng& r) {
    TaskRecord& t = b.task;
    const DemoUnit* assigner = Unit(wancheng ? kWancheng : kCityDcs);
    t.unit_id = assigner->id;
    t.assigned_by = wancheng ? *supervisor_wancheng_ : *supervisor_;
    t.created_at = t.assigned_at;
    const CivilDate start = ClockStart(t);
    const int k = static_cast<int>(supervision::WorkingDaysBetween(cal_, start, today_));
    const int c = CompletionDays(t, start);
    const bool history = sc == Sc::kClosed || sc == Sc::kClosedLate || sc == Sc::kComplexClosed;
    const int rcv = history && r.Chance(0.12) ? 1 : 0;
    const int plan = history && r.Chance(0.12) ? 4 : r.Int(1, 2);
    const int first_feedback = std::max(plan, r.Int(2, 3));

    std::vector<Step> steps;
    auto add = [&](int day, const char* kind, Who who = Who::kOwner) -> Step& {
      steps.push_back({day, kind, who, "", std::nullopt, "", ""});
      return steps.back();
    };
    // Feedback from the first one every 5–7 working days, up to `last` (inclusive); with
    // `exact`, the last one is on `last` itself.
    auto feedback = [&](int last, bool exact) {
      if (last < first_feedback) return;
      int day = first_feedback;
      add(day, "feedback");
      while (day + 7 < last || (!exact && day + 7 <= last)) {
        day += r.Int(5, 7);
        if (day > last) break;
        add(day, "feedback");
      }
      if (exact && day < last) add(last, "feedback");
    };
    auto evidence = [&](int day, bool supplement) {
      static const char* kPdfs[] = {"办结情况报告.pdf", "工作完成情况报告.pdf"};
      static const char* kTxts[] = {"情况说明.txt", "现场核查情况说明.txt", "整改完成情况说明.txt"};
      if (supplement) {
        add(day, "file").file_name = "补充佐证材料.pdf";
        return;
      }
      const int kind = r.Int(0, 2);  // 0: pdf, 1: txt, 2: both
      if (kind != 1) add(day, "file").file_name = r.Pick(kPdfs);
      if (kind != 0) add(day, "file").file_name = r.Pick(kTxts);
    };
    auto report = [&](int day) {
      evidence(day, false);
      add(day, "reported");
    };
    auto accept = [&](int day) { add(day, "accepted", Who::kSupervisor); };
    auto begin = [&]() {
      add(rcv, "received");
      add(plan, "plan");
    };

    switch (sc) {
      case Sc::kFresh:
      case Sc::kNotReceivedYellow:
      case Sc::kNotReceivedRed:
        break;
      case Sc::kReceivedOnly:
        add(0, "received");
        break;
      case Sc::kOnTrack:
      case Sc::kNearDue:
      case Sc::kComplex:
        begin();
        feedback(k, false);
        break;
      case Sc::kFeedbackLate:
        begin();
        break;
      case Sc::kOverdue:
        begin();
        feedback(k - r.Int(0, 5), false);
        break;
      case Sc::kLapsedYellow:
        begin();
        feedback(k - 7 - r.Int(1, 2), true);
        break;
      case Sc::kLapsedRed:
        begin();
        feedback(k - 7 - r.Int(4, 8), true);
        break;
      case Sc::kReported:
      case Sc::kReportedLate: {
        // Before today, so that it has happened whatever the time of day.
        int day = sc == Sc::kReported ? std::max(std::min(5, c), std::min(k - 1, c) - r.Int(0, 2))
                                      : std::max(c + 1, k - 1 - r.Int(0, 1));
        begin();
        feedback(day - 1, false);
        report(day);
        break;
      }
      case Sc::kClosed:
      case Sc::kClosedLate:
      case Sc::kComplexClosed: {
        int day;
        if (sc == Sc::kClosed) {
          day = r.Int(std::min(5, c), c);
        } else if (sc == Sc::kClosedLate) {
          day = c + r.Int(1, 4);
        } else {
          day = Between(r, std::max(8, std::min(c, k) / 2), std::min(c, k - 1));
        }
        day = std::min(day, k - 1);
        begin();
        feedback(day - 1, false);
        report(day);
        accept(std::min(k, day + r.Int(1, 3)));
        break;
      }
      case Sc::kReturned: {
        int first = r.Int(5, 6), back = first + 1, again = first + r.Int(2, 3);
        begin();
        feedback(first - 1, false);
        report(first);
        add(back, "returned", Who::kSupervisor).text =
            "佐证材料不完整，缺少有关部门的批复文件和现场照片，请补充完善后重新报结。";
        evidence(again, true);
        add(again, "reported");
        accept(std::min(k, again + r.Int(1, 2)));
        break;
      }
      case Sc::kCancelled:
        add(0, "received");
        if (r.Chance(0.5)) add(1, "plan");
        add(r.Int(2, 4), "cancelled", Who::kSupervisor).text = r.Pick(kCancelReasons);
        break;
      case Sc::kExtended: {
        begin();
        feedback(k, false);
        const int day = r.Int(7, 9);
        CivilDate due = supervision::AddWorkingDays(cal_, start, r.Int(30, 40));
        CivilDate soon = supervision::AddWorkingDays(cal_, today_, 8);
        if (Before(due, soon)) due = soon;
        Step& s = add(day, "deadline", Who::kSupervisor);
        s.new_deadline = MonthEnd(due);
        s.reason = "该事项涉及企业技术改造和新增产能释放，需跨月统计才能反映成效，经" +
                   Unit(wancheng ? kWancheng : kCityDcs)->name + "研究，同意调整办结期限。";
        break;
      }
    }
    std::stable_sort(steps.begin(), steps.end(),
                     [](const Step& a, const Step& b) { return a.day < b.day; });
    Play(b, steps, start, c, wancheng, r);
  }

  // Turns the steps into events at times in office hours, in order, stopping at the first
  // that would fall after now; then sets the record from what happened.
  void Play(Built& b, const std::vector<Step>& steps, const CivilDate& start, int c, bool wancheng,
            Rng& r) {
    TaskRecord& t = b.task;
    const DemoUnit* owner = nullptr;
    for (const auto& [code, u] : by_code_)
      if (u->id == t.owner_unit_id) owner = u;
    const DemoUnit* assigner = Unit(wancheng ? kWancheng : kCityDcs);
    std::optional<int64_t> owner_user;
    if (auto it = reporter_of_.find(owner->code); it != reporter_of_.end()) owner_user = it->second;
    const int64_t supervisor = t.assigned_by;

    auto event = [&](const std::string& kind, const std::string& text, Who who, int64_t at) {
      TaskEvent e;
      e.kind = kind;
      e.text = text;
      e.user_id = who == Who::kOwner ? owner_user : std::optional<int64_t>(supervisor);
      e.unit_id = who == Who::kOwner ? owner->id : assigner->id;
      e.at = at;
      b.events.push_back(std::move(e));
    };
    // As the service words it: the source, then the completion deadline in force.
    const CivilDate due = t.deadline ? *t.deadline : supervision::AddWorkingDays(cal_, start, c);
    const char* source = t.source == "meeting"       ? "会议议定"
                         : t.source == "instruction" ? "领导批示"
                                                     : "上级交办";
    event("assigned",
          std::string(source) + "（" + t.source_ref + "）；办结期限" + YearMonthDay(due),
          Who::kSupervisor, t.assigned_at);

    int64_t prev = t.assigned_at;
    bool returned = false;
    for (const Step& s : steps) {
      std::optional<int64_t> at = TimeOn(supervision::AddWorkingDays(cal_, start, s.day), prev, r);
      if (!at) break;
      prev = *at;
      std::string text = s.text;
      if (s.kind == "received") {
        text = "已签收，即安排专人办理。";
        t.received_at = *at;
        t.state = supervision::kReceived;
      } else if (s.kind == "plan") {
        text =
            Replace(Replace(r.Pick(kPlans), "{d1}",
                            MonthDay(supervision::AddWorkingDays(cal_, start, std::max(1, c / 2)))),
                    "{d2}", MonthDay(due));
        t.plan = text;
        t.planned_at = *at;
        t.state = supervision::kInProgress;
      } else if (s.kind == "feedback") {
        text = Replace(
            Replace(Replace(r.Pick(kFeedbacks), "{n}", Num(r.Int(4, 9))), "{m}", Num(r.Int(1, 3))),
            "{p}", Num(r.Int(35, 85)));
      } else if (s.kind == "file") {
        const std::string when = YearMonthDay(ToCivil(*at, kOffset));
        std::string bytes;
        TaskFile f;
        f.name = s.file_name;
        if (s.file_name.ends_with(".pdf")) {
          bytes = MakePdf(
              "关于" + t.title + "的办结情况报告",
              {assigner->name + "：",
               "按照督办要求，我单位高度重视，成立工作专班，倒排工期、逐项推进。" + t.title +
                   "相关工作已按期完成，现将有关情况报告如下：一是主要任务已全部完成；二是相关手续"
                   "已办理完毕；三是已建立长效工作机制。",
               "附件：现场照片及有关批复文件（略）", owner->name, when});
        } else {
          bytes = "关于" + t.title + "的情况说明\n\n" + assigner->name + "：\n\n    " + t.title +
                  "一事，我单位已按要求办理完毕。经现场核查，相关问题已整改到位，群众和企业反映良好"
                  "。\n\n    特此说明。\n\n" +
                  owner->name + "\n" + when + "\n";
        }
        // The type the service stores for it (from the extension, checked against the bytes).
        f.content_type =
            supervision::CheckEvidenceFile(f.name, bytes, {}).value_or("application/octet-stream");
        f.size = static_cast<int64_t>(bytes.size());
        f.sha256 = auth::Sha256Hex(bytes);
        f.user_id = owner_user.value_or(0);
        f.unit_id = owner->id;
        f.at = *at;
        text = f.name;
        b.files.emplace_back(std::move(f), std::move(bytes));
      } else if (s.kind == "reported") {
        text = r.Pick(kResults);
        if (returned) text = "已按退回意见补充有关部门批复文件和现场照片，现重新报结。" + text;
        t.result = text;
        t.reported_at = *at;
        t.state = supervision::kReported;
      } else if (s.kind == "returned") {
        returned = true;
        t.reported_at.reset();
        t.state = supervision::kInProgress;
      } else if (s.kind == "accepted") {
        text = r.Pick(kAccepts);
        t.closed_at = *at;
        t.state = supervision::kClosed;
      } else if (s.kind == "cancelled") {
        t.cancel_reason = text;
        t.closed_at = *at;
        t.state = supervision::kCancelled;
      } else if (s.kind == "deadline") {
        text = "办结期限调整为" + YearMonthDay(*s.new_deadline) + "：" + s.reason;
        t.deadline = s.new_deadline;
        t.deadline_reason = s.reason;
      }
      event(s.kind, text, s.who, *at);
    }
    t.updated_at = b.events.back().at;
    built_.push_back(std::move(b));
  }

  const Calendar& cal_;
  const int64_t now_;
  const CivilDate today_;
  std::map<std::string, const DemoUnit*> by_code_;
  std::optional<int64_t> supervisor_, supervisor_wancheng_;
  std::map<std::string, int64_t> reporter_of_;
  std::vector<CivilDate> days_;  // working days on or before today, newest first
  std::vector<Built> built_;
};

}  // namespace

BulkData GenerateNanyangSupervision(const std::vector<DemoUnit>& units,
                                    const std::map<std::string, int64_t>& users, int64_t now) {
  return Generator(units, users, now).Run();
}

}  // namespace tiaodu::app
