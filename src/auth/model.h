// Plain structs of the auth domain: users, sessions, the acting user, audit records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tiaodu::auth {

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string role;  // a role code, see rules.h
  int64_t unit_id = 0;
  std::string unit_code;
  std::string unit_name;
  std::string unit_path;  // materialized path of the user's unit, e.g. "/1/4/"
  std::string scope_path;  // the subtree the user may see: unit_path, or for a department
                           // its parent's path (a city department works for the whole city)
  std::string password_hash;
  bool must_change_password = false;
  int64_t password_changed_at = 0;
  int failed_logins = 0;
  int64_t locked_until = 0;
  bool disabled = false;
  int64_t last_login_at = 0;
  int version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Session {
  std::string token_hash;
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  std::string ip;
};

// Who performs a request: the authenticated user with their role and data scope, and where
// the request came from. Built by the HTTP middleware, passed by reference to services.
struct Actor {
  int64_t user_id = 0;
  std::string username;  // "-" for anonymous, "system" for the CLI
  std::string role;
  int64_t unit_id = 0;
  std::string unit_path;  // scope: the subtree under this path
  std::string ip;
  bool system = false;  // the CLI acting as the installation itself (init, demo)

  bool InScope(const std::string& path) const {
    return system || (!unit_path.empty() && path.compare(0, unit_path.size(), unit_path) == 0);
  }
};

// One audit record as written. before/after are JSON text or empty.
struct AuditEntry {
  int64_t id = 0;
  int64_t seq = 0;
  int64_t at = 0;
  std::optional<int64_t> user_id;
  std::string username;
  std::string role;
  std::optional<int64_t> unit_id;
  std::string ip;
  std::string event;        // e.g. "user.create", "auth.login"
  std::string object_type;  // e.g. "user"
  std::string object_id;
  std::string outcome;  // "success" | "failure"
  std::string before_json;
  std::string after_json;
  std::string prev_hash;
  std::string hash;
};

struct AuditQuery {
  std::string username{};
  std::string event{};
  std::string object_type{};
  int64_t from_millis = 0;  // 0: no bound
  int64_t to_millis = 0;
  int page = 1;
  int page_size = 50;
};

struct UserQuery {
  std::string q{};
  std::string role{};
  int64_t unit_id = 0;
  int page = 1;
  int page_size = 50;
};

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
  int page = 1;
  int page_size = 50;
};

}  // namespace tiaodu::auth
