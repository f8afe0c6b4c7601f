// StaticFiles: the built web app (web/dist), loaded into memory once at start-up with a
// strong ETag and a gzip copy of each compressible file. Read-only afterwards; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "base/result.h"
#include "http/message.h"

namespace tiaodu::http {

class StaticFiles {
 public:
  // Loads every regular file under root. A missing root is not an error: Serve() then
  // answers a Chinese page saying the web app is not built.
  static std::unique_ptr<StaticFiles> Load(const std::string& root);

  // Serves path (SPA fallback to /index.html for paths without a file extension).
  Response Serve(const Request& req) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string gzip;  // empty when not worth compressing
    std::string etag;
    std::string content_type;
  };
  std::map<std::string, File> files_;
};

// gzip-compresses data (RFC 1952). Empty on failure.
std::string Gzip(const std::string& data);

}  // namespace tiaodu::http
