#include "io/xlsx.h"

#include <expat.h>
#include <strings.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/table.h"

namespace tiaodu::io {

namespace {

// ---- Fixed bounds on the parts around the sheet (the limits a caller sets bound the sheet) ----

constexpr std::size_t kChunk = 64 * 1024;        // inflated bytes handed to expat at a time
constexpr uint64_t kRatioGrace = 1ull << 20;     // the ratio is checked after the first 1 MB
constexpr uint64_t kMaxEntries = 10'000;         // files in the archive
constexpr uint64_t kMaxPendingXml = 1ull << 20;  // bytes expat may hold for one token
constexpr std::size_t kMaxSheets = 4'096;
constexpr std::size_t kMaxRelationships = 10'000;
constexpr std::size_t kMaxStyles = 100'000;       // numFmt and cellXfs/xf elements
constexpr std::size_t kMaxAttribute = 4'096;      // bytes of a name, target or format kept
constexpr std::size_t kMaxHeaderMerges = 10'000;  // merged ranges touching the header rows
constexpr std::size_t kMaxFastAttributes = 64;    // attributes of one tag FastXml reads itself
constexpr int kGridRows = 1'048'576;              // Excel's grid: A1:XFD1048576
constexpr int kGridColumns = 16'384;

constexpr char kNotXlsx[] = "文件不是有效的 xlsx 工作簿";

// "64 MB", "512 KB", "100 字节".
std::string Mb(uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KB";
  return std::to_string(bytes) + " 字节";
}

// "第12行 C列", as the CSV reader says it.
std::string Where(int row, int col) {
  return "第" + std::to_string(row) + "行 " + ColumnLetter(col) + "列";
}

// The local part of an XML name: "x:row" → "row" (files differ in their prefixes, and the
// strict and transitional dialects in their namespaces; the local names are the same).
// Whether `s` is the literal `lit` (inline, for the names of the hot parts).
template <std::size_t N>
inline bool Is(std::string_view s, const char (&lit)[N]) {
  if (s.size() != N - 1) return false;
  for (std::size_t i = 0; i + 1 < N; ++i)
    if (s[i] != lit[i]) return false;
  return true;
}

std::string_view Local(std::string_view name) {
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// One attribute of a start tag as the handlers see it: the qualified name and the value,
// entities decoded and whitespace normalized (as expat gives it).
struct XmlAttr {
  std::string_view name;
  std::string_view value;
};
using XmlAttrs = std::span<const XmlAttr>;

// The value of the first attribute with this local name; nullopt when there is none.
std::optional<std::string_view> Attr(XmlAttrs atts, std::string_view local) {
  for (const XmlAttr& a : atts) {
    if (Local(a.name) == local) return a.value;
  }
  return std::nullopt;
}

bool ParseUint(std::string_view s, uint64_t& out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool IsTrue(std::optional<std::string_view> v) {
  return v && (*v == "1" || *v == "true");
}

// ST_Xstring escapes: "_x000D_" is U+000D; "_x005F_" escapes a literal underscore. Control
// characters other than tab, line feed and carriage return are dropped (a NUL would not
// even be stored by PostgreSQL).
void DecodeXString(std::string& s) {
  if (s.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      int h0 = hex(s[i + 2]), h1 = hex(s[i + 3]), h2 = hex(s[i + 4]), h3 = hex(s[i + 5]);
      if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
        unsigned cp = (h0 << 12) | (h1 << 8) | (h2 << 4) | h3;
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate is no character
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
          // dropped
        } else if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        i += 7;
        continue;
      }
    }
    out += s[i++];
  }
  s = std::move(out);
}

// ---- Dates ----

enum class DateKind : uint8_t { kNone, kDate, kTime, kDateTime, kAuto };

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::string TwoDigits(unsigned v) {
  return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
}

Result<std::string> FormatSerial(double serial, bool date1904, DateKind kind) {
  if (!std::isfinite(serial) || serial < 0) {
    return InvalidArgument("日期序号不能为负数或非数值");
  }
  if (serial > 3'000'000) return InvalidArgument("日期超出范围：最晚为 9999-12-31");
  const int64_t total = std::llround(serial * 86400.0);
  const int64_t days = total / 86400;
  const unsigned secs = static_cast<unsigned>(total % 86400);
  const std::string time =
      TwoDigits(secs / 3600) + ":" + TwoDigits(secs / 60 % 60) + ":" + TwoDigits(secs % 60);
  // Below 1 the serial is a time of day alone (Excel shows 1900-01-00 as its date).
  const bool time_only = days == 0 && (kind == DateKind::kAuto || kind == DateKind::kTime ||
                                       kind == DateKind::kDateTime);
  if (time_only) return time;
  int64_t epoch_days;  // days since 1970-01-01 of the serial
  if (date1904) {
    epoch_days = DaysFromCivil(1904, 1, 1) + days;
  } else if (days == 60) {
    return InvalidArgument(
        "日期序号 60 是 Excel 1900 日期系统中并不存在的 1900-02-29，不是有效日期");
  } else if (days == 0) {
    return InvalidArgument("日期序号 0 不是有效日期");
  } else if (days < 60) {
    epoch_days = DaysFromCivil(1899, 12, 31) + days;  // before Excel's fictitious leap day
  } else {
    epoch_days = DaysFromCivil(1899, 12, 30) + days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(epoch_days, y, m, d);
  if (y > 9999) return InvalidArgument("日期超出范围：最晚为 9999-12-31");
  std::string date = std::to_string(y) + "-" + TwoDigits(m) + "-" + TwoDigits(d);
  const bool with_time = kind == DateKind::kDateTime || kind == DateKind::kTime ||
                         (kind == DateKind::kAuto && secs != 0);
  return with_time ? date + " " + time : date;
}

// What a number format shows: a date, a time, both, or neither. Quoted text, backslash
// escapes, [brackets] (colours, locales, conditions; [h] and [s] are elapsed time), _x padding
// and *x fills are skipped; only the first section counts. 'E' is an exponent ("0.00E+00"),
// never an era year; an 'm' is a month unless hours or seconds make it minutes.
DateKind ClassifyFormat(std::string_view code) {
  bool y = false, mo = false, d = false, h = false, s = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      std::size_t end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      std::size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      std::string_view inside = code.substr(i + 1, end - i - 1);
      if (!inside.empty() && (inside[0] == 'h' || inside[0] == 'H')) h = true;
      if (!inside.empty() && (inside[0] == 's' || inside[0] == 'S')) s = true;
      i = end;
    } else if (c == ';') {
      break;
    } else {
      switch (c | 0x20) {  // ASCII lower case
        case 'y':
          y = true;
          break;
        case 'm':
          mo = true;
          break;
        case 'd':
          d = true;
          break;
        case 'h':
          h = true;
          break;
        case 's':
          s = true;
          break;
        default:
          break;
      }
    }
  }
  const bool time = h || s;
  const bool date = y || d || (mo && !time);
  if (date && time) return DateKind::kDateTime;
  if (date) return DateKind::kDate;
  if (time) return DateKind::kTime;
  return DateKind::kNone;
}

DateKind BuiltinFormat(uint64_t id) {
  if (id >= 14 && id <= 17) return DateKind::kDate;
  if (id >= 18 && id <= 21) return DateKind::kTime;
  if (id == 22) return DateKind::kDateTime;
  if (id >= 45 && id <= 47) return DateKind::kTime;
  // East Asian built-ins (zh-CN: 31 is yyyy"年"m"月"d"日", 32 h"时"mm"分" ...).
  if ((id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) || id == 57 || id == 58) {
    return DateKind::kDate;
  }
  if ((id >= 32 && id <= 35) || id == 55 || id == 56) return DateKind::kTime;
  return DateKind::kNone;
}

// Cell type t="d": an ISO 8601 date or date-time → "2024-06-30" or "2024-06-30 08:30:00".
std::string IsoCellDate(std::string v) {
  std::size_t t = v.find('T');
  if (t == std::string::npos) return v;
  std::string date = v.substr(0, t);
  std::string time = v.substr(t + 1, 8);
  if (time.size() == 5) time += ":00";
  if (time == "00:00:00" || time.empty()) return date;
  return date + " " + time;
}

// ---- The archive ----

