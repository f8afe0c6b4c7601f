#include "http/static_files.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tiaodu::http {
namespace fs = std::filesystem;

namespace {

std::string ContentType(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".svg", "image/svg+xml"},
      {".png", "image/png"},                   {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},                {".woff2", "font/woff2"},
      {".woff", "font/woff"},                  {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},   {".map", "application/json"},
  };
  auto it = kTypes.find(fs::path(path).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool Compressible(const std::string& type) {
  return type.rfind("text/", 0) == 0 || type.find("json") != std::string::npos ||
         type.find("svg") != std::string::npos;
}

// FNV-1a 64 of the content: a strong validator for an immutable in-memory file.
std::string ETagOf(const std::string& content) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : content) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

bool AcceptsGzip(const Request& req) {
  return req.Header("accept-encoding").find("gzip") != std::string::npos;
}

}  // namespace

std::string Gzip(const std::string& data) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

std::unique_ptr<StaticFiles> StaticFiles::Load(const std::string& root) {
  auto sf = std::unique_ptr<StaticFiles>(new StaticFiles());
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return sf;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string rel = "/" + fs::relative(it->path(), root).generic_string();
    if (rel.find("/.") != std::string::npos) continue;  // hidden files (build stamps)
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    File f;
    f.content = ss.str();
    f.content_type = ContentType(rel);
    f.etag = ETagOf(f.content);
    if (Compressible(f.content_type) && f.content.size() > 512) {
      std::string gz = Gzip(f.content);
      if (!gz.empty() && gz.size() < f.content.size() * 9 / 10) f.gzip = std::move(gz);
    }
    sf->files_[rel] = std::move(f);
  }
  return sf;
}

Response StaticFiles::Serve(const Request& req) const {
  std::string path = req.path == "/" ? "/index.html" : req.path;
  auto it = files_.find(path);
  if (it == files_.end() && fs::path(path).extension().empty()) it = files_.find("/index.html");
  Response r;
  if (it == files_.end()) {
    r.status = 404;
    r.content_type = "text/html; charset=utf-8";
    r.body = files_.empty()
                 ? "<!doctype html><meta charset=utf-8><title>调度</title><p>网页应用尚未构建："
                   "请运行 make run。/ The web app is not built: run make run.</p>"
                 : "<!doctype html><meta charset=utf-8><title>404</title><p>页面不存在 / Not found</p>";
    return r;
  }
  const File& f = it->second;
  r.content_type = f.content_type;
  r.SetHeader("ETag", f.etag);
  bool immutable = path.rfind("/assets/", 0) == 0;
  r.SetHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!f.gzip.empty()) r.SetHeader("Vary", "Accept-Encoding");
  if (req.Header("if-none-match") == f.etag) {
    r.status = 304;
    return r;
  }
  if (!f.gzip.empty() && AcceptsGzip(req)) {
    r.SetHeader("Content-Encoding", "gzip");
    r.body = f.gzip;
  } else {
    r.body = f.content;
  }
  return r;
}

}  // namespace tiaodu::http
