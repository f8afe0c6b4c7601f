// Internals shared by parse.cc and rules.cc; not part of the benefits interface.
#pragma once

#include <string>
#include <string_view>

#include "benefits/model.h"

namespace tiaodu::benefits::internal {

// A parse or check error: byte offsets into the text and a Chinese message without position.
struct ParseError {
  int begin = 0;
  int end = 0;
  std::string message;
};

bool Parse(std::string_view text, Expr& out, ParseError& err);
// "第1行第12列：message".
std::string Positioned(std::string_view text, int offset, std::string_view message);
const char* OpText(Op op);
bool ValidDate(int y, int m, int d);

}  // namespace tiaodu::benefits::internal