uint64_t Le(std::string_view b, std::size_t at, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// The number of entries the end-of-central-directory record claims, read before libzip
// allocates for them; nullopt when there is no such record (libzip then refuses the file).
std::optional<uint64_t> ClaimedEntries(std::string_view b) {
  if (b.size() < 22) return std::nullopt;
  const std::size_t lowest = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (std::size_t i = b.size() - 22 + 1; i-- > lowest;) {
    if (b.compare(i, 4, "PK\x05\x06") != 0) continue;
    uint64_t entries = Le(b, i + 10, 2);
    if (entries == 0xFFFF && i >= 20 && b.compare(i - 20, 4, "PK\x06\x07") == 0) {
      uint64_t at = Le(b, i - 20 + 8, 8);
      if (at < b.size() && b.size() - at >= 56 && b.compare(at, 4, "PK\x06\x06") == 0) {
        entries = Le(b, at + 32, 8);
      }
    }
    return entries;
  }
  return std::nullopt;
}

class Archive {
 public:
  explicit Archive(const XlsxLimits& limits) : limits_(limits) {}
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;
  ~Archive() {
    if (zip_) zip_discard(zip_);
  }

  Status Open(std::string_view bytes) {
    if (bytes.size() > limits_.max_archive_bytes) {
      return InvalidArgument("文件过大：xlsx 文件最多 " + Mb(limits_.max_archive_bytes),
                             {{"file", "超过文件大小上限"}});
    }
    if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
      return InvalidArgument(
          "文件是旧版 Excel（.xls）或设有打开密码的工作簿：请在 Excel 中另存为“Excel "
          "工作簿（*.xlsx）”、不设密码后再导入",
          {{"file", "不是 xlsx 格式"}});
    }
    if (!LooksLikeZip(bytes)) {
      return InvalidArgument(std::string(kNotXlsx) + "：请上传 Excel 保存的 .xlsx 文件",
                             {{"file", "不是 zip 压缩包"}});
    }
    if (std::optional<uint64_t> n = ClaimedEntries(bytes); n && *n > kMaxEntries) {
      return InvalidArgument(
          "xlsx 压缩包中的文件过多（" + std::to_string(*n) + " 个），不是正常的工作簿",
          {{"file", "压缩包中的文件过多"}});
    }
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source) {
      zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (!zip_) zip_source_free(source);
    }
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (!zip_) {
      return InvalidArgument(
          "xlsx 文件已损坏或不完整（压缩包无法打开）：请在 Excel 中重新保存后再上传",
          {{"file", why}});
    }
    if (zip_get_num_entries(zip_, 0) > static_cast<zip_int64_t>(kMaxEntries)) {
      return InvalidArgument("xlsx 压缩包中的文件过多，不是正常的工作簿",
                             {{"file", "压缩包中的文件过多"}});
    }
    return Status::Ok();
  }

  // Inflated bytes counted against max_total_uncompressed so far; set back when a part is
  // read a second time (a fallback from the fast XML scanner to expat).
  uint64_t total() const { return total_; }
  void set_total(uint64_t total) { total_ = total; }

  bool Has(const std::string& name) const {
    return !name.empty() && zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE) >= 0;
  }

  // Streams the inflated bytes of the part `name` to `sink`, counting them against the
  // limits as they come (the sizes in the zip headers are not trusted).
  template <typename Sink>
  Status Read(const std::string& name, std::string_view label, Sink&& sink) {
    zip_int64_t index = zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) {
      return InvalidArgument("xlsx 文件已损坏：缺少" + std::string(label) + " " + name,
                             {{name, "缺少该部分"}});
    }
    zip_stat_t st;
    zip_stat_init(&st);
    uint64_t compressed = 0;
    if (zip_stat_index(zip_, index, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_SIZE)) {
      compressed = st.comp_size;  // what libzip will read of the archive for this part
    }
    zip_file_t* file = zip_fopen_index(zip_, index, 0);
    if (!file) {
      return InvalidArgument("xlsx 文件已损坏或已加密：无法读取" + std::string(label) + " " + name,
                             {{name, zip_error_strerror(zip_get_error(zip_))}});
    }
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closer(file, zip_fclose);
    if (!buffer_) buffer_ = std::make_unique<char[]>(kChunk);
    uint64_t inflated = 0;
    for (;;) {
      zip_int64_t n = zip_fread(file, buffer_.get(), kChunk);
      if (n < 0) {
        return InvalidArgument("xlsx 文件已损坏：" + std::string(label) + " " + name + " 无法解压",
                               {{name, zip_error_strerror(zip_file_get_error(file))}});
      }
      if (n == 0) break;
      inflated += static_cast<uint64_t>(n);
      total_ += static_cast<uint64_t>(n);
      if (inflated > limits_.max_uncompressed_bytes) {
        return InvalidArgument("xlsx 中的" + std::string(label) + " " + name + " 解压后超过 " +
                                   Mb(limits_.max_uncompressed_bytes) +
                                   " 上限，疑似压缩炸弹，拒绝读取",
                               {{name, "解压后超过大小上限"}});
      }
      if (inflated > kRatioGrace &&
          inflated / std::max<uint64_t>(compressed, 1) > limits_.max_ratio) {
        return InvalidArgument("xlsx 中的" + std::string(label) + " " + name + " 压缩比超过 " +
                                   std::to_string(limits_.max_ratio) +
                                   " 倍上限，疑似压缩炸弹，拒绝读取",
                               {{name, "压缩比超过上限"}});
      }
      if (total_ > limits_.max_total_uncompressed) {
        return InvalidArgument(
            "xlsx 各部分解压后合计超过 " + Mb(limits_.max_total_uncompressed) + " 上限，拒绝读取",
            {{name, "解压后合计超过大小上限"}});
      }
      TIAODU_RETURN_IF_ERROR(sink(buffer_.get(), static_cast<std::size_t>(n)));
    }
    return Status::Ok();
  }

 private:
  const XlsxLimits& limits_;
  zip_t* zip_ = nullptr;
  std::unique_ptr<char[]> buffer_;
  uint64_t total_ = 0;
};

// ---- XML, streamed through expat ----

// The events of one part. A handler records the first error in `error_`; the driver then
// stops the parser and returns it.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, XmlAttrs atts) = 0;
  virtual void End(std::string_view name) {}
  virtual void Text(const char* s, int len) {}
  virtual Status Finish() { return Status::Ok(); }

  void Fail(Status s) {
    if (error_.ok()) error_ = std::move(s);
  }
  const Status& error() const { return error_; }

 private:
  Status error_;
};

struct XmlDriver {
  XML_Parser parser;
  XmlHandler* handler;
  const std::string* part;
  std::string_view label;
  uint64_t event_end = 0;  // input offset after the last event expat reported
  std::vector<XmlAttr> atts;  // the start tag's attributes, for the handler

  void Seen() {
    XML_Index at = XML_GetCurrentByteIndex(parser);
    if (at >= 0) event_end = static_cast<uint64_t>(at) + XML_GetCurrentByteCount(parser);
  }
  void StopIfFailed() {
    if (!handler->error().ok()) XML_StopParser(parser, XML_FALSE);
  }
  Status Refuse(std::string_view what) const {
    return InvalidArgument(
        std::string(label) + " " + *part + " 含有" + std::string(what) + "，出于安全原因拒绝读取",
        {{*part, "含有 DTD 或实体声明"}});
  }
};

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** atts) {
  auto* d = static_cast<XmlDriver*>(data);
  d->Seen();
  d->atts.clear();
  for (int i = 0; atts[i]; i += 2) d->atts.push_back({atts[i], atts[i + 1]});
  d->handler->Start(Local(name), d->atts);
  d->StopIfFailed();
}

void XMLCALL OnEnd(void* data, const XML_Char* name) {
  auto* d = static_cast<XmlDriver*>(data);
  d->Seen();
  d->handler->End(Local(name));
  d->StopIfFailed();
}

void XMLCALL OnText(void* data, const XML_Char* s, int len) {
  auto* d = static_cast<XmlDriver*>(data);
  d->Seen();
  d->handler->Text(s, len);
  d->StopIfFailed();
}

void XMLCALL OnOther(void* data, const XML_Char*, int) { static_cast<XmlDriver*>(data)->Seen(); }

void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* d = static_cast<XmlDriver*>(data);
  d->handler->Fail(d->Refuse(" DTD 声明（<!DOCTYPE>）"));
  XML_StopParser(d->parser, XML_FALSE);
}

