#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <optional>
#include <thread>
#include <vector>

namespace tiaodu::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

Status ParseListen(const std::string& listen, ServerOptions& options) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return InvalidArgument("监听地址应为 地址:端口，例如 127.0.0.1:8080");
  try {
    int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    options.address = listen.substr(0, colon);
    options.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    return InvalidArgument("端口无效: " + listen);
  }
  return Status::Ok();
}

namespace {

Request ToRequest(const bhttp::request<bhttp::string_body>& in, const std::string& ip) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    r.headers[name] = std::string(f.value());
  }
  r.body = in.body();
  r.remote_ip = ip;
  return r;
}

bhttp::response<bhttp::string_body> ToBeast(Response&& r, unsigned version, bool keep_alive,
                                            bool head) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
  out.set(bhttp::field::server, "tiaodu");
  if (!r.body.empty() || r.status != 304) out.set(bhttp::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) out.insert(k, v);
  out.keep_alive(keep_alive);
  size_t size = r.body.size();
  if (!head) out.body() = std::move(r.body);
  out.content_length(size);
  return out;
}

Response PlainError(int status, const std::string& code, const std::string& message) {
  Response r = ErrorResponse(Status(Code::kInvalidArgument, message));
  r.status = status;
  r.body = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":[]}}";
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerOptions& options, const RequestHandler& handler)
      : stream_(std::move(socket)), options_(options), handler_(handler) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) ip_ = ep.address().to_string();
  }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->header_limit(options_.header_limit);
    parser_->body_limit(std::max(options_.body_limit, options_.upload_body_limit));
    stream_.expires_after(std::chrono::seconds(first_ ? options_.read_timeout_seconds
                                                      : options_.keep_alive_seconds));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  // The header is in: an upload route may send up to upload_body_limit, any other request
  // body_limit. A declared length over the limit is answered at once, without reading it.
  void OnHeader(beast::error_code ec, std::size_t n) {
    if (ec) return OnRead(ec, n);
    const auto& req = parser_->get();
    const bool upload = options_.is_upload && options_.upload_body_limit > 0 &&
                        options_.is_upload(std::string(req.method_string()), std::string(req.target()));
    const uint64_t limit = upload ? options_.upload_body_limit : options_.body_limit;
    if (parser_->content_length() && *parser_->content_length() > limit) {
      first_ = false;
      return SendError(413, "payload_too_large", "请求体过大");
    }
    parser_->body_limit(limit);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    first_ = false;
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      return SendError(413, "payload_too_large", "请求体过大");
    }
    if (ec == bhttp::error::header_limit) {
      return SendError(431, "invalid_argument", "请求头过大");
    }
    if (ec) {
      return SendError(400, "invalid_argument", "请求格式错误");
    }
    auto& req = parser_->get();
    Request r = ToRequest(req, ip_);
    Response resp;
    if (!ParseTarget(r.target, r.path, r.query)) {
      resp = PlainError(400, "invalid_argument", "请求地址格式错误");
    } else {
      resp = handler_(r);
    }
    Send(ToBeast(std::move(resp), req.version(), req.keep_alive(),
                 req.method() == bhttp::verb::head));
  }

  void SendError(int status, const std::string& code, const std::string& message) {
    Send(ToBeast(PlainError(status, code, message), 11, false, false));
  }

  void Send(bhttp::response<bhttp::string_body>&& msg) {
    auto sp = std::make_shared<bhttp::response<bhttp::string_body>>(std::move(msg));
    res_ = sp;
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    bhttp::async_write(stream_, *sp,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this(),
                                                 sp->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, std::size_t) {
    if (ec || close) return Close();
    res_.reset();
    DoRead();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  const ServerOptions& options_;
  const RequestHandler& handler_;
  std::string ip_;
  bool first_ = true;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<void> res_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::acceptor& acceptor, const ServerOptions& options,
           const RequestHandler& handler)
      : ioc_(ioc), acceptor_(acceptor), options_(options), handler_(handler) {}

  void DoAccept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) std::make_shared<Session>(std::move(socket), options_, handler_)->Start();
    DoAccept();
  }
  net::io_context& ioc_;
  tcp::acceptor& acceptor_;
  const ServerOptions& options_;
  const RequestHandler& handler_;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  RequestHandler handler;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  explicit Impl(ServerOptions o, RequestHandler h)
      : options(std::move(o)), handler(std::move(h)), ioc(options.threads) {}
};

Server::Server(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

Status Server::Run(const std::function<void(uint16_t)>& on_ready) {
  Impl& s = *impl_;
  beast::error_code ec;
  auto address = net::ip::make_address(s.options.address, ec);
  if (ec) return InvalidArgument("监听地址无效: " + s.options.address);
  tcp::endpoint ep{address, s.options.port};
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(Code::kUnavailable, "无法监听 " + s.options.address + ":" +
                                          std::to_string(s.options.port) + ": " + ec.message());
  }
  std::make_shared<Listener>(s.ioc, s.acceptor, s.options, s.handler)->DoAccept();

  net::signal_set signals(s.ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { s.ioc.stop(); });

  if (on_ready) on_ready(s.acceptor.local_endpoint().port());
  std::vector<std::thread> threads;
  int n = s.options.threads < 1 ? 1 : s.options.threads;
  threads.reserve(n - 1);
  for (int i = 1; i < n; ++i) threads.emplace_back([&] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
  return Status::Ok();
}

void Server::Stop() { impl_->ioc.stop(); }

}  // namespace tiaodu::http
