// The web console's routes (daemon/console/console_routes.h), in-process on
// an HttpRouter: what is served where, with which headers, and that the
// page references only files the binary carries. The page itself runs in
// headless Chromium in tests/console/console_test.py.
#include "daemon/console/console_routes.h"

#include <regex>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/console/console_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

HttpResponse Get(const HttpRouter& router, const std::string& path) {
  HttpRequest request;
  request.method = "GET";
  request.path = path;
  return router.Dispatch(request);
}

std::string HeaderValue(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

HttpRouter ConsoleRouter() {
  HttpRouter router;
  AddConsoleRoutes(&router);
  return router;
}

TEST(ConsoleRoutes, ServesThePageAtTheRoot) {
  const HttpRouter router = ConsoleRouter();
  const HttpResponse page = Get(router, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(page.body, StartsWith("<!doctype html>"));
  EXPECT_EQ(Get(router, "/console/index.html").body, page.body);
}

TEST(ConsoleRoutes, EveryResponseCarriesTheSecurityHeaders) {
  const HttpRouter router = ConsoleRouter();
  for (const EmbeddedFile& file : ConsoleFiles()) {
    const HttpResponse response =
        Get(router, absl::StrCat(kConsoleFilePrefix, file.name));
    SCOPED_TRACE(file.name);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, file.bytes);
    const std::string csp = HeaderValue(response, "Content-Security-Policy");
    EXPECT_THAT(csp, HasSubstr("default-src 'none'"));
    EXPECT_THAT(csp, HasSubstr("script-src 'self'"));
    EXPECT_THAT(csp, HasSubstr("connect-src 'self'"));
    EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'"));
    EXPECT_THAT(csp, Not(HasSubstr("unsafe")));
    EXPECT_EQ(HeaderValue(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderValue(response, "X-Frame-Options"), "DENY");
    EXPECT_EQ(HeaderValue(response, "Referrer-Policy"), "no-referrer");
  }
}

TEST(ConsoleRoutes, ScriptsAndStylesAreServedWithTheirTypes) {
  const HttpRouter router = ConsoleRouter();
  EXPECT_EQ(Get(router, "/console/main.js").content_type,
            "text/javascript; charset=utf-8");
  EXPECT_EQ(Get(router, "/console/console.css").content_type,
            "text/css; charset=utf-8");
}

TEST(ConsoleRoutes, UnknownFilesAndOtherMethodsAreNotFound) {
  const HttpRouter router = ConsoleRouter();
  EXPECT_EQ(Get(router, "/console/missing.js").status, 404);
  EXPECT_EQ(Get(router, "/console/../main.cc").status, 404);
  HttpRequest post;
  post.method = "POST";
  post.path = "/";
  EXPECT_EQ(router.Dispatch(post).status, 404);
}

// The CSP allows no inline script or style, so the page must have none, and
// every file it or a script references must be compiled in.
TEST(ConsoleRoutes, PageHasNoInlineCodeAndEveryReferenceResolves) {
  std::set<std::string> names;
  for (const EmbeddedFile& file : ConsoleFiles()) {
    names.insert(std::string(file.name));
  }
  const HttpRouter router = ConsoleRouter();
  const std::string page = Get(router, "/").body;
  EXPECT_THAT(page, Not(HasSubstr("<script>")));
  EXPECT_THAT(page, Not(HasSubstr("<style")));
  EXPECT_THAT(page, Not(HasSubstr("style=")));
  EXPECT_FALSE(std::regex_search(page, std::regex(R"(\son[a-z]+=)")))
      << "inline event handler (onclick=, ...)";
  const std::regex page_reference(R"((?:src|href)="/console/([^"]+)\")");
  int references = 0;
  for (std::sregex_iterator it(page.begin(), page.end(), page_reference), end;
       it != end; ++it, ++references) {
    EXPECT_TRUE(names.count((*it)[1].str())) << (*it)[1].str();
  }
  EXPECT_EQ(references, 2);  // console.css and main.js
  const std::regex import_reference(R"(from '\./([^']+)')");
  for (const EmbeddedFile& file : ConsoleFiles()) {
    const std::string text(file.bytes);
    for (std::sregex_iterator it(text.begin(), text.end(), import_reference),
         end;
         it != end; ++it) {
      EXPECT_TRUE(names.count((*it)[1].str()))
          << file.name << " imports " << (*it)[1].str();
    }
  }
}

}  // namespace
}  // namespace model_server