void XMLCALL OnEntity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                      const XML_Char*, const XML_Char*, const XML_Char*) {
  auto* d = static_cast<XmlDriver*>(data);
  d->handler->Fail(d->Refuse("实体声明（<!ENTITY>）"));
  XML_StopParser(d->parser, XML_FALSE);
}

int XMLCALL OnExternalEntity(XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*,
                             const XML_Char*) {
  return XML_STATUS_ERROR;
}

// Parses the part `path` of the archive with `handler`, chunk by chunk as it is inflated.
Status ParseXml(Archive& zip, const std::string& path, std::string_view label,
                XmlHandler& handler) {
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                 XML_ParserFree);
  if (!parser) return Internal("XML 解析器无法创建");
  XML_Parser p = parser.get();
  XmlDriver driver{p, &handler, &path, label, 0, {}};
  XML_SetUserData(p, &driver);
  XML_SetElementHandler(p, OnStart, OnEnd);
  XML_SetCharacterDataHandler(p, OnText);
  XML_SetDefaultHandlerExpand(p, OnOther);
  XML_SetStartDoctypeDeclHandler(p, OnDoctype);
  XML_SetEntityDeclHandler(p, OnEntity);
  XML_SetExternalEntityRefHandler(p, OnExternalEntity);
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);

  auto xml_error = [&]() -> Status {
    if (!handler.error().ok()) return handler.error();
    const int line = static_cast<int>(XML_GetCurrentLineNumber(p));
    const int column = static_cast<int>(XML_GetCurrentColumnNumber(p)) + 1;
    return InvalidArgument(std::string(label) + " " + path + " 第" + std::to_string(line) +
                               "行 XML 格式错误（文件已损坏）",
                           {{path, "第" + std::to_string(line) + "行第" + std::to_string(column) +
                                       "列：" + XML_ErrorString(XML_GetErrorCode(p))}});
  };
  uint64_t fed = 0;
  Status read = zip.Read(path, label, [&](const char* data, std::size_t n) -> Status {
    if (XML_Parse(p, data, static_cast<int>(n), XML_FALSE) != XML_STATUS_OK) return xml_error();
    fed += n;
    if (fed - std::min(fed, driver.event_end) > kMaxPendingXml) {
      return InvalidArgument(std::string(label) + " " + path + " 第" +
                                 std::to_string(XML_GetCurrentLineNumber(p)) +
                                 "行 XML 中有超过 1 MB 的单个标记，拒绝读取",
                             {{path, "XML 标记过长"}});
    }
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (XML_Parse(p, nullptr, 0, XML_TRUE) != XML_STATUS_OK) return xml_error();
  if (!handler.error().ok()) return handler.error();
  return handler.Finish();
}

// ---- XML, scanned by hand: the worksheet and the shared strings (most of an upload's bytes) ----
//
// A pull scanner for the XML that spreadsheet writers produce: an optional byte order mark and
// XML declaration (UTF-8), elements and attributes with ASCII names, character data with the
// five predefined entities and character references, line ends normalized as XML says. It
// checks well-formedness as it goes (names, nesting, attribute syntax and duplicates, UTF-8
// and XML characters, "]]>", one root element), and gives up on anything else: a DTD, a
// comment, a CDATA section, a processing instruction, another encoding, a non-ASCII name, a
// token longer than kMaxPendingXml, anything malformed. The caller then parses the part again
// with expat (ParseXml), which reads it or refuses it with its own message. So the fast path
// accepts nothing expat refuses and refuses nothing itself; the handlers see the same events
// (character data possibly in fewer pieces). tests/fuzz/xlsx_fuzz.cc compares the two.
class FastXml {
 public:
  explicit FastXml(XmlHandler& handler) : handler_(handler) {}

  // Scans the next inflated bytes of the part. False when the handler failed (its error) or
  // the scanner gave up (fallback()).
  bool Feed(const char* data, std::size_t n) {
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    buf_.append(data, n);
    return Scan(false);
  }
  // The end of the part.
  bool Finish() { return Scan(true); }
  bool fallback() const { return fallback_; }

 private:
  enum class Tag { kDone, kMore, kGiveUp };

  static bool Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool NameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }
  static bool NameChar(char c) {
    return NameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  }
  static bool XmlChar(uint32_t cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
  }
  // The length of the well-formed UTF-8 sequence of an XML character at s[0..n), 0 if none.
  static std::size_t Utf8(const unsigned char* s, std::size_t n) {
    const unsigned char c = s[0];
    auto cont = [&](std::size_t k) { return k < n && (s[k] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      if (!cont(1) || !cont(2)) return 0;
      if (c == 0xE0 && s[1] < 0xA0) return 0;                    // overlong
      if (c == 0xED && s[1] >= 0xA0) return 0;                   // surrogate
      if (c == 0xEF && s[1] == 0xBF && s[2] >= 0xBE) return 0;   // U+FFFE, U+FFFF
      return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      if (c == 0xF0 && s[1] < 0x90) return 0;  // overlong
      if (c == 0xF4 && s[1] >= 0x90) return 0;  // past U+10FFFF
      return 4;
    }
    return 0;
  }
  // The UTF-8 bytes of the code point `cp` (a valid XML character) at out; their count.
  static std::size_t EncodeUtf8(char* out, uint32_t cp) {
    if (cp < 0x80) {
      out[0] = static_cast<char>(cp);
      return 1;
    }
    if (cp < 0x800) {
      out[0] = static_cast<char>(0xC0 | (cp >> 6));
      out[1] = static_cast<char>(0x80 | (cp & 0x3F));
      return 2;
    }
    if (cp < 0x10000) {
      out[0] = static_cast<char>(0xE0 | (cp >> 12));
      out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out[2] = static_cast<char>(0x80 | (cp & 0x3F));
      return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
  }
  // The reference at s[0] == '&' within s[0..n): appends its character, returns its length;
  // 0 when it is no predefined entity or reference to an XML character (or an unusually
  // long one, such as one with many leading zeros: expat judges those).
  static std::size_t Reference(const char* s, std::size_t n, std::string& out) {
    const std::size_t limit = std::min<std::size_t>(n, 16);
    if (limit >= 4 && s[1] == '#') {
      const bool hex = s[2] == 'x';
      std::size_t k = hex ? 3 : 2;
      const std::size_t first = k;
      uint32_t cp = 0;
      for (; k < limit && s[k] != ';'; ++k) {
        const char c = s[k];
        uint32_t v;
        if (c >= '0' && c <= '9') v = static_cast<uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f') v = static_cast<uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F') v = static_cast<uint32_t>(c - 'A' + 10);
        else return 0;
        cp = cp * (hex ? 16 : 10) + v;
        if (cp > 0x10FFFF) return 0;
      }
      if (k == limit || k == first || !XmlChar(cp)) return 0;
      char utf8[4];
      out.append(utf8, EncodeUtf8(utf8, cp));
      return k + 1;
    }
    std::size_t k = 1;
    while (k < limit && s[k] != ';') ++k;
    if (k == limit) return 0;
    const std::string_view name(s + 1, k - 1);
    char c;
    if (Is(name, "lt")) c = '<';
    else if (Is(name, "gt")) c = '>';
    else if (Is(name, "amp")) c = '&';
    else if (Is(name, "quot")) c = '"';
    else if (Is(name, "apos")) c = '\'';
    else return 0;
    out += c;
    return k + 1;
  }

  bool GiveUp() {
    fallback_ = true;
    return false;
  }
  bool HandlerOk() const { return handler_.error().ok(); }

  // The XML declaration at the start (after a UTF-8 byte order mark): version 1.0, encoding
  // UTF-8 or none, standalone yes/no. False to give up.
  bool Declaration(std::string_view decl) {
    std::size_t i = 0;
    int order = 0;  // version, encoding, standalone, in this order
    while (i < decl.size()) {
      if (!Space(decl[i])) return false;
      while (i < decl.size() && Space(decl[i])) ++i;
      if (i == decl.size()) break;
      const std::size_t eq = decl.find('=', i);
      if (eq == std::string_view::npos) return false;
      std::string_view name = decl.substr(i, eq - i);
      while (!name.empty() && Space(name.back())) name.remove_suffix(1);
      std::size_t v = eq + 1;
      while (v < decl.size() && Space(decl[v])) ++v;
      if (v >= decl.size() || (decl[v] != '"' && decl[v] != '\'')) return false;
      const std::size_t close = decl.find(decl[v], v + 1);
      if (close == std::string_view::npos) return false;
      const std::string_view value = decl.substr(v + 1, close - v - 1);
      if (name == "version" && order == 0 && value == "1.0") {
        order = 1;
      } else if (name == "encoding" && order == 1 && value.size() == 5 &&
                 strncasecmp(value.data(), "UTF-8", 5) == 0) {
        order = 2;
      } else if (name == "standalone" && order >= 1 && order < 3 &&
                 (value == "yes" || value == "no")) {
        order = 3;
      } else {
        return false;
      }
      i = close + 1;
    }
    return order >= 1;
  }

  // Character data b[p..q) (q at a '<' or the end of the part).
  bool Text(const char* s, std::size_t n) {
    if (stack_ends_.empty()) {  // outside the root element: white space only
      for (std::size_t k = 0; k < n; ++k)
        if (!Space(s[k])) return GiveUp();
      return true;
    }
    bool copy = false;  // whether the text differs from its bytes (entities, CR)
    scratch_.clear();
    std::size_t run = 0;  // start of the bytes not yet copied to scratch_
    for (std::size_t k = 0; k < n;) {
      const unsigned char c = static_cast<unsigned char>(s[k]);
      if (c >= 0x20 && c < 0x80 && c != '&' && c != ']') {
        ++k;
      } else if (c >= 0x80) {
        const std::size_t len = Utf8(reinterpret_cast<const unsigned char*>(s + k), n - k);
        if (len == 0) return GiveUp();
        k += len;
      } else if (c == '\t' || c == '\n') {
        ++k;
      } else if (c == ']') {
        if (k + 2 < n && s[k + 1] == ']' && s[k + 2] == '>') return GiveUp();
        ++k;
      } else if (c == '&' || c == '\r') {
        copy = true;
        scratch_.append(s + run, k - run);
        if (c == '&') {
          const std::size_t len = Reference(s + k, n - k, scratch_);
          if (len == 0) return GiveUp();
          k += len;
        } else {
          scratch_ += '\n';
          k += (k + 1 < n && s[k + 1] == '\n') ? 2 : 1;
        }
        run = k;
      } else {
        return GiveUp();  // a control character
      }
    }
    if (copy) {
      scratch_.append(s + run, n - run);
      if (!scratch_.empty()) handler_.Text(scratch_.data(), static_cast<int>(scratch_.size()));
    } else if (n > 0) {
      handler_.Text(s, static_cast<int>(n));
    }
    return HandlerOk();
  }

  // An attribute value as expat gives it: references decoded, each white-space character a
  // space. False to give up.
  static bool AttrValue(std::string_view raw, std::string& out) {
    out.clear();
    for (std::size_t k = 0; k < raw.size();) {
      const unsigned char c = static_cast<unsigned char>(raw[k]);
      if (c == '&') {
        const std::size_t len = Reference(raw.data() + k, raw.size() - k, out);
        if (len == 0) return false;
        k += len;
      } else if (c == '\r') {
        out += ' ';
        k += (k + 1 < raw.size() && raw[k + 1] == '\n') ? 2 : 1;
      } else if (c == '\t' || c == '\n') {
        out += ' ';
        ++k;
      } else if (c >= 0x80) {
        const std::size_t len = Utf8(reinterpret_cast<const unsigned char*>(raw.data() + k), raw.size() - k);
        if (len == 0) return false;
        out.append(raw.data() + k, len);
        k += len;
      } else if (c < 0x20 || c == '<') {
        return false;
      } else {
        out += static_cast<char>(c);
        ++k;
      }
    }
    return true;
  }

  // The start tag at b[p] == '<' (p + 1 < end); sets `next` after it.
  Tag StartTag(const char* b, std::size_t p, std::size_t end, std::size_t& next) {
    std::size_t i = p + 1;
    if (!NameStart(b[i])) return Tag::kGiveUp;
    while (i < end && NameChar(b[i])) ++i;
    if (i == end) return Tag::kMore;
    const std::string_view name(b + p + 1, i - p - 1);
    raw_.clear();
    bool empty = false;
    for (;;) {
      bool space = false;
      while (i < end && Space(b[i])) ++i, space = true;
      if (i == end) return Tag::kMore;
      if (b[i] == '>') {
        ++i;
        break;
      }
      if (b[i] == '/') {
        if (i + 1 == end) return Tag::kMore;
        if (b[i + 1] != '>') return Tag::kGiveUp;
        i += 2;
        empty = true;
        break;
      }
      // Spreadsheet tags have a few attributes; many more go to expat (whose duplicate check
      // is hashed, not quadratic like the one below).
      if (!space || !NameStart(b[i]) || raw_.size() == kMaxFastAttributes) return Tag::kGiveUp;
      const std::size_t a = i;
      while (i < end && NameChar(b[i])) ++i;
      const std::string_view attr(b + a, i - a);
      while (i < end && Space(b[i])) ++i;
      if (i == end) return Tag::kMore;
      if (b[i] != '=') return Tag::kGiveUp;
      ++i;
      while (i < end && Space(b[i])) ++i;
      if (i == end) return Tag::kMore;
      const char quote = b[i];
      if (quote != '"' && quote != '\'') return Tag::kGiveUp;
      const char* close = static_cast<const char*>(std::memchr(b + i + 1, quote, end - i - 1));
      if (!close) return Tag::kMore;
      raw_.push_back({attr, std::string_view(b + i + 1, static_cast<std::size_t>(close - b - i - 1))});
      i = static_cast<std::size_t>(close - b) + 1;
    }
    // The values: most are plain ASCII and used as they are.
    if (decoded_.size() < raw_.size()) decoded_.resize(raw_.size());
    for (std::size_t k = 0; k < raw_.size(); ++k) {
      for (std::size_t j = 0; j < k; ++j)
        if (raw_[j].name == raw_[k].name) return Tag::kGiveUp;  // a duplicate attribute
      const std::string_view v = raw_[k].value;
      bool plain = true;
      for (char ch : v) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x80 || c == '&' || c == '<') {
          plain = false;
          break;
        }
      }
      if (plain) continue;
      if (!AttrValue(v, decoded_[k])) return Tag::kGiveUp;
      raw_[k].value = decoded_[k];
    }
    if (stack_ends_.empty() && root_done_) return Tag::kGiveUp;  // a second root element
    names_.append(name);
    stack_ends_.push_back(names_.size());
    handler_.Start(Local(name), raw_);
    if (HandlerOk() && empty) Pop();
    next = i;
    return Tag::kDone;
  }

  void Pop() {
    const std::size_t end = stack_ends_.back();
    stack_ends_.pop_back();
    const std::size_t begin = stack_ends_.empty() ? 0 : stack_ends_.back();
    handler_.End(Local(std::string_view(names_).substr(begin, end - begin)));
    names_.resize(begin);
    if (stack_ends_.empty()) root_done_ = true;
  }

  bool Scan(bool final) {
    const char* b = buf_.data();
    const std::size_t end = buf_.size();
    std::size_t p = pos_;
    if (!started_) {
      if (end - p < 6 && !final) return true;
      if (std::string_view(b + p, end - p).starts_with("\xEF\xBB\xBF")) p += 3;
      const std::string_view rest(b + p, end - p);
      if (rest.starts_with("<?xml") && rest.size() > 5 && Space(rest[5])) {
        const std::size_t close = rest.find("?>");
        if (close == std::string_view::npos) {
          if (final || rest.size() > kMaxPendingXml) return GiveUp();
          return true;
        }
        if (!Declaration(rest.substr(5, close - 5))) return GiveUp();
        p += close + 2;
      }
      started_ = true;
    }
    while (p < end) {
      if (b[p] != '<') {
        const char* lt = static_cast<const char*>(std::memchr(b + p, '<', end - p));
        if (!lt && !final) break;  // the text goes on in the next bytes
        const std::size_t q = lt ? static_cast<std::size_t>(lt - b) : end;
        if (!Text(b + p, q - p)) return false;
        p = q;
        continue;
      }
      if (p + 1 == end) break;
      const char c = b[p + 1];
      if (c == '/') {
        const char* gt = static_cast<const char*>(std::memchr(b + p + 2, '>', end - p - 2));
        if (!gt) break;
        std::size_t i = p + 2;
        if (i == end || !NameStart(b[i])) return GiveUp();
        while (NameChar(b[i])) ++i;
        const std::string_view name(b + p + 2, i - p - 2);
        while (Space(b[i])) ++i;
        if (b + i != gt || stack_ends_.empty()) return GiveUp();
        const std::size_t begin = stack_ends_.size() > 1 ? stack_ends_[stack_ends_.size() - 2] : 0;
        if (names_.size() - begin != name.size()) return GiveUp();  // mismatched tag
        for (std::size_t k = 0; k < name.size(); ++k)
          if (names_[begin + k] != name[k]) return GiveUp();
        Pop();
        if (!HandlerOk()) return false;
        p = i + 1;
      } else {
        std::size_t next = p;
        const Tag t = StartTag(b, p, end, next);
        if (t == Tag::kGiveUp) return GiveUp();
        if (t == Tag::kMore) break;
        if (!HandlerOk()) return false;
        p = next;
      }
    }
    pos_ = p;
    if (end - p > kMaxPendingXml) return GiveUp();
    if (final && (p != end || !root_done_ || !stack_ends_.empty())) return GiveUp();
    return true;
  }

  XmlHandler& handler_;
  std::string buf_;   // inflated bytes not yet scanned, from pos_
  std::size_t pos_ = 0;
  bool started_ = false, root_done_ = false, fallback_ = false;
  std::string names_;                    // the open elements' names, one after the other
  std::vector<std::size_t> stack_ends_;  // where each ends in names_
  std::vector<XmlAttr> raw_;             // the current start tag's attributes
  std::vector<std::string> decoded_;     // values that needed decoding, by attribute
  std::string scratch_;                  // character data that needed decoding
};

