// Server: the HTTP/1.1 listener (Boost.Beast) — several I/O threads, keep-alive, limits on
// header and body size, read/write timeouts. Each parsed request is converted to a plain
// Request and handed to the Api; Beast stays inside server.cc. Run() blocks until Stop()
// (or SIGINT/SIGTERM) is received. The Api must outlive the Server.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/message.h"

namespace tiaodu::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 4;
  uint32_t header_limit = 16 * 1024;
  uint64_t body_limit = 2 * 1024 * 1024;
  // Upload routes (is_upload(method, raw target) true) may send up to this; 0 = none.
  uint64_t upload_body_limit = 0;
  std::function<bool(const std::string& method, const std::string& target)> is_upload;
  int read_timeout_seconds = 30;
  int keep_alive_seconds = 75;
};

using RequestHandler = std::function<Response(const Request&)>;

// Parses "127.0.0.1:8080" into options. InvalidArgument when malformed.
Status ParseListen(const std::string& listen, ServerOptions& options);

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler);
  ~Server();
  // Binds and serves until stopped. Returns an error if binding fails.
  Status Run(const std::function<void(uint16_t bound_port)>& on_ready = {});
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tiaodu::http
