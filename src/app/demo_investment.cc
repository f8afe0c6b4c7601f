#include "app/demo_investment.h"
#include "app/demo_random.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/decimal.h"
#include "base/period.h"
#include "base/validators.h"
#include "investment/rules.h"

namespace tiaodu::app {
namespace {

using investment::Activity;
using investment::BulkData;
using investment::Chain;
using investment::Company;
using investment::Contract;
using investment::kLeadStages;
using investment::Lead;
using investment::Segment;
using investment::Target;

// Amounts are integers counting cents of 亿元 (0.01亿元 = 100万元, the precision contracts are
// reported in); one cent is 10,000 raw millionths of a Decimal.
constexpr int64_t kRawPerCent = 10'000;
Decimal Cents(int64_t cents) { return Decimal::FromRaw(cents * kRawPerCent); }
int64_t Round(double x) { return static_cast<int64_t>(std::llround(x)); }

// ---- The published figures ----

constexpr std::string_view kWolong = "411303";
constexpr std::string_view kGuanzhuang = "Z411373";

struct PinnedUnit {
  std::string_view code;
  CivilDate from, to;            // the published range
  int signed_projects;           // leads reaching 签约 within it
  int64_t cents;                 // contracts dated within it
  CivilDate needs_today;         // pinned only when today is on or after this date
  int other_signed, open, lost;  // the unit's other leads
};

constexpr PinnedUnit kPinned[] = {
    {kWolong, {2024, 1, 1}, {2024, 6, 30}, 48, 24'380, {2024, 7, 1}, 36, 6, 5},
    {kGuanzhuang, {2022, 1, 1}, {2022, 12, 31}, 37, 76'903, {2023, 1, 1}, 14, 4, 4},
};
constexpr int kOtherLeads = 136;  // over the other county-level units
constexpr int kCityLeads = 10;    // the city's own (市投资促进中心)
constexpr int kProvinceBigUnit = 5000;

// ---- Deterministic randomness (the scheme of demo_indicators.cc and demo_projects.cc; no
// std:: distributions: their output is not portable) ----




// An independent stream per (what, whom, n).

// Splits `total` (>= 0) into parts proportional to `weights` (>= 0), each at least
// `min_each`, summing exactly to `total` (largest remainders, ties to the earlier part).

// The space-separated words of `list`.
std::vector<std::string_view> Words(std::string_view list, char sep = ' ') {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(sep, start);
    if (end == std::string_view::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string_view PickWord(Rng& rng, std::string_view list, char sep = ' ') {
  std::vector<std::string_view> words = Words(list, sep);
  return words[rng.Index(words.size())];
}

// ---- Dates ----

bool Before(const CivilDate& a, const CivilDate& b) { return CompareDates(a, b) < 0; }
CivilDate Later(const CivilDate& a, const CivilDate& b) { return Before(a, b) ? b : a; }
CivilDate HalfYearStart(const CivilDate& d) { return {d.year, d.month <= 6 ? 1 : 7, 1}; }
// 09:00 Beijing time (01:00 UTC) of a date, in Unix milliseconds.
int64_t Millis(const CivilDate& d) { return DaysFromCivil(d) * 86'400'000 + 3'600'000; }

// A date drawn uniformly from the union of the (inclusive) ranges, or from the `slice`-th of
// `slices` equal consecutive parts of it (so that n draws spread evenly); empty ranges are
// skipped. At least one range must be non-empty.
CivilDate DrawDate(Rng& rng, const std::vector<std::pair<CivilDate, CivilDate>>& ranges,
                   int64_t slice = 0, int64_t slices = 1) {
  int64_t days = 0;
  for (const auto& [from, to] : ranges) days += std::max<int64_t>(0, DaysBetween(from, to) + 1);
  days = std::max<int64_t>(days, 1);
  const int64_t lo = days * slice / slices, hi = std::max(lo, days * (slice + 1) / slices - 1);
  int64_t k = rng.Int64(lo, hi);
  for (const auto& [from, to] : ranges) {
    int64_t n = std::max<int64_t>(0, DaysBetween(from, to) + 1);
    if (k < n) return AddDays(from, k);
    k -= n;
  }
  return ranges.back().second;
}

// ---- Places, names, people ----

struct Place {
  std::string_view origin;      // as stored on the company
  std::string_view prefix;      // how names start
  std::string_view short_name;  // for titles
  std::string_view divisions;   // GB/T 2260 codes for USCC positions 3-8
  int weight;
};

constexpr Place kDomestic[] = {
    {"广东省深圳市", "深圳市", "深圳", "440303 440304 440305 440306 440307", 5},
    {"浙江省杭州市", "杭州", "杭州", "330106 330108 330110", 4},
    {"上海市", "上海", "上海", "310104 310112 310115", 4},
    {"江苏省苏州市", "苏州", "苏州", "320505 320506 320507", 4},
    {"北京市", "北京", "北京", "110105 110108 110114", 3},
    {"广东省广州市", "广州", "广州", "440106 440112 440113", 2},
    {"浙江省宁波市", "宁波", "宁波", "330203 330212", 1},
    {"江苏省南京市", "南京", "南京", "320104 320114", 1},
    {"山东省青岛市", "青岛", "青岛", "370202 370212", 1},
    {"湖北省武汉市", "武汉", "武汉", "420106 420111", 1},
    {"河南省郑州市", "郑州", "郑州", "410105 410122", 2},
    {"福建省厦门市", "厦门", "厦门", "350203 350206", 1},
    {"四川省成都市", "成都", "成都", "510104 510107", 1},
    {"天津市", "天津", "天津", "120104 120116", 1},
};
constexpr Place kNanyang = {"河南省南阳市", "南阳", "南阳",
                            "411302 411303 411321 411322 411323 411324 411325 411326 411327 "
                            "411328 411329 411330 411381",
                            0};
constexpr Place kBeijing = {"北京市", "中国", "北京", "110102 110108", 0};
constexpr Place kZhengzhou = {"河南省郑州市", "河南", "郑州", "410102 410105", 0};

// Foreign firms: their country, brand names, and the cities of their Chinese entities.
struct Abroad {
  std::string_view origin;
  std::string_view brands;
  std::string_view entities;
};
constexpr Abroad kAbroad[] = {
    {"德国", "克劳斯 施密特 贝格曼 霍夫曼 费舍尔 瓦格纳", "太仓 苏州 上海"},
    {"日本", "山田 松本 高桥 三和 东洋", "上海 大连 苏州"},
    {"韩国", "韩一 大成 韩星", "青岛 天津"},
    {"美国", "艾伦 莱顿 布鲁克", "上海 北京"},
    {"新加坡", "盛亚 狮城", "苏州"},
    {"中国香港", "嘉港 港信", "深圳 广州"},
};
struct Entity {
  std::string_view city, division;
};
constexpr Entity kEntities[] = {{"太仓", "320585"}, {"苏州", "320506"}, {"上海", "310115"},
                                {"大连", "210213"}, {"青岛", "370212"}, {"天津", "120116"},
                                {"北京", "110105"}, {"深圳", "440305"}, {"广州", "440106"}};

constexpr std::string_view kBrands =
    "华创 鼎信 瑞丰 恒泰 博远 金辉 天宇 盛达 宏图 嘉禾 亿联 汇智 智航 凯瑞 新锐 联创 海纳 星辰 "
    "锦程 "
    "卓越 润泽 中恒 安泰 华芯 精诚 众诚 泰和 永昌 富达 利民 信达 康宁 同和 德润 益民 宏达 天瑞 "
    "华耀 "
    "腾跃 四海 长风 明德 云帆 蓝海 青禾 百川 万方 和畅 景行 思源 致远 恒信 鸿运 祥瑞 启明 博瑞 "
    "瀚宇 "
    "睿智 普惠 佳美 康达 优能 迈科 诺康 华景 融通 聚力 华锐 金桥 宏远 晟泰 鑫源 弘毅 立德 恒昌 "
    "嘉诚 "
    "欣悦 汇邦 远航 博雅 金石 沃土 天成 瑞祥 正元 恒通 宝丰 丰泽";

// Fictional officials for leader-level activities.
constexpr std::string_view kPeople =
    "杨振华 刘建民 陈志强 赵国栋 黄卫国 周文斌 吴海军 徐立平 孙建华 马晓东 朱永刚 胡晓明 郭新民 "
    "何振宇 高建平 林国华 罗文杰 梁志远 宋卫平 郑宏伟 谢立新 韩建国 唐明辉 冯志刚 于洪涛 董晓峰 "
    "程国强 曹振东 袁立军 邓海涛 许文华 傅建新 沈志明 曾国平 彭建伟 吕永刚 苏志华 卢晓东 蒋立明";

// ---- Chains ----

struct SegmentDef {
  std::string_view position, name;
  std::string_view projects;  // '|'-separated project names (after the firm's brand)
  bool gap;                   // no local firm (补链)
};

struct ChainDef {
  std::string_view name, leader;
  double lo, hi;                 // a project's contract size, 亿元
  std::string_view words;        // industry words in outside firms' names
  std::string_view local_words;  // in local firms' names
  std::vector<SegmentDef> segments;
};

const std::vector<ChainDef>& Chains() {
  static const std::vector<ChainDef> kChains = {
      {"艾草",
       "市委副书记 李明远",
       0.5,
       8,
       "艾草生物科技 健康科技 中医药科技 日化用品",
       "艾草制品 艾绒制品 艾草生物科技 艾灸器具",
       {{"upstream", "艾草良种繁育与种植", "万亩艾草标准化种植基地项目|艾草良种繁育基地项目",
         false},
        {"upstream", "艾叶收储与初加工", "艾叶收储及初加工中心项目", false},
        {"midstream", "艾绒艾条加工", "年产5000吨艾绒艾条生产线项目|艾绒精深加工项目", false},
        {"midstream", "艾草精油及提取物", "艾草精油提取及日化产品项目", true},
        {"downstream", "艾草大健康产品", "艾草大健康产业园项目|艾草洗护日化产品项目", false},
        {"downstream", "智能艾灸器具", "智能艾灸器具生产项目", true},
        {"downstream", "艾草电商与文旅康养", "艾草电商直播基地项目|艾草康养文旅综合体项目",
         false}}},
      {"医疗器械",
       "副市长 张卫东",
       1,
       20,
       "医疗器械 医疗科技 生物材料 诊断技术",
       "医疗器械 卫生材料 医用耗材",
       {{"upstream", "医用高分子材料", "医用高分子材料生产项目", false},
        {"upstream", "医用电子元器件", "医用传感器及电子元器件项目", true},
        {"midstream", "医用卫生材料及敷料", "医用卫生材料及敷料生产项目|医用防护用品生产线项目",
         false},
        {"midstream", "体外诊断试剂", "体外诊断试剂研发生产项目", false},
        {"midstream", "医学影像设备", "医学影像设备生产基地项目", true},
        {"downstream", "医疗器械流通与服务", "医疗器械产业园及流通中心项目", false}}},
      {"电子信息",
       "常务副市长 王志刚",
       2,
       40,
       "电子科技 光电科技 半导体 信息技术 精密电子",
       "光电科技 电子 光学仪器",
       {{"upstream", "电子材料", "电子级化学品及电子材料项目", false},
        {"upstream", "芯片设计与封测", "半导体封装测试项目", true},
        {"midstream", "光学元器件", "光学镜头及光学元件生产项目|精密光学元件项目", false},
        {"midstream", "印制电路板", "高密度印制电路板生产项目", false},
        {"midstream", "显示模组", "新型显示模组生产项目", true},
        {"downstream", "智能终端", "智能终端产品制造项目|智能穿戴设备生产项目", false},
        {"downstream", "软件和信息服务", "软件和信息技术服务产业园项目|数据中心建设项目", false}}},
      {"绿色食品",
       "副市长 刘春华",
       1,
       15,
       "食品 农业科技 调味品 冷链物流",
       "食品 农牧 粮油 果业",
       {{"upstream", "优质粮油与畜禽养殖", "优质小麦种植及仓储项目|生猪养殖及屠宰项目", false},
        {"upstream", "特色果蔬种植", "猕猴桃种植及深加工项目|高效设施蔬菜基地项目", false},
        {"midstream", "粮油加工", "粮油精深加工项目", false},
        {"midstream", "肉制品加工", "肉制品精深加工项目", false},
        {"midstream", "休闲及预制食品", "预制菜生产项目|休闲食品生产项目", false},
        {"downstream", "冷链物流", "农产品冷链物流园项目", true},
        {"downstream", "品牌营销与电商", "农产品电商产业园项目", false}}},
      {"生物医药",
       "市人大常委会副主任 陈国庆",
       2,
       30,
       "生物医药 药业 制药 生物技术",
       "药业 中药饮片 生物科技",
       {{"upstream", "中药材种植", "道地中药材规范化种植基地项目|山茱萸种植及加工项目", false},
        {"upstream", "原料药", "原料药及中间体生产项目", false},
        {"midstream", "中成药", "中成药生产线扩建项目|中药配方颗粒生产项目", false},
        {"midstream", "化学制剂", "化学制剂生产项目", false},
        {"midstream", "生物制品", "生物制品研发生产基地项目", true},
        {"downstream", "医药流通", "医药物流配送中心项目", false},
        {"downstream", "医药研发外包", "医药研发外包（CRO/CDMO）平台项目", true}}},
      {"智能制造",
       "市委常委 赵晓峰",
       2,
       30,
       "智能装备 机器人 精密机械 自动化科技 工业软件",
       "机械制造 智能装备 电气",
       {{"upstream", "关键基础零部件", "精密轴承及减速机项目|高端液压件生产项目", false},
        {"upstream", "工业软件", "工业软件及工业互联网平台项目", true},
        {"midstream", "防爆电机", "高效防爆电机生产线项目", false},
        {"midstream", "数控机床", "数控机床及精密零部件项目", false},
        {"midstream", "工业机器人", "工业机器人生产基地项目", true},
        {"downstream", "智能制造系统集成", "智能制造系统集成服务项目", false}}},
      {"新能源汽车",
       "市长 王立新",
       3,
       60,
       "新能源科技 动力电池 汽车电子 汽车零部件 电驱动技术",
       "汽车零部件 减振器 汽车配件",
       {{"upstream", "锂电材料", "锂电池正负极材料项目", false},
        {"midstream", "动力电池", "动力电池及储能电池项目", false},
        {"midstream", "电机电控", "电驱动系统及电机控制器项目", false},
        {"midstream", "汽车零部件", "汽车减振器及底盘零部件项目|汽车线束及电子零部件项目", false},
        {"downstream", "整车制造", "新能源专用车整车制造项目", true},
        {"downstream", "充换电设施", "充换电设施建设运营项目", false}}},
      {"新材料",
       "副市长 孙海涛",
       2,
       40,
       "新材料 复合材料 碳纤维科技 超硬材料",
       "新材料 石墨科技 超硬材料",
       {{"upstream", "非金属矿产资源", "石墨及蓝晶石资源综合利用项目", false},
        {"midstream", "超硬材料", "超硬材料及制品项目", false},
        {"midstream", "碳纤维复合材料", "高性能碳纤维复合材料项目", true},
        {"midstream", "高性能合金", "高性能铝合金材料项目", false},
        {"downstream", "新材料应用制品", "新材料应用制品产业园项目", false}}},
  };
  return kChains;
}

// Leads outside the chains.
constexpr std::string_view kFreeWords =
    "投资控股 实业 供应链管理 数字科技 文化旅游发展 商业管理 物流 教育科技";
constexpr std::string_view kFreeProjects =
    "总部经济大厦项目|现代物流园项目|文旅康养综合体项目|数字经济产业园项目|商业综合体项目|"
    "职业教育实训基地项目|保税物流中心项目";
constexpr double kFreeLo = 1, kFreeHi = 20;

// The chains each unit specialises in (the rest of its leads go to any chain).
struct Speciality {
  std::string_view code, chains;
};
constexpr Speciality kSpecialities[] = {
    {"411300", "电子信息 生物医药 新能源汽车"},
    {"411302", "新能源汽车 智能制造 绿色食品"},
    {"411303", "艾草 电子信息 新材料"},
    {"411321", "新材料 绿色食品"},
    {"411322", "新材料 医疗器械"},
    {"411323", "新能源汽车 绿色食品 生物医药"},
    {"411324", "绿色食品 智能制造"},
    {"411325", "绿色食品 生物医药"},
    {"411326", "新能源汽车 绿色食品"},
    {"411327", "绿色食品 新材料"},
    {"411328", "智能制造 绿色食品 新材料"},
    {"411329", "智能制造 绿色食品"},
    {"411330", "新材料"},
    {"411381", "智能制造 绿色食品 医疗器械"},
    {"Z411371", "电子信息 智能制造 医疗器械"},
    {"Z411372", "生物医药 医疗器械"},
    {"Z411373", "智能制造 新能源汽车 新材料"},
    {"Z411374", "生物医药 新材料"},
};

constexpr std::string_view kLostReasons[] = {
    "企业投资方向调整，暂缓对外投资", "企业选择落户其他地区（对方承诺的土地和税收政策更优惠）",
    "项目用地指标短期内无法落实",     "企业融资未到位，项目搁置",
    "环评和能耗指标不满足准入要求",   "双方在厂房代建条件上未能达成一致",
    "企业总部战略收缩，项目取消",     "产品市场行情下行，企业放弃扩产计划",
};
constexpr std::string_view kSignedLostReasons[] = {
    "签约后企业未按约定注册公司，项目未落地",
    "签约后企业资金未到位，项目终止",
};

// Days between consecutive stages (stage i → i + 1), and the chance that a signed lead goes
// on from 签约 / 注册 / 开工 when the time has come.
constexpr int kGapLo[7] = {7, 10, 15, 10, 10, 20, 180};
constexpr int kGapHi[7] = {45, 60, 75, 60, 60, 150, 720};
constexpr double kGoOn[3] = {0.9, 0.8, 0.7};
constexpr int kSigned = 4;  // index of 签约 in kLeadStages

// ---- The generator's state ----

enum class Kind { kPrivate, kListed, kCentral, kProvincial, kForeign, kLocal, kLocalLead };

struct Ctx {
  const std::vector<DemoUnit>* units = nullptr;
  CivilDate today{};
  uint64_t seed = 0;
  CivilDate first_day{};  // the earliest signing date
  bool wide = false;      // province scale: two-word brands, project names may repeat
  BulkData out;
  // Per company: the brand for project names, its origin's short name, its chain (-1: none),
  // whether it is local, how many leads it has.
  std::vector<std::string> brand;
  std::vector<std::string> origin_short;
  std::vector<int> chain_of;
  std::vector<bool> local;
  std::vector<int> uses;
  std::unordered_set<std::string> names;  // normalised
  std::unordered_set<std::string> usccs;
  std::unordered_set<std::string> project_names;
  std::unordered_map<std::string, int> project_firm;  // a project name's firm (without phase)
  // Candidates per chain: local firms per segment, target firms per segment, the chain's other
  // outside firms; and firms outside every chain.
  std::vector<std::vector<std::vector<int>>> seg_local, seg_targets;
  std::vector<std::vector<int>> chain_outside;
  std::vector<int> free_firms;
  // Per lead: its unit (index into units) and its contracts' total in cents.
  std::vector<int> lead_unit;
  std::vector<int64_t> lead_cents;
};

// A USCC (GB 32100) registered in `division`: "91" (an enterprise registered with the market
// regulator), the division, a GB 11714 organisation code with its check character, and the
// check character. Unique within the data.
std::string MakeUscc(Ctx& ctx, Rng& rng, std::string_view division) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (;;) {
    std::string body;
    if (rng.Chance(0.7)) {
      body = "MA";  // codes issued since 2015
      for (int i = 0; i < 6; ++i) body += kAlphabet[rng.Index(kAlphabet.size())];
    } else {
      for (int i = 0; i < 8; ++i) body += static_cast<char>('0' + rng.Index(10));
    }
    Result<char> org_check = OrgCodeCheckChar(body);
    if (!org_check.ok()) continue;
    std::string first17 = "91" + std::string(division) + body + *org_check;
    Result<char> check = UsccCheckChar(first17);
    if (!check.ok()) continue;
    std::string uscc = first17 + *check;
    if (ctx.usccs.insert(uscc).second) return uscc;
  }
}

std::string BrandWord(Ctx& ctx, Rng& rng) {
  std::string b(PickWord(rng, kBrands));
  if (ctx.wide) b += PickWord(rng, kBrands);
  return b;
}

const Place& PickDomestic(Rng& rng) {
  int total = 0;
  for (const Place& p : kDomestic) total += p.weight;
  int k = static_cast<int>(rng.Index(static_cast<size_t>(total)));
  for (const Place& p : kDomestic) {
    if (k < p.weight) return p;
    k -= p.weight;
  }
  return kDomestic[0];
}

int Push(Ctx& ctx, Company c, std::string brand, std::string_view origin_short, int chain,
         bool local) {
  int id = static_cast<int>(ctx.out.companies.size());
  c.id = id;
  c.normalized_name = investment::NormalizeCompanyName(c.name);
  ctx.names.insert(c.normalized_name);
  ctx.out.companies.push_back(std::move(c));
  ctx.brand.push_back(std::move(brand));
  ctx.origin_short.emplace_back(origin_short);
  ctx.chain_of.push_back(chain);
  ctx.local.push_back(local);
  ctx.uses.push_back(0);
  return id;
}

// A new company of `kind` in the industry of `words`, with a name unique after normalisation.
int NewCompany(Ctx& ctx, Rng& rng, Kind kind, std::string_view words, int chain) {
  for (int attempt = 0;; ++attempt) {
    if (kind == Kind::kForeign && attempt >= 10) kind = Kind::kPrivate;  // foreign names used up
    Company c;
    std::string brand = BrandWord(ctx, rng);
    std::string ind(PickWord(rng, words));
    std::string division;
    std::string_view origin_short;
    bool with_uscc = true;
    switch (kind) {
      case Kind::kPrivate:
      case Kind::kListed: {
        const Place& p = PickDomestic(rng);
        c.name = std::string(p.prefix) + brand + ind +
                 (kind == Kind::kListed ? "股份有限公司" : "有限公司");
        c.origin = p.origin;
        origin_short = p.short_name;
        division = PickWord(rng, p.divisions);
        c.tags = {"民营"};
        if (kind == Kind::kListed) {
          c.tags.insert("上市");
        } else {
          if (rng.Chance(0.4)) c.tags.insert("高新技术企业");
          if (rng.Chance(0.2)) c.tags.insert("专精特新");
          if (rng.Chance(0.03)) c.tags.insert("独角兽");
        }
        with_uscc = rng.Chance(0.95);
        break;
      }
      case Kind::kCentral:
        c.name = std::string(kBeijing.prefix) + brand + ind + "集团有限公司";
        c.origin = kBeijing.origin;
        origin_short = kBeijing.short_name;
        division = PickWord(rng, kBeijing.divisions);
        c.tags = {"央企"};
        if (rng.Chance(0.5)) c.tags.insert("500强");
        if (rng.Chance(0.3)) c.tags.insert("上市");
        break;
      case Kind::kProvincial:
        c.name = std::string(kZhengzhou.prefix) + brand + ind + "集团有限公司";
        c.origin = kZhengzhou.origin;
        origin_short = kZhengzhou.short_name;
        division = PickWord(rng, kZhengzhou.divisions);
        c.tags = {"国企"};
        break;
      case Kind::kForeign: {
        const Abroad& a = kAbroad[rng.Index(std::size(kAbroad))];
        brand = PickWord(rng, a.brands);
        std::string_view city = PickWord(rng, a.entities);
        for (const Entity& e : kEntities) {
          if (e.city == city) division = e.division;
        }
        c.name = brand + ind + "（" + std::string(city) + "）有限公司";
        c.origin = a.origin;
        origin_short = a.origin;
        c.tags = {"外资"};
        if (rng.Chance(0.4)) c.tags.insert("500强");
        with_uscc = rng.Chance(0.7);  // the others have no Chinese entity yet
        break;
      }
      case Kind::kLocal:
      case Kind::kLocalLead: {
        bool state_owned = kind == Kind::kLocalLead && rng.Chance(0.25);
        const char* form = kind == Kind::kLocal ? "有限公司"
                           : state_owned        ? "集团有限公司"
                                                : "股份有限公司";
        c.name = std::string(kNanyang.prefix) + brand + ind + form;
        c.origin = kNanyang.origin;
        origin_short = kNanyang.short_name;
        division = PickWord(rng, kNanyang.divisions);
        if (kind == Kind::kLocalLead) {
          c.tags = state_owned ? std::set<std::string>{"国企"}
                               : std::set<std::string>{"民营", "上市", "高新技术企业"};
        } else {
          c.tags = {"民营"};
          if (rng.Chance(0.5)) c.tags.insert("高新技术企业");
          if (rng.Chance(0.3)) c.tags.insert("专精特新");
        }
        break;
      }
    }
    if (ctx.names.count(investment::NormalizeCompanyName(c.name))) continue;
    if (with_uscc) c.uscc = MakeUscc(ctx, rng, division);
    bool local = kind == Kind::kLocal || kind == Kind::kLocalLead;
    return Push(ctx, std::move(c), std::move(brand), origin_short, chain, local);
  }
}

Kind PickOutsideKind(Rng& rng) {
  double r = rng.Unit();
  return r < 0.55   ? Kind::kPrivate
         : r < 0.65 ? Kind::kListed
         : r < 0.75 ? Kind::kCentral
         : r < 0.80 ? Kind::kProvincial
                    : Kind::kForeign;
}

// The eight chains: per chain one local firm per segment that is not a gap (the first is the
// lead firm, 链主) and segments + 2 target firms, dealt over the segments gaps first.
void BuildChains(Ctx& ctx) {
  const auto& defs = Chains();
  ctx.seg_local.resize(defs.size());
  ctx.seg_targets.resize(defs.size());
  ctx.chain_outside.resize(defs.size());
  for (size_t ci = 0; ci < defs.size(); ++ci) {
    const ChainDef& def = defs[ci];
    Rng rng = Stream(ctx.seed, def.name, "chain");
    Chain chain;
    chain.id = static_cast<int64_t>(ci);
    chain.name = def.name;
    chain.chain_leader = def.leader;
    std::vector<size_t> gaps, filled;
    for (size_t s = 0; s < def.segments.size(); ++s) {
      Segment seg;
      seg.id = static_cast<int64_t>(s);
      seg.chain_id = chain.id;
      seg.position = def.segments[s].position;
      seg.name = def.segments[s].name;
      seg.seq = static_cast<int>(s) + 1;
      chain.segments.push_back(std::move(seg));
      (def.segments[s].gap ? gaps : filled).push_back(s);
    }
    for (size_t k = 0; k < filled.size(); ++k) {
      int id = NewCompany(ctx, rng, k == 0 ? Kind::kLocalLead : Kind::kLocal, def.local_words,
                          static_cast<int>(ci));
      chain.segments[filled[k]].local_firms.push_back(id);
      if (k == 0) chain.lead_firm_id = id;
    }
    std::vector<size_t> order = gaps;
    order.insert(order.end(), filled.begin(), filled.end());
    const size_t targets = def.segments.size() + 2;
    for (size_t k = 0; k < targets; ++k) {
      int id = NewCompany(ctx, rng, PickOutsideKind(rng), def.words, static_cast<int>(ci));
      chain.segments[order[k % order.size()]].target_firms.push_back(id);
    }
    ctx.seg_local[ci].resize(chain.segments.size());
    ctx.seg_targets[ci].resize(chain.segments.size());
    for (size_t s = 0; s < chain.segments.size(); ++s) {
      for (int64_t f : chain.segments[s].local_firms)
        ctx.seg_local[ci][s].push_back(static_cast<int>(f));
      for (int64_t f : chain.segments[s].target_firms) {
        ctx.seg_targets[ci][s].push_back(static_cast<int>(f));
        ctx.chain_outside[ci].push_back(static_cast<int>(f));
      }
    }
    ctx.out.chains.push_back(std::move(chain));
  }
}

void NoteFree(Ctx& ctx, int id) {
  int chain = ctx.chain_of[static_cast<size_t>(id)];
  if (chain < 0) {
    ctx.free_firms.push_back(id);
  } else {
    ctx.chain_outside[static_cast<size_t>(chain)].push_back(id);
  }
}

// `n` outside firms not on any chain map: half of them in a chain's industry, half outside.
void AddFreeCompanies(Ctx& ctx, int n, std::string_view what) {
  const auto& defs = Chains();
  for (int i = 0; i < n; ++i) {
    Rng rng = Stream(ctx.seed, what, "company", i);
    int chain = rng.Chance(0.5) ? static_cast<int>(rng.Index(defs.size())) : -1;
    std::string_view words = chain < 0 ? kFreeWords : defs[static_cast<size_t>(chain)].words;
    NoteFree(ctx, NewCompany(ctx, rng, PickOutsideKind(rng), words, chain));
  }
}

// Four pairs of records of one firm: three typed twice (brackets, 有限责任公司 and a space make
// the difference; the copy has no USCC), one renamed (the same USCC under two names).
void AddDuplicates(Ctx& ctx) {
  struct Pair {
    std::string_view chain;
    std::string_view origin, origin_short, division;
    std::string_view first, second;  // {b} the brand
    std::string_view tag;
    bool same_uscc;
  };
  static constexpr Pair kPairs[] = {
      {"电子信息", "广东省深圳市", "深圳", "440305", "{b}光电科技（深圳）有限责任公司",
       "{b}光电科技(深圳)有限公司", "民营", false},
      {"医疗器械", "日本", "日本", "310115", "{b}医疗科技（上海）有限公司",
       "{b}医疗科技(上海)有限责任公司", "外资", false},
      {"智能制造", "浙江省杭州市", "杭州", "330108", "杭州{b}智能装备有限公司",
       "杭州{b} 智能装备有限公司", "专精特新", false},
      {"新能源汽车", "北京市", "北京", "110108", "北京{b}新能源科技有限公司",
       "北京{b}智能汽车科技有限公司", "民营", true},
  };
  Rng rng = Stream(ctx.seed, "duplicates", "");
  const auto& defs = Chains();
  for (const Pair& p : kPairs) {
    int chain = -1;
    for (size_t i = 0; i < defs.size(); ++i) {
      if (defs[i].name == p.chain) chain = static_cast<int>(i);
    }
    auto fill = [](std::string_view pattern, const std::string& b) {
      std::string s(pattern);
      s.replace(s.find("{b}"), 3, b);
      return s;
    };
    std::string brand;
    do {
      brand = BrandWord(ctx, rng);
    } while (ctx.names.count(investment::NormalizeCompanyName(fill(p.first, brand))) ||
             ctx.names.count(investment::NormalizeCompanyName(fill(p.second, brand))));
    Company a;
    a.name = fill(p.first, brand);
    a.origin = p.origin;
    a.tags = {std::string(p.tag)};
    if (p.tag == "专精特新") a.tags.insert("民营");
    a.uscc = MakeUscc(ctx, rng, p.division);
    Company b = a;
    b.name = fill(p.second, brand);
    if (!p.same_uscc) b.uscc.clear();
    NoteFree(ctx, Push(ctx, std::move(a), brand, p.origin_short, chain, false));
    NoteFree(ctx, Push(ctx, std::move(b), brand, p.origin_short, chain, false));
  }
}

// ---- Leads ----

struct Plan {
  enum class Kind { kSigned, kOpen, kLost };
  int unit = 0;     // index into units
  int officer = 0;  // the unit's slot among those with leads
  Kind kind = Kind::kOpen;
  CivilDate date{};   // signed: the signing date; open: the current stage's date; lost: lost date
  int64_t cents = 0;  // signed: the contracts' total (0: drawn)
};

// A contract size in cents, log-uniform in [lo, hi]亿元; ~10% below 1亿元.
int64_t DrawCents(Rng& rng, double lo, double hi) {
  if (rng.Chance(0.1)) return rng.Int64(20, 95);
  double v = std::exp(rng.Uniform(std::log(lo), std::log(hi)));
  return std::max<int64_t>(100, Round(v * 100));
}

int PickChain(const DemoUnit& unit, Rng& rng) {
  const auto& defs = Chains();
  double r = rng.Unit();
  if (r < 0.12) return -1;
  if (r < 0.80) {
    for (const Speciality& s : kSpecialities) {
      if (s.code != unit.code) continue;
      std::string_view name = PickWord(rng, s.chains);
      for (size_t i = 0; i < defs.size(); ++i) {
        if (defs[i].name == name) return static_cast<int>(i);
      }
    }
  }
  return static_cast<int>(rng.Index(defs.size()));
}

// The less used of two random candidates.
int LeastUsed(Ctx& ctx, Rng& rng, const std::vector<int>& candidates) {
  int a = candidates[rng.Index(candidates.size())];
  int b = candidates[rng.Index(candidates.size())];
  return ctx.uses[static_cast<size_t>(b)] < ctx.uses[static_cast<size_t>(a)] ? b : a;
}

int PickCompany(Ctx& ctx, int chain, int seg, Rng& rng) {
  if (chain < 0) {
    if (!ctx.free_firms.empty()) return LeastUsed(ctx, rng, ctx.free_firms);
    chain = static_cast<int>(rng.Index(Chains().size()));
    seg = 0;
  }
  const auto& local = ctx.seg_local[static_cast<size_t>(chain)][static_cast<size_t>(seg)];
  const auto& targets = ctx.seg_targets[static_cast<size_t>(chain)][static_cast<size_t>(seg)];
  double r = rng.Unit();
  if (r < 0.2 && !local.empty()) return LeastUsed(ctx, rng, local);
  if (r < 0.6 && !targets.empty()) return LeastUsed(ctx, rng, targets);
  return LeastUsed(ctx, rng, ctx.chain_outside[static_cast<size_t>(chain)]);
}

std::string PickSource(Rng& rng, bool local) {
  if (local) return rng.Chance(0.7) ? "business" : "other";
  double r = rng.Unit();
  return r < 0.35   ? "business"
         : r < 0.60 ? "resident"
         : r < 0.70 ? "fund"
         : r < 0.90 ? "platform"
                    : "other";
}

// Sets `stage` with `date` and every earlier stage, going back by the usual gaps.
void BackFill(Lead& l, int stage, CivilDate date, Rng& rng) {
  l.stage = kLeadStages[stage];
  l.stage_dates[kLeadStages[stage]] = date;
  for (int i = stage - 1; i >= 0; --i) {
    date = AddDays(date, -rng.Int64(kGapLo[i], kGapHi[i]));
    l.stage_dates[kLeadStages[i]] = date;
  }
}

// Moves a signed lead on (注册, 开工, 投产) as far as time and chance allow.
void Advance(Lead& l, CivilDate date, const CivilDate& today, Rng& rng) {
  int stage = kSigned;
  while (stage + 1 < investment::kLeadStageCount) {
    if (!rng.Chance(kGoOn[stage - kSigned])) break;
    CivilDate next = AddDays(date, rng.Int64(kGapLo[stage], kGapHi[stage]));
    if (Before(today, next)) break;
    ++stage;
    date = next;
    l.stage_dates[kLeadStages[stage]] = date;
  }
  l.stage = kLeadStages[stage];
}

void AddContract(Ctx& ctx, int64_t lead, const CivilDate& date, int64_t cents, const char* kind) {
  Contract c;
  c.id = static_cast<int64_t>(ctx.out.contracts.size());
  c.lead_id = lead;
  c.date = date;
  c.amount = Cents(cents);
  c.kind = kind;
  ctx.out.contracts.push_back(std::move(c));
}

void AddLead(Ctx& ctx, const Plan& p, Rng& rng, const std::vector<int64_t>& officers) {
  const auto& defs = Chains();
  const DemoUnit& unit = (*ctx.units)[static_cast<size_t>(p.unit)];
  Lead l;
  l.id = static_cast<int64_t>(ctx.out.leads.size());
  l.unit_id = unit.id;
  if (!officers.empty()) l.officer_id = officers[static_cast<size_t>(p.officer) % officers.size()];

  int chain = PickChain(unit, rng);
  int seg = chain < 0
                ? -1
                : static_cast<int>(rng.Index(defs[static_cast<size_t>(chain)].segments.size()));
  int company = PickCompany(ctx, chain, seg, rng);
  ++ctx.uses[static_cast<size_t>(company)];
  l.company_id = company;
  if (chain >= 0) {
    l.chain_id = chain;
    l.segment_id = seg;
  }
  l.source = PickSource(rng, ctx.local[static_cast<size_t>(company)]);

  std::string_view projects =
      chain < 0 ? kFreeProjects
                : defs[static_cast<size_t>(chain)].segments[static_cast<size_t>(seg)].projects;
  std::string name =
      ctx.brand[static_cast<size_t>(company)] + std::string(PickWord(rng, projects, '|'));
  if (!ctx.wide) {
    // Brands repeat across firms: a name taken by another firm's lead gets the unit in front;
    // the same firm's next project of a kind is its 二期, 三期 ...
    static constexpr std::string_view kPhases[] = {"", "（二期）", "（三期）", "（四期）",
                                                   "（五期）"};
    const std::string bases[] = {name, unit.name + name};
    bool named = false;
    for (size_t k = 0; k < std::size(kPhases) && !named; ++k) {
      for (const std::string& base : bases) {
        std::string candidate = base + std::string(kPhases[k]);
        if (ctx.project_names.count(candidate)) continue;
        if (k > 0 && ctx.project_firm[base] != company) continue;  // another firm's project
        ctx.project_names.insert(candidate);
        if (k == 0) ctx.project_firm[base] = company;
        name = std::move(candidate);
        named = true;
        break;
      }
    }
    if (!named) {
      name = bases[1] + "（" + std::to_string(l.id + 1) + "）";
      ctx.project_names.insert(name);
    }
  }
  l.project_name = std::move(name);

  double lo = chain < 0 ? kFreeLo : defs[static_cast<size_t>(chain)].lo;
  double hi = chain < 0 ? kFreeHi : defs[static_cast<size_t>(chain)].hi;
  int64_t cents = 0;
  switch (p.kind) {
    case Plan::Kind::kSigned: {
      cents = p.cents > 0 ? p.cents : DrawCents(rng, lo, hi);
      BackFill(l, kSigned, p.date, rng);
      Advance(l, p.date, ctx.today, rng);
      // Contracts within the signing date's half-year, not before 实质性谈判.
      CivilDate earliest = Later(l.stage_dates.at("negotiation"), HalfYearStart(p.date));
      double r = rng.Unit();
      if (r < 0.55 || cents < 2) {
        AddContract(ctx, l.id, p.date, cents, "formal");
      } else if (r < 0.85) {
        AddContract(ctx, l.id, p.date, cents, "framework");
      } else {
        int64_t first = std::clamp<int64_t>(
            Round(static_cast<double>(cents) * rng.Uniform(0.2, 0.5)), 1, cents - 1);
        AddContract(ctx, l.id, AddDays(earliest, rng.Int64(0, DaysBetween(earliest, p.date))), first,
                    "framework");
        AddContract(ctx, l.id, p.date, cents - first, "formal");
      }
      l.amount = Cents(std::max(cents, Round(static_cast<double>(cents) * rng.Uniform(1.0, 1.3))));
      // A few signed leads never land.
      if (l.stage == "signed" && DaysBetween(p.date, ctx.today) >= 150 && rng.Chance(0.4)) {
        l.lost = true;
        l.lost_reason = kSignedLostReasons[rng.Index(std::size(kSignedLostReasons))];
        l.lost_date = AddDays(p.date, rng.Int64(90, 150));
      }
      break;
    }
    case Plan::Kind::kOpen: {
      l.amount = Cents(DrawCents(rng, lo, hi));
      BackFill(l, static_cast<int>(rng.Index(kSigned)), p.date, rng);
      break;
    }
    case Plan::Kind::kLost: {
      l.amount = Cents(DrawCents(rng, lo, hi));
      double r = rng.Unit();
      int stage = r < 0.1 ? 0 : r < 0.4 ? 1 : r < 0.7 ? 2 : 3;
      BackFill(l, stage, AddDays(p.date, -rng.Int64(15, 150)), rng);
      l.lost = true;
      l.lost_reason = kLostReasons[rng.Index(std::size(kLostReasons))];
      l.lost_date = p.date;
      break;
    }
  }
  l.created_at = Millis(l.stage_dates.at("clue"));
  ctx.out.leads.push_back(std::move(l));
  ctx.lead_unit.push_back(p.unit);
  ctx.lead_cents.push_back(cents);
}

// ---- Activities ----

bool IsZone(const DemoUnit& u) {
  return u.code.starts_with("Z") || u.name.find("开发区") != std::string::npos ||
         u.name.find("工区") != std::string::npos || u.name.find("示范区") != std::string::npos;
}

// "卧龙区委书记 杨振华", "南召县县长 刘建民", "南阳官庄工区党工委书记 ...", "市委书记 ...".
std::string Leader(const Ctx& ctx, const DemoUnit& u, bool city, bool secretary) {
  std::string title;
  if (city) {
    title = secretary ? "市委书记" : "市长";
  } else if (IsZone(u)) {
    title = u.name + (secretary ? "党工委书记" : "管委会主任");
  } else if (u.name.ends_with("区")) {
    title = u.name + (secretary ? "委书记" : "区长");
  } else if (u.name.ends_with("县")) {
    title = u.name + (secretary ? "委书记" : "县长");
  } else if (u.name.ends_with("市")) {
    title = u.name + (secretary ? "委书记" : "市长");
  } else {
    title = u.name + (secretary ? "主要负责人" : "负责人");
  }
  // Two names per unit by its position in the list, so that units do not share leaders.
  std::vector<std::string_view> people = Words(kPeople);
  const size_t position = static_cast<size_t>(&u - ctx.units->data());
  const size_t k = (ctx.seed % people.size() + 2 * position + (secretary ? 0 : 1)) % people.size();
  return title + " " + std::string(people[k]);
}

void PushActivity(Ctx& ctx, Activity a) {
  a.id = static_cast<int64_t>(ctx.out.activities.size());
  ctx.out.activities.push_back(std::move(a));
}

// "艾草产业" / "艾草项目"; "招商" / "投资项目" for a lead outside the chains.
std::string ChainWord(const Lead& l, std::string_view suffix, std::string_view otherwise) {
  return l.chain_id
             ? std::string(Chains()[static_cast<size_t>(*l.chain_id)].name) + std::string(suffix)
             : std::string(otherwise);
}

// 请进来: an inspection visit on a lead's 考察 date, with chance `p`; leader-level (顶格招商)
// a quarter of them.
void AddInspections(Ctx& ctx, double p, const std::vector<bool>& city_unit) {
  for (size_t i = 0; i < ctx.out.leads.size(); ++i) {
    const Lead& l = ctx.out.leads[i];
    auto it = l.stage_dates.find("inspection");
    if (it == l.stage_dates.end()) continue;
    Rng rng = Stream(ctx.seed, "inspection", "", static_cast<int64_t>(i));
    if (!rng.Chance(p)) continue;
    if (ctx.local[static_cast<size_t>(l.company_id)]) continue;  // local firms need no invitation
    const DemoUnit& u = (*ctx.units)[static_cast<size_t>(ctx.lead_unit[i])];
    const Company& c = ctx.out.companies[static_cast<size_t>(l.company_id)];
    Activity a;
    a.kind = "incoming";
    a.date = it->second;
    a.title = c.name + "来" + u.name + "考察" + ChainWord(l, "项目", "投资项目");
    a.location = u.name;
    a.unit_id = u.id;
    a.lead_ids = {static_cast<int64_t>(i)};
    a.leader_level = rng.Chance(0.25);
    if (a.leader_level) {
      a.leader = Leader(ctx, u, city_unit[static_cast<size_t>(ctx.lead_unit[i])], rng.Chance(0.5));
      a.notes = "顶格招商：主要领导陪同考察项目选址并座谈";
    } else {
      a.notes = "实地考察项目选址，座谈对接用地、厂房和配套条件";
    }
    PushActivity(ctx, std::move(a));
  }
}

// 走出去: per unit, the leads from one outside origin first contacted in one month, visited
// together on the first contact date (groups of two or more 80%, single leads 35%); a third
// leader-level (大员招商).
void AddVisits(Ctx& ctx, const std::vector<bool>& city_unit) {
  std::map<std::tuple<int, std::string, int>, std::vector<int64_t>> groups;
  for (size_t i = 0; i < ctx.out.leads.size(); ++i) {
    const Lead& l = ctx.out.leads[i];
    auto it = l.stage_dates.find("contact");
    if (it == l.stage_dates.end() || ctx.local[static_cast<size_t>(l.company_id)]) continue;
    groups[{ctx.lead_unit[i], ctx.out.companies[static_cast<size_t>(l.company_id)].origin,
            it->second.year * 12 + it->second.month}]
        .push_back(static_cast<int64_t>(i));
  }
  for (const auto& [key, leads] : groups) {
    const auto& [unit, origin, month] = key;
    Rng rng = Stream(ctx.seed, "visit", origin, unit * 100000 + month);
    if (!rng.Chance(leads.size() >= 2 ? 0.8 : 0.35)) continue;
    const DemoUnit& u = (*ctx.units)[static_cast<size_t>(unit)];
    const Lead& first = ctx.out.leads[static_cast<size_t>(leads.front())];
    Activity a;
    a.kind = "outgoing";
    a.date = first.stage_dates.at("contact");
    for (int64_t id : leads) {
      const CivilDate& d = ctx.out.leads[static_cast<size_t>(id)].stage_dates.at("contact");
      if (Before(d, a.date)) a.date = d;
    }
    // Firms not yet known on the day are not visited.
    for (int64_t id : leads) {
      if (!Before(a.date, ctx.out.leads[static_cast<size_t>(id)].stage_dates.at("clue")))
        a.lead_ids.push_back(id);
    }
    const std::string& where = ctx.origin_short[static_cast<size_t>(first.company_id)];
    a.leader_level = rng.Chance(1.0 / 3);
    if (a.leader_level) {
      a.leader = Leader(ctx, u, city_unit[static_cast<size_t>(unit)], rng.Chance(0.6));
      a.title = u.name + "党政代表团赴" + where + "开展大员招商活动";
    } else {
      a.title = "赴" + where + "开展" + ChainWord(first, "产业招商对接", "招商对接");
    }
    a.location = origin;
    a.unit_id = u.id;
    a.notes = "走访企业" + std::to_string(a.lead_ids.size()) + "家：";
    for (size_t k = 0; k < a.lead_ids.size(); ++k) {
      if (k > 0) a.notes += "、";
      a.notes += ctx.out
                     .companies[static_cast<size_t>(
                         ctx.out.leads[static_cast<size_t>(a.lead_ids[k])].company_id)]
                     .name;
    }
    PushActivity(ctx, std::move(a));
  }
}

// 推介活动: the city's yearly promotion events (leader-level), each linked to the leads whose
// first contact (线索) came within 30 days after it: firms from the event's city, or for the
// 艾草 conference any 艾草 lead. Events without such leads are left out.
void AddEvents(Ctx& ctx, int host, bool host_is_city) {
  struct Event {
    int month, day;
    std::string_view origin, chain, title;  // {y} the year
  };
  static constexpr Event kEvents[] = {
      {4, 18, "广东省深圳市", "", "{y}南阳（深圳）电子信息产业招商推介会"},
      {6, 6, "河南省南阳市", "艾草", "{y}中国·南阳艾草产业发展大会"},
      {7, 10, "北京市", "", "{y}南阳（北京）央企合作对接会"},
      {9, 12, "上海市", "", "{y}南阳（上海）生物医药和医疗器械产业招商推介会"},
      {11, 8, "浙江省杭州市", "", "{y}南阳（杭州）智能制造产业招商推介会"},
  };
  const DemoUnit& u = (*ctx.units)[static_cast<size_t>(host)];
  for (int year = ctx.first_day.year; year <= ctx.today.year; ++year) {
    for (size_t e = 0; e < std::size(kEvents); ++e) {
      const Event& ev = kEvents[e];
      CivilDate date{year, ev.month, ev.day};
      if (Before(ctx.today, date)) continue;
      CivilDate until = AddDays(date, 30);
      Activity a;
      for (size_t i = 0; i < ctx.out.leads.size() && a.lead_ids.size() < 12; ++i) {
        const Lead& l = ctx.out.leads[i];
        const CivilDate& clue = l.stage_dates.at("clue");
        if (Before(clue, date) || Before(until, clue)) continue;
        bool match =
            ev.chain.empty()
                ? ctx.out.companies[static_cast<size_t>(l.company_id)].origin == ev.origin
                : l.chain_id && Chains()[static_cast<size_t>(*l.chain_id)].name == ev.chain;
        if (match) a.lead_ids.push_back(static_cast<int64_t>(i));
      }
      if (a.lead_ids.empty()) continue;
      a.kind = "event";
      a.date = date;
      a.title = std::string(ev.title);
      a.title.replace(a.title.find("{y}"), 3, std::to_string(year));
      a.location = ev.origin;
      a.unit_id = u.id;
      a.leader_level = true;
      a.leader = Leader(ctx, u, host_is_city, e % 2 == 0);
      a.notes = "对接企业" + std::to_string(a.lead_ids.size()) + "家，形成招商线索" +
                std::to_string(a.lead_ids.size()) + "条";
      PushActivity(ctx, std::move(a));
    }
  }
}

// ---- Targets ----

// Per unit with leads in its subtree and per year from the first signing year to today's:
// 亿元以上 projects and the contract amount set from what was reached (see the header).
void AddTargets(Ctx& ctx) {
  const auto& units = *ctx.units;
  std::unordered_map<int64_t, int> index;
  for (size_t i = 0; i < units.size(); ++i) index[units[i].id] = static_cast<int>(i);
  auto chain_up = [&](int u) {
    std::vector<int> out;
    for (int k = 0; u >= 0 && k < 64; ++k) {
      out.push_back(u);
      auto it = index.find(units[static_cast<size_t>(u)].parent_id);
      u = units[static_cast<size_t>(u)].parent_id != 0 && it != index.end() ? it->second : -1;
    }
    return out;
  };
  const int first_year = ctx.first_day.year, years = ctx.today.year - first_year + 1;
  std::vector<std::vector<int>> count(units.size(),
                                      std::vector<int>(static_cast<size_t>(years), 0));
  std::vector<std::vector<int64_t>> cents(units.size(),
                                          std::vector<int64_t>(static_cast<size_t>(years), 0));
  std::vector<bool> has(units.size(), false);
  for (size_t i = 0; i < ctx.out.leads.size(); ++i) {
    std::vector<int> up = chain_up(ctx.lead_unit[i]);
    for (int u : up) has[static_cast<size_t>(u)] = true;
    auto it = ctx.out.leads[i].stage_dates.find("signed");
    if (it == ctx.out.leads[i].stage_dates.end() || ctx.lead_cents[i] < 100) continue;
    int y = it->second.year - first_year;
    if (y < 0 || y >= years) continue;
    for (int u : up) ++count[static_cast<size_t>(u)][static_cast<size_t>(y)];
  }
  for (const Contract& c : ctx.out.contracts) {
    int y = c.date.year - first_year;
    if (y < 0 || y >= years) continue;
    for (int u : chain_up(ctx.lead_unit[static_cast<size_t>(c.lead_id)])) {
      cents[static_cast<size_t>(u)][static_cast<size_t>(y)] += c.amount.raw() / kRawPerCent;
    }
  }
  const double day = DayOfYear(ctx.today), year_days = DaysInYear(ctx.today.year);
  for (size_t u = 0; u < units.size(); ++u) {
    if (!has[u]) continue;
    for (int y = 0; y < years; ++y) {
      Rng rng = Stream(ctx.seed, units[u].code, "target", y);
      double n = count[u][static_cast<size_t>(y)],
             yi = static_cast<double>(cents[u][static_cast<size_t>(y)]) / 100;
      if (y == years - 1) {
        if (day >= 60 || y == 0) {
          double f = year_days / day * rng.Uniform(0.92, 1.08);
          n *= f;
          yi *= f;
        } else {
          double f = rng.Uniform(1.05, 1.15);
          n = count[u][static_cast<size_t>(y - 1)] * f;
          yi = static_cast<double>(cents[u][static_cast<size_t>(y - 1)]) / 100 * f;
        }
      } else {
        double f = rng.Uniform(0.90, 1.08);
        n *= f;
        yi *= f;
      }
      Target t;
      t.id = static_cast<int64_t>(ctx.out.targets.size());
      t.unit_id = units[u].id;
      t.year = first_year + y;
      t.projects_100m = static_cast<int>(std::lround(n));
      // Whole 亿元, or tenths below 10亿元; at least 0.1亿元.
      int64_t tenths = yi >= 10 ? Round(yi) * 10 : std::max<int64_t>(1, Round(yi * 10));
      t.contract_amount = Decimal::FromRaw(tenths * 100'000);
      ctx.out.targets.push_back(std::move(t));
    }
  }
}

// ---- Units ----

struct Classified {
  std::vector<int> counties;  // county-level units, in the order given
  int city = -1;              // the first root aggregate
};

// As GenerateNanyangProjects: a root with children or a 6-digit code ending in "00" is an
// aggregate; units whose parent is an aggregate or not in the list are county-level.
Classified Classify(const std::vector<DemoUnit>& units) {
  std::unordered_map<int64_t, int> index;
  for (size_t i = 0; i < units.size(); ++i) index[units[i].id] = static_cast<int>(i);
  std::vector<bool> has_children(units.size());
  for (const DemoUnit& u : units) {
    auto it = index.find(u.parent_id);
    if (u.parent_id != 0 && it != index.end()) has_children[static_cast<size_t>(it->second)] = true;
  }
  auto aggregate = [&](size_t i) {
    const std::string& c = units[i].code;
    bool prefecture =
        c.size() == 6 && c.ends_with("00") &&
        std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    return prefecture || (units[i].parent_id == 0 && has_children[i]);
  };
  Classified out;
  for (size_t i = 0; i < units.size(); ++i) {
    auto parent = index.find(units[i].parent_id);
    bool root = units[i].parent_id == 0 || parent == index.end();
    if (aggregate(i)) {
      if (root && out.city < 0) out.city = static_cast<int>(i);
      continue;
    }
    if (root || aggregate(static_cast<size_t>(parent->second)))
      out.counties.push_back(static_cast<int>(i));
  }
  return out;
}

double UnitWeight(const std::string& code) {
  // 2023 GDP, 亿元 (as demo_indicators), to the power 0.6.
  static const std::map<std::string_view, double> kGdp = {
      {"411302", 430},  {"411303", 540}, {"411321", 180}, {"411322", 330},  {"411323", 330},
      {"411324", 330},  {"411325", 290}, {"411326", 280}, {"411327", 200},  {"411328", 400},
      {"411329", 270},  {"411330", 180}, {"411381", 570}, {"Z411371", 200}, {"Z411372", 150},
      {"Z411373", 100}, {"Z411374", 60}};
  auto it = kGdp.find(code);
  return std::pow(it == kGdp.end() ? 250.0 : it->second, 0.6);
}

CivilDate FirstDay(const CivilDate& today) {
  CivilDate start{2022, 1, 1};
  CivilDate year_ago = AddDays(today, -365);
  return Before(year_ago, start) ? year_ago : start;
}

// `n` signing dates over [first_day, today]: shared among the years by their days in the
// window (each year at least one while n allows), spread evenly within each year.
std::vector<CivilDate> SigningDates(const Ctx& ctx, Rng& rng, int n) {
  std::vector<std::pair<CivilDate, CivilDate>> years;
  std::vector<double> weights;
  for (int y = ctx.first_day.year; y <= ctx.today.year; ++y) {
    CivilDate from = Later(ctx.first_day, CivilDate{y, 1, 1});
    CivilDate to = Before(ctx.today, CivilDate{y, 12, 31}) ? ctx.today : CivilDate{y, 12, 31};
    years.push_back({from, to});
    weights.push_back(static_cast<double>(DaysBetween(from, to) + 1));
  }
  std::vector<int64_t> per_year = Allocate(n, weights, n >= static_cast<int>(years.size()) ? 1 : 0);
  std::vector<CivilDate> out;
  for (size_t y = 0; y < years.size(); ++y) {
    for (int64_t k = 0; k < per_year[y]; ++k)
      out.push_back(DrawDate(rng, {years[y]}, k, per_year[y]));
  }
  return out;
}

// An ordinary unit's `n` leads: ~72% signed (spread over the years), ~12% lost, the rest open.
void PlanOrdinary(Ctx& ctx, int unit, int slot, int n, std::vector<Plan>& plans) {
  Rng rng = Stream(ctx.seed, (*ctx.units)[static_cast<size_t>(unit)].code, "plan");
  int lost = std::max(1, static_cast<int>(std::lround(n * 0.12)));
  int signed_n = std::max(0, std::min(n - lost, static_cast<int>(std::lround(n * 0.72))));
  std::vector<CivilDate> signing = SigningDates(ctx, rng, signed_n);
  for (int k = 0; k < n; ++k) {
    Plan p;
    p.unit = unit;
    p.officer = slot;
    if (k < signed_n) {
      p.kind = Plan::Kind::kSigned;
      p.date = signing[static_cast<size_t>(k)];
    } else if (k < signed_n + lost) {
      p.kind = Plan::Kind::kLost;
      p.date = DrawDate(rng, {{AddDays(ctx.first_day, 150), ctx.today}});
    } else {
      p.kind = Plan::Kind::kOpen;
      p.date = AddDays(ctx.today, -rng.Int64(0, 150));
    }
    plans.push_back(p);
  }
}

void PlanPinned(Ctx& ctx, int unit, int slot, const PinnedUnit& pin, std::vector<Plan>& plans) {
  Rng rng = Stream(ctx.seed, pin.code, "pinned");
  // A ninth of the projects below 1亿元, the rest sharing the remainder (each at least 1亿元).
  const int small = pin.signed_projects / 9;
  std::vector<int64_t> amounts;
  int64_t rest = pin.cents;
  for (int k = 0; k < small; ++k) {
    amounts.push_back(rng.Int64(20, 95));
    rest -= amounts.back();
  }
  std::vector<double> weights;
  for (int k = small; k < pin.signed_projects; ++k)
    weights.push_back(std::exp(rng.Uniform(-1.0, 1.0)));
  for (int64_t a : Allocate(rest, weights, 100)) amounts.push_back(a);
  for (int k = 0; k < pin.signed_projects; ++k) {
    Plan p;
    p.unit = unit;
    p.officer = slot;
    p.kind = Plan::Kind::kSigned;
    p.date = DrawDate(rng, {{pin.from, pin.to}});
    p.cents = amounts[static_cast<size_t>(k)];
    plans.push_back(p);
  }
  for (int k = 0; k < pin.other_signed + pin.open + pin.lost; ++k) {
    Plan p;
    p.unit = unit;
    p.officer = slot;
    if (k < pin.other_signed) {
      p.kind = Plan::Kind::kSigned;
      p.date =
          DrawDate(rng, {{ctx.first_day, AddDays(pin.from, -1)}, {AddDays(pin.to, 1), ctx.today}},
                   k, pin.other_signed);
    } else if (k < pin.other_signed + pin.lost) {
      p.kind = Plan::Kind::kLost;
      p.date = DrawDate(rng, {{AddDays(ctx.first_day, 150), ctx.today}});
    } else {
      p.kind = Plan::Kind::kOpen;
      p.date = AddDays(ctx.today, -rng.Int64(0, 150));
    }
    plans.push_back(p);
  }
}

void BuildLeads(Ctx& ctx, std::vector<Plan>& plans, const std::vector<int64_t>& officers,
                std::string_view what) {
  // Chronological within each unit (units keep the order given).
  std::stable_sort(plans.begin(), plans.end(), [](const Plan& a, const Plan& b) {
    if (a.unit != b.unit) return a.unit < b.unit;
    return Before(a.date, b.date);
  });
  for (size_t i = 0; i < plans.size(); ++i) {
    Rng rng = Stream(ctx.seed, (*ctx.units)[static_cast<size_t>(plans[i].unit)].code, what,
                     static_cast<int64_t>(i));
    AddLead(ctx, plans[i], rng, officers);
  }
}

}  // namespace

BulkData GenerateNanyangInvestment(const std::vector<DemoUnit>& units,
                                   const std::vector<int64_t>& officer_ids, const CivilDate& today,
                                   uint64_t seed) {
  Classified cls = Classify(units);
  if (cls.counties.empty() && cls.city < 0) return {};
  Ctx ctx;
  ctx.units = &units;
  ctx.today = today;
  ctx.seed = seed;
  ctx.first_day = FirstDay(today);

  BuildChains(ctx);
  AddFreeCompanies(ctx, 40, "nanyang");
  AddDuplicates(ctx);

  std::vector<Plan> plans;
  int slot = 0;
  if (cls.city >= 0) PlanOrdinary(ctx, cls.city, slot++, kCityLeads, plans);
  std::vector<int> ordinary;
  std::vector<double> weights;
  for (int c : cls.counties) {
    const PinnedUnit* pin = nullptr;
    for (const PinnedUnit& p : kPinned) {
      if (units[static_cast<size_t>(c)].code == p.code && !Before(today, p.needs_today)) pin = &p;
    }
    if (pin) {
      PlanPinned(ctx, c, slot++, *pin, plans);
    } else {
      ordinary.push_back(c);
      weights.push_back(UnitWeight(units[static_cast<size_t>(c)].code));
    }
  }
  std::vector<int64_t> counts = Allocate(kOtherLeads, weights, 8);
  for (size_t k = 0; k < ordinary.size(); ++k) {
    PlanOrdinary(ctx, ordinary[k], slot++, static_cast<int>(counts[k]), plans);
  }
  BuildLeads(ctx, plans, officer_ids, "lead");

  std::vector<bool> city_unit(units.size(), false);
  if (cls.city >= 0) city_unit[static_cast<size_t>(cls.city)] = true;
  AddVisits(ctx, city_unit);
  AddInspections(ctx, 0.5, city_unit);
  if (cls.city >= 0 || !cls.counties.empty()) {
    AddEvents(ctx, cls.city >= 0 ? cls.city : cls.counties.front(), cls.city >= 0);
  }
  std::stable_sort(ctx.out.activities.begin(), ctx.out.activities.end(),
                   [](const Activity& a, const Activity& b) { return Before(a.date, b.date); });
  for (size_t i = 0; i < ctx.out.activities.size(); ++i)
    ctx.out.activities[i].id = static_cast<int64_t>(i);
  AddTargets(ctx);
  return std::move(ctx.out);
}

BulkData GenerateProvinceInvestment(const std::vector<DemoUnit>& units, int count,
                                    const CivilDate& today, uint64_t seed) {
  if (units.empty() || count <= 0) return {};
  Ctx ctx;
  ctx.units = &units;
  ctx.today = today;
  ctx.seed = seed;
  ctx.first_day = FirstDay(today);
  ctx.wide = true;

  BuildChains(ctx);
  AddFreeCompanies(ctx, std::max(0, count / 4 - static_cast<int>(ctx.out.companies.size())),
                   "province");

  const int big = std::min(count, kProvinceBigUnit);
  std::vector<Plan> plans;
  plans.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    Plan p;
    p.unit = i < big || units.size() == 1 ? 0 : 1 + (i - big) % static_cast<int>(units.size() - 1);
    Rng rng = Stream(seed, "province-plan", "", i);
    double r = rng.Unit();
    if (r < 0.70) {
      p.kind = Plan::Kind::kSigned;
      p.date = DrawDate(rng, {{ctx.first_day, today}});
    } else if (r < 0.88) {
      p.kind = Plan::Kind::kOpen;
      p.date = AddDays(today, -rng.Int64(0, 150));
    } else {
      p.kind = Plan::Kind::kLost;
      p.date = DrawDate(rng, {{AddDays(ctx.first_day, 150), today}});
    }
    plans.push_back(p);
  }
  BuildLeads(ctx, plans, {}, "province-lead");
  std::vector<bool> city_unit(units.size(), false);
  AddInspections(ctx, 0.12, city_unit);  // ~10% of all leads (most reach 考察)
  std::stable_sort(ctx.out.activities.begin(), ctx.out.activities.end(),
                   [](const Activity& a, const Activity& b) { return Before(a.date, b.date); });
  for (size_t i = 0; i < ctx.out.activities.size(); ++i)
    ctx.out.activities[i].id = static_cast<int64_t>(i);
  AddTargets(ctx);
  return std::move(ctx.out);
}

}  // namespace tiaodu::app