// Parses the part `path` with FastXml; sets *fallback when the scanner gave up (the caller
// then parses the part again with ParseXml and a fresh handler).
Status FastParseXml(Archive& zip, const std::string& path, std::string_view label,
                    XmlHandler& handler, bool* fallback) {
  FastXml scanner(handler);
  Status read = zip.Read(path, label, [&](const char* data, std::size_t n) -> Status {
    if (scanner.Feed(data, n)) return Status::Ok();
    return scanner.fallback() ? Internal("xml fallback") : handler.error();
  });
  if (scanner.fallback()) {
    *fallback = true;
    return Status::Ok();
  }
  if (!read.ok()) return read;
  if (!scanner.Finish()) {
    if (!scanner.fallback()) return handler.error();
    *fallback = true;
    return Status::Ok();
  }
  if (!handler.error().ok()) return handler.error();
  return handler.Finish();
}

std::string KeptAttr(std::optional<std::string_view> v) {
  if (!v) return "";
  return std::string(v->substr(0, kMaxAttribute));
}

// ---- Package parts ----

struct Relationship {
  std::string id;
  std::string type;    // the last segment of the type URI: "worksheet", "sharedStrings" ...
  std::string target;  // the resolved part name, without a leading '/'
};

// The part name that `target` (a relationship's Target) names from the part `source`.
std::string ResolveTarget(const std::string& source, std::string_view target) {
  std::string joined;
  if (target.starts_with("/")) {
    joined = std::string(target.substr(1));
  } else {
    std::size_t slash = source.rfind('/');
    joined = (slash == std::string::npos ? "" : source.substr(0, slash + 1)) + std::string(target);
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string seg = joined.substr(start, end - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(std::move(seg));
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& s : parts) out += (out.empty() ? "" : "/") + s;
  return out;
}

std::string RelsPathOf(const std::string& part) {
  std::size_t slash = part.rfind('/');
  if (slash == std::string::npos) return "_rels/" + part + ".rels";
  return part.substr(0, slash + 1) + "_rels/" + part.substr(slash + 1) + ".rels";
}

class RelsHandler : public XmlHandler {
 public:
  explicit RelsHandler(std::string source) : source_(std::move(source)) {}
  void Start(std::string_view name, XmlAttrs atts) override {
    if (name != "Relationship") return;
    if (rels.size() >= kMaxRelationships) {
      Fail(InvalidArgument("xlsx 文件的关系文件中条目过多，不是正常的工作簿"));
      return;
    }
    if (Attr(atts, "TargetMode") == "External") return;
    std::string type = KeptAttr(Attr(atts, "Type"));
    std::size_t slash = type.rfind('/');
    if (slash != std::string::npos) type.erase(0, slash + 1);
    rels.push_back({KeptAttr(Attr(atts, "Id")), std::move(type),
                    ResolveTarget(source_, KeptAttr(Attr(atts, "Target")))});
  }
  std::vector<Relationship> rels;

 private:
  std::string source_;
};

class ContentTypesHandler : public XmlHandler {
 public:
  explicit ContentTypesHandler(std::string wanted) : wanted_("/" + std::move(wanted)) {}
  void Start(std::string_view name, XmlAttrs atts) override {
    if (name != "Override") return;
    const std::optional<std::string_view> part = Attr(atts, "PartName");
    const std::optional<std::string_view> type = Attr(atts, "ContentType");
    if (!part || !type) return;
    std::string_view t(*type);
    const bool workbook = t.find("spreadsheetml.sheet.main") != std::string_view::npos ||
                          t.find("spreadsheetml.template.main") != std::string_view::npos ||
                          t.find("ms-excel.sheet.macroEnabled.main") != std::string_view::npos ||
                          t.find("ms-excel.template.macroEnabled.main") != std::string_view::npos;
    if (workbook && workbook_part.empty()) workbook_part = ResolveTarget("", KeptAttr(part));
    if (part->size() == wanted_.size() && part->find('\0') == std::string_view::npos &&
        strncasecmp(part->data(), wanted_.c_str(), wanted_.size()) == 0) {
      wanted_type = KeptAttr(type);
      wanted_is_workbook = workbook;
    }
  }
  std::string workbook_part;  // the part whose content type is a spreadsheet's main part
  std::string wanted_type;    // the content type of the part asked about ("" = not listed)
  bool wanted_is_workbook = false;

 private:
  std::string wanted_;
};

struct SheetEntry {
  std::string name;
  std::string rel_id;
};

class WorkbookHandler : public XmlHandler {
 public:
  void Start(std::string_view name, XmlAttrs atts) override {
    if (name == "workbookPr") {
      date1904 = IsTrue(Attr(atts, "date1904"));
    } else if (name == "sheet") {
      if (sheets.size() >= kMaxSheets) {
        Fail(InvalidArgument("工作簿中的工作表过多（超过 " + std::to_string(kMaxSheets) + " 个）"));
        return;
      }
      sheets.push_back({KeptAttr(Attr(atts, "name")), KeptAttr(Attr(atts, "id"))});
    }
  }
  bool date1904 = false;
  std::vector<SheetEntry> sheets;
};

class StylesHandler : public XmlHandler {
 public:
  void Start(std::string_view name, XmlAttrs atts) override {
    if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "numFmts") {
      in_num_fmts_ = true;  // not the numFmt of a dxf (conditional formats), which may reuse ids
    } else if (name == "numFmt" && in_num_fmts_) {
      uint64_t id;
      const std::optional<std::string_view> code = Attr(atts, "formatCode");
      const std::optional<std::string_view> id_text = Attr(atts, "numFmtId");
      if (!code || !id_text || !ParseUint(*id_text, id)) return;
      if (custom_.size() >= kMaxStyles) return TooMany();
      custom_[id] = ClassifyFormat(*code);
    } else if (name == "xf" && in_cell_xfs_) {
      if (xf_formats_.size() >= kMaxStyles) return TooMany();
      uint64_t id = 0;
      const std::optional<std::string_view> v = Attr(atts, "numFmtId");
      if (!v || !ParseUint(*v, id)) id = 0;
      xf_formats_.push_back(id);
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
    if (name == "numFmts") in_num_fmts_ = false;
  }
  Status Finish() override {
    kinds.reserve(xf_formats_.size());
    for (uint64_t id : xf_formats_) {
      auto it = custom_.find(id);
      kinds.push_back(it != custom_.end() ? it->second : BuiltinFormat(id));
    }
    return Status::Ok();
  }
  std::vector<DateKind> kinds;  // by cell style index (a cell's s attribute)

 private:
  void TooMany() { Fail(InvalidArgument("样式表中的样式过多，不是正常的工作簿")); }
  bool in_cell_xfs_ = false;
  bool in_num_fmts_ = false;
  std::unordered_map<uint64_t, DateKind> custom_;
  std::vector<uint64_t> xf_formats_;
};

// Shared strings, kept in one buffer with their end offsets (no object per string).
struct SharedStrings {
  std::string data;
  std::vector<uint64_t> ends;
  std::size_t size() const { return ends.size(); }
  std::string_view operator[](std::size_t i) const {
    uint64_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(data).substr(begin, ends[i] - begin);
  }
};

class SharedStringsHandler : public XmlHandler {
 public:
  SharedStringsHandler(const XlsxLimits& limits, const std::string& part, SharedStrings& out)
      : limits_(limits), part_(part), out_(out) {}
  void Start(std::string_view name, XmlAttrs atts) override {
    if (Is(name, "si")) {
      if (out_.size() >= limits_.max_shared_strings) {
        Fail(InvalidArgument("共享字符串 " + part_ + " 过多：最多 " +
                                 std::to_string(limits_.max_shared_strings) + " 个",
                             {{part_, "共享字符串过多"}}));
        return;
      }
      in_si_ = true;
      current_.clear();
    } else if (Is(name, "rPh")) {
      ++in_phonetic_;
    } else if (Is(name, "t") && in_si_ && in_phonetic_ == 0) {
      in_t_ = true;
    }
  }
  void End(std::string_view name) override {
    if (Is(name, "t")) {
      in_t_ = false;
    } else if (Is(name, "rPh")) {
      if (in_phonetic_ > 0) --in_phonetic_;
    } else if (Is(name, "si") && in_si_) {
      in_si_ = false;
      DecodeXString(current_);
      if (out_.data.size() + current_.size() > limits_.max_shared_string_bytes) {
        Fail(InvalidArgument(
            "共享字符串 " + part_ + " 的文字过多：合计最多 " + Mb(limits_.max_shared_string_bytes),
            {{part_, "共享字符串合计过长"}}));
        return;
      }
      out_.data += current_;
      out_.ends.push_back(out_.data.size());
    }
  }
  void Text(const char* s, int len) override {
    if (!in_t_) return;
    if (current_.size() + static_cast<std::size_t>(len) > limits_.max_cell_bytes) {
      Fail(InvalidArgument("共享字符串 " + part_ + " 第" + std::to_string(out_.size() + 1) +
                               "个字符串过长：单元格最多 " +
                               std::to_string(limits_.max_cell_bytes) + " 字节",
                           {{part_, "字符串过长"}}));
      return;
    }
    current_.append(s, static_cast<std::size_t>(len));
  }

 private:
  const XlsxLimits& limits_;
  const std::string& part_;
  SharedStrings& out_;
  std::string current_;
  bool in_si_ = false;
  bool in_t_ = false;
  int in_phonetic_ = 0;
};

struct Range {
  int row1, col1, row2, col2;  // rows 1-based, columns 0-based, inclusive
};

// The worksheet: rows as they are parsed go to `sink`; merged ranges that touch the header
// rows are kept for ReadXlsx.
class SheetHandler : public XmlHandler {
 public:
  using Sink = std::function<Status(XlsxRow&)>;

  SheetHandler(const XlsxLimits& limits, const std::string& part, const SharedStrings& strings,
               const std::vector<DateKind>& styles, bool date1904, Sink sink)
      : limits_(limits),
        part_(part),
        strings_(strings),
        styles_(styles),
        date1904_(date1904),
        sink_(std::move(sink)) {}

  void Start(std::string_view name, XmlAttrs atts) override {
    if (Is(name, "sheetData")) {
      in_data_ = true;
    } else if (!in_data_) {
      if (Is(name, "mergeCell")) Merge(Attr(atts, "ref"));
    } else if (Is(name, "row")) {
      StartRow(Attr(atts, "r"));
    } else if (!in_row_) {
      return;
    } else if (Is(name, "c")) {
      StartCell(atts);
    } else if (!in_cell_) {
      return;
    } else if (Is(name, "v")) {
      capture_ = true;
    } else if (Is(name, "is")) {
      in_inline_ = true;
      inline_seen_ = true;
    } else if (Is(name, "rPh")) {
      ++in_phonetic_;
    } else if (Is(name, "t") && in_inline_ && in_phonetic_ == 0) {
      capture_ = true;
    }
  }

  void End(std::string_view name) override {
    if (Is(name, "sheetData")) {
      in_data_ = false;
      data_done_ = true;
    } else if (!in_data_) {
      return;
    } else if (Is(name, "row")) {
      if (in_row_) EndRow();
    } else if (Is(name, "c")) {
      if (in_cell_) EndCell();
    } else if (Is(name, "v") || Is(name, "t")) {
      capture_ = false;
    } else if (Is(name, "is")) {
      in_inline_ = false;
    } else if (Is(name, "rPh")) {
      if (in_phonetic_ > 0) --in_phonetic_;
    }
  }

  void Text(const char* s, int len) override {
    if (!capture_) return;
    if (text_.size() + static_cast<std::size_t>(len) > limits_.max_cell_bytes) {
      Fail(CellTooLarge());
      return;
    }
    text_.append(s, static_cast<std::size_t>(len));
  }

  const std::vector<Range>& merges() const { return merges_; }

 private:
  void StartRow(std::optional<std::string_view> r) {
    uint64_t number = static_cast<uint64_t>(row_number_) + 1;
    if (r && (!ParseUint(*r, number) || number == 0 || number > kGridRows)) {
      return Fail(Malformed("行号“" + KeptAttr(r).substr(0, 32) + "”无效"));
    }
    if (static_cast<int>(number) <= row_number_) {
      return Fail(Malformed("行号不递增（第" + std::to_string(row_number_) + "行之后是第" +
                            std::to_string(number) + "行）"));
    }
    row_number_ = static_cast<int>(number);
    in_row_ = true;
    column_ = -1;
    row_.cells.clear();
    row_.line = row_number_;
  }

  void StartCell(XmlAttrs atts) {
    std::optional<std::string_view> r, t, s;
    for (const XmlAttr& attr : atts) {
      std::string_view a = Local(attr.name);
      if (Is(a, "r"))
        r = attr.value;
      else if (Is(a, "t"))
        t = attr.value;
      else if (Is(a, "s"))
        s = attr.value;
    }
    if (r) {
      std::optional<CellRef> ref = ParseCellRef(*r);
      if (!ref) return Fail(Malformed("单元格位置“" + KeptAttr(r).substr(0, 32) + "”无效"));
      column_ = ref->column;
    } else {
      ++column_;
      if (column_ >= kGridColumns) return Fail(Malformed("单元格超出 XFD 列"));
    }
    type_ = !t                    ? Type::kNone
            : Is(*t, "s")         ? Type::kShared
            : Is(*t, "inlineStr") ? Type::kInline
            : Is(*t, "str")       ? Type::kStr
            : Is(*t, "b")         ? Type::kBool
            : Is(*t, "e")         ? Type::kError
            : Is(*t, "d")         ? Type::kDate
                                  : Type::kOther;
    style_ = 0;
    if (s) {
      uint64_t v;
      if (ParseUint(*s, v) && v < styles_.size()) style_ = static_cast<uint32_t>(v);
    }
    in_cell_ = true;
    in_inline_ = inline_seen_ = capture_ = false;
    in_phonetic_ = 0;
    text_.clear();
  }

  void EndCell() {
    in_cell_ = capture_ = in_inline_ = false;
    std::string value;
    if (type_ == Type::kShared) {
      uint64_t index;
      if (text_.empty()) return;
      if (!ParseUint(text_, index) || index >= strings_.size()) {
        return Fail(InvalidArgument(Where(row_number_, column_) + "引用的共享字符串序号“" +
                                        text_.substr(0, 32) + "”超出范围（共 " +
                                        std::to_string(strings_.size()) + " 个）：文件已损坏",
                                    {{Where(row_number_, column_), "共享字符串序号超出范围"}}));
      }
      value = strings_[index];
    } else if (type_ == Type::kInline || (inline_seen_ && type_ != Type::kStr)) {
      value = std::move(text_);
      DecodeXString(value);
    } else if (type_ == Type::kStr) {
      value = std::move(text_);
      DecodeXString(value);
    } else if (type_ == Type::kBool) {
      value = text_ == "1" ? "TRUE" : text_ == "0" ? "FALSE" : std::move(text_);
    } else if (type_ == Type::kError) {
      value = std::move(text_);
    } else if (type_ == Type::kDate) {
      value = IsoCellDate(std::move(text_));
    } else {
      value = Number(text_);
    }
    if (value.empty()) return;
    if (column_ >= static_cast<int>(limits_.max_columns)) {
      return Fail(InvalidArgument("第" + std::to_string(row_number_) + "行列数过多：最多 " +
                                      std::to_string(limits_.max_columns) + " 列",
                                  {{Where(row_number_, column_), "超过列数上限"}}));
    }
    if (++cells_ > limits_.max_cells) {
      return Fail(InvalidArgument(
          "工作表单元格过多：最多 " + std::to_string(limits_.max_cells) + " 个，请分批导入",
          {{Where(row_number_, column_), "超过单元格数上限"}}));
    }
    if (row_.cells.size() <= static_cast<std::size_t>(column_)) row_.cells.resize(column_ + 1);
    row_.cells[column_] = std::move(value);
  }

  std::string Number(std::string& v) {
    std::string_view s = v;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '+')) {
      s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (s.empty()) return "";
    double x;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(x)) {
      return std::move(v);  // not a number after all: the text as written
    }
    DateKind kind = style_ < styles_.size() ? styles_[style_] : DateKind::kNone;
    if (kind != DateKind::kNone) {
      Result<std::string> date = FormatSerial(x, date1904_, kind);
      if (date.ok()) return std::move(*date);
    }
    return FormatXlsxNumber(x);
  }

  static bool Blank(std::string_view s) {
    while (!s.empty()) {
      if (s.front() == ' ' || s.front() == '\t') {
        s.remove_prefix(1);
      } else if (s.starts_with("\u3000")) {
        s.remove_prefix(3);
      } else if (s.starts_with("\u00a0")) {
        s.remove_prefix(2);
      } else {
        return false;
      }
    }
    return true;
  }

  void EndRow() {
    in_row_ = in_cell_ = false;
    while (!row_.cells.empty() && row_.cells.back().empty()) row_.cells.pop_back();
    bool blank = true;
    for (const std::string& c : row_.cells) {
      if (!Blank(c)) {
        blank = false;
        break;
      }
    }
    if (blank) return;
    if (header_lines_.size() < static_cast<std::size_t>(std::max(limits_.header_rows, 0))) {
      header_lines_.push_back(row_number_);
    } else if (++data_rows_ > limits_.max_rows) {
      return Fail(InvalidArgument(
          "工作表行数过多：最多 " + std::to_string(limits_.max_rows) + " 行数据，请分批导入",
          {{Where(row_number_, 0), "超过行数上限"}}));
    }
    Status s = sink_(row_);
    if (!s.ok()) Fail(std::move(s));
  }

  void Merge(std::optional<std::string_view> ref) {
    if (!ref) return;
    std::string_view r(*ref);
    std::size_t colon = r.find(':');
    if (colon == std::string_view::npos) return;
    std::optional<CellRef> a = ParseCellRef(r.substr(0, colon));
    std::optional<CellRef> b = ParseCellRef(r.substr(colon + 1));
    if (!a || !b) return;  // a bad merge loses nothing but a fill
    Range range{std::min(a->row, b->row), std::min(a->column, b->column), std::max(a->row, b->row),
                std::max(a->column, b->column)};
    if (data_done_) {
      if (header_lines_.empty()) return;
      if (range.row1 > header_lines_.back() || range.row2 < header_lines_.front()) return;
    }
    if (merges_.size() >= kMaxHeaderMerges) {
      return Fail(InvalidArgument("表头中的合并单元格过多（超过 " +
                                  std::to_string(kMaxHeaderMerges) + " 个）"));
    }
    merges_.push_back(range);
  }

  Status Malformed(const std::string& what) const {
    return InvalidArgument(
        "工作表 " + part_ + " 第" + std::to_string(row_number_) + "行附近" + what + "：文件已损坏",
        {{part_, what}});
  }

  Status CellTooLarge() const {
    return InvalidArgument(Where(row_number_, column_) + "内容过长：单元格最多 " +
                               std::to_string(limits_.max_cell_bytes) + " 字节",
                           {{Where(row_number_, column_), "单元格内容过长"}});
  }

  const XlsxLimits& limits_;
  const std::string& part_;
  const SharedStrings& strings_;
  const std::vector<DateKind>& styles_;
  const bool date1904_;
  Sink sink_;

  bool in_data_ = false, data_done_ = false, in_row_ = false, in_cell_ = false;
  bool in_inline_ = false, inline_seen_ = false, capture_ = false;
  int in_phonetic_ = 0;
  int row_number_ = 0;
  int column_ = -1;
  // The cell's t attribute: none (a number), s, inlineStr, str, b, e, d, or another.
  enum class Type : uint8_t { kNone, kShared, kInline, kStr, kBool, kError, kDate, kOther };
  Type type_ = Type::kNone;
  uint32_t style_ = 0;
  std::string text_;
  XlsxRow row_;
  uint64_t cells_ = 0;
  uint32_t data_rows_ = 0;
  std::vector<int> header_lines_;
  std::vector<Range> merges_;
};

// ---- The workbook ----

struct Workbook {
  std::string path;
  bool date1904 = false;
  std::vector<SheetEntry> sheets;
  std::vector<Relationship> rels;  // the workbook's

  const Relationship* Rel(std::string_view id) const {
    for (const Relationship& r : rels) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }
  const Relationship* RelOfType(std::string_view type) const {
    for (const Relationship& r : rels) {
      if (r.type == type) return &r;
    }
    return nullptr;
  }
};

// Finds the workbook through the package relationships and reads its sheets.
Result<Workbook> OpenWorkbook(Archive& zip) {
  Workbook wb;
  if (zip.Has("_rels/.rels")) {
    RelsHandler root("");
    TIAODU_RETURN_IF_ERROR(ParseXml(zip, "_rels/.rels", "关系文件", root));
    for (const Relationship& r : root.rels) {
      if (r.type == "officeDocument" && zip.Has(r.target)) {
        wb.path = r.target;
        break;
      }
    }
  }
  const bool has_types = zip.Has("[Content_Types].xml");
  if (has_types) {
    ContentTypesHandler types(wb.path);
    TIAODU_RETURN_IF_ERROR(ParseXml(zip, "[Content_Types].xml", "内容类型", types));
    if (!wb.path.empty() && !types.wanted_type.empty() && !types.wanted_is_workbook) {
      return InvalidArgument(
          "文件不是 Excel 工作簿（其主文档是“" + types.wanted_type + "”）：请上传 .xlsx 文件",
          {{"file", "不是 Excel 工作簿"}});
    }
    if (wb.path.empty() && zip.Has(types.workbook_part)) wb.path = types.workbook_part;
  }
  if (wb.path.empty() && zip.Has("xl/workbook.xml")) wb.path = "xl/workbook.xml";
  if (wb.path.empty() || (!has_types && !zip.Has("_rels/.rels"))) {
    return InvalidArgument(std::string(kNotXlsx) + "：压缩包中没有 Excel 工作簿（xl/workbook.xml）",
                           {{"file", "缺少工作簿"}});
  }
  WorkbookHandler book;
  TIAODU_RETURN_IF_ERROR(ParseXml(zip, wb.path, "工作簿", book));
  wb.date1904 = book.date1904;
  wb.sheets = std::move(book.sheets);
  const std::string rels_path = RelsPathOf(wb.path);
  if (!zip.Has(rels_path)) {
    return InvalidArgument("xlsx 文件已损坏：缺少工作簿的关系文件 " + rels_path,
                           {{rels_path, "缺少该部分"}});
  }
  RelsHandler rels(wb.path);
  TIAODU_RETURN_IF_ERROR(ParseXml(zip, rels_path, "关系文件", rels));
  wb.rels = std::move(rels.rels);
  return wb;
}

// Reads the chosen sheet, handing each non-empty row to `sink`; the merged ranges over the
// header rows go to `merges` when it is given.
Status ReadSheet(std::string_view bytes, const XlsxOptions& options, SheetHandler::Sink sink,
                 std::vector<Range>* merges) {
  const XlsxLimits& limits = options.limits;
  Archive zip(limits);
  TIAODU_RETURN_IF_ERROR(zip.Open(bytes));
  Result<Workbook> opened = OpenWorkbook(zip);
  TIAODU_RETURN_IF_ERROR(opened);
  const Workbook& wb = *opened;
  if (wb.sheets.empty()) {
    return InvalidArgument("工作簿中没有工作表", {{wb.path, "没有工作表"}});
  }
  const SheetEntry* sheet = &wb.sheets.front();
  if (!options.sheet.empty()) {
    sheet = nullptr;
    std::string names;
    for (const SheetEntry& s : wb.sheets) {
      if (s.name == options.sheet) {
        sheet = &s;
        break;
      }
      if (names.size() < 400) names += (names.empty() ? "" : "、") + s.name;
    }
    if (!sheet) {
      return InvalidArgument(
          "工作簿中没有名为“" + options.sheet + "”的工作表（现有：" + names + "）",
          {{"sheet", "没有该工作表"}});
    }
  }
  const Relationship* rel = wb.Rel(sheet->rel_id);
  if (!rel || rel->target.empty()) {
    return InvalidArgument("xlsx 文件已损坏：找不到工作表“" + sheet->name + "”的内容",
                           {{wb.path, "工作表的关系缺失"}});
  }
  if (rel->type != "worksheet") {
    return InvalidArgument(
        "“" + sheet->name + "”是图表或对话框工作表，不是数据表：请选择数据所在的工作表",
        {{"sheet", "不是数据表"}});
  }

  std::vector<DateKind> styles;
  if (const Relationship* r = wb.RelOfType("styles"); r && zip.Has(r->target)) {
    StylesHandler handler;
    TIAODU_RETURN_IF_ERROR(ParseXml(zip, r->target, "样式", handler));
    styles = std::move(handler.kinds);
  }
  // The shared strings and the sheet go through FastXml; what it gives up on, through expat
  // from the start (the inflated bytes of the first try no longer counted).
  SharedStrings strings;
  if (const Relationship* r = wb.RelOfType("sharedStrings"); r && zip.Has(r->target)) {
    const uint64_t counted = zip.total();
    bool fallback = options.expat_only;
    if (!fallback) {
      SharedStringsHandler handler(limits, r->target, strings);
      TIAODU_RETURN_IF_ERROR(FastParseXml(zip, r->target, "共享字符串", handler, &fallback));
    }
    if (fallback) {
      strings = SharedStrings();
      zip.set_total(counted);
      SharedStringsHandler handler(limits, r->target, strings);
      TIAODU_RETURN_IF_ERROR(ParseXml(zip, r->target, "共享字符串", handler));
    }
  }
  const uint64_t counted = zip.total();
  bool fallback = options.expat_only;
  uint64_t delivered = 0;  // rows the fast try handed to `sink`
  if (!fallback) {
    SheetHandler handler(limits, rel->target, strings, styles, wb.date1904, [&](XlsxRow& row) {
      ++delivered;
      return sink(row);
    });
    TIAODU_RETURN_IF_ERROR(FastParseXml(zip, rel->target, "工作表", handler, &fallback));
    if (!fallback) {
      if (merges) *merges = handler.merges();
      return Status::Ok();
    }
  }
  // Expat reads the same rows first: those already handed over are not handed again.
  zip.set_total(counted);
  uint64_t seen = 0;
  SheetHandler handler(limits, rel->target, strings, styles, wb.date1904, [&](XlsxRow& row) {
    return ++seen <= delivered ? Status::Ok() : sink(row);
  });
  TIAODU_RETURN_IF_ERROR(ParseXml(zip, rel->target, "工作表", handler));
  if (merges) *merges = handler.merges();
  return Status::Ok();
}

// Fills each merged range over the header rows with its top-left cell's value.
void FillMerges(std::vector<XlsxRow>& header, const std::vector<Range>& merges,
                uint32_t max_columns) {
  for (const Range& m : merges) {
    std::string value;
    for (const XlsxRow& row : header) {
      if (row.line == m.row1 && static_cast<std::size_t>(m.col1) < row.cells.size()) {
        value = row.cells[m.col1];
      }
    }
    if (value.empty()) continue;
    const int last = std::min<int>(m.col2, static_cast<int>(max_columns) - 1);
    for (XlsxRow& row : header) {
      if (row.line < m.row1 || row.line > m.row2 || m.col1 > last) continue;
      if (row.cells.size() <= static_cast<std::size_t>(last)) row.cells.resize(last + 1);
      for (int c = m.col1; c <= last; ++c) row.cells[c] = value;
    }
  }
}

}  // namespace

Status ReadXlsxRows(std::string_view bytes, const XlsxOptions& options,
                    const std::function<Status(const XlsxRow&)>& on_row) {
  return ReadSheet(
      bytes, options, [&](XlsxRow& row) { return on_row(row); }, nullptr);
}

Result<Table> ReadXlsx(std::string_view bytes, const XlsxOptions& options) {
  const std::size_t header_count =
      static_cast<std::size_t>(std::max(options.limits.header_rows, 1));
  XlsxOptions opts = options;
  opts.limits.header_rows = static_cast<int>(header_count);
  Table table;
  std::vector<XlsxRow> header;
  std::vector<Range> merges;
  TIAODU_RETURN_IF_ERROR(ReadSheet(
      bytes, opts,
      [&](XlsxRow& row) {
        if (header.size() < header_count) {
          header.push_back(std::move(row));
        } else {
          table.rows.push_back(Row{row.line, std::move(row.cells)});
        }
        return Status::Ok();
      },
      &merges));
  if (header.empty()) {
    return InvalidArgument("工作表为空：第一行应为列名", {{"file", "缺少表头"}});
  }
  FillMerges(header, merges, opts.limits.max_columns);
  std::size_t width = 0;
  for (const XlsxRow& row : header) width = std::max(width, row.cells.size());
  table.header.resize(width);
  for (std::size_t c = 0; c < width; ++c) {
    std::string joined;
    std::string previous;
    for (const XlsxRow& row : header) {
      const std::string cell = c < row.cells.size() ? row.cells[c] : "";
      if (cell.empty() || cell == previous) continue;
      joined += (joined.empty() ? "" : " ") + cell;
      previous = cell;
    }
    table.header[c] = std::move(joined);
  }
  return table;
}

Result<std::vector<std::string>> XlsxSheetNames(std::string_view bytes, const XlsxLimits& limits) {
  Archive zip(limits);
  TIAODU_RETURN_IF_ERROR(zip.Open(bytes));
  Result<Workbook> wb = OpenWorkbook(zip);
  TIAODU_RETURN_IF_ERROR(wb);
  std::vector<std::string> names;
  for (const SheetEntry& s : wb->sheets) names.push_back(s.name);
  return names;
}

bool LooksLikeZip(std::string_view bytes) { return bytes.starts_with("PK\x03\x04"); }

Result<std::string> SerialToIsoDate(double serial, bool date1904) {
  return FormatSerial(serial, date1904, DateKind::kAuto);
}

std::optional<CellRef> ParseCellRef(std::string_view ref) {
  std::size_t i = 0;
  int column = 0;
  while (i < ref.size() && i < 4) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
    ++i;
  }
  if (i == 0 || i > 3 || column > kGridColumns) return std::nullopt;
  std::string_view digits = ref.substr(i);
  if (digits.empty() || digits.size() > 7 || digits[0] == '0') return std::nullopt;
  int row = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    row = row * 10 + (c - '0');
  }
  if (row > kGridRows) return std::nullopt;
  return CellRef{column - 1, row};
}

std::string FormatXlsxNumber(double value) {
  if (value == 0 || !std::isfinite(value)) return value == 0 ? "0" : "";
  // The shortest digits that read back to the same double, as "d.ddde±x"; then written out
  // without the exponent when it is an ordinary magnitude.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  if (ec != std::errc()) return "";
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  const std::size_t e = sci.find('e');
  int exponent = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  if (exponent < -10 || exponent > 20) {
    auto [gend, gec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general);
    return std::string(buf, gend);
  }
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  std::string out = value < 0 ? "-" : "";
  if (exponent < 0) {
    out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  } else if (digits.size() <= static_cast<std::size_t>(exponent) + 1) {
    out += digits + std::string(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
  } else {
    out += digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
  }
  return out;
}

}  // namespace tiaodu::io
