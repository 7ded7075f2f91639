#include "daemon/console/console_routes.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "daemon/console/console_files.h"

namespace model_server {
namespace {

// The page needs its own scripts and styles, fetch to the same origin
// (connect-src) and data: URLs for its icon. Images the user uploads are
// decoded with createImageBitmap into a canvas, which needs no img-src.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

HttpResponse FileResponse(const EmbeddedFile& file) {
  HttpResponse response;
  response.content_type = std::string(file.content_type);
  response.body = std::string(file.bytes);
  response.headers = {
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
      // The files change only with the binary; revalidating is cheap.
      {"Cache-Control", "no-cache"},
  };
  return response;
}

}  // namespace

void AddConsoleRoutes(HttpRouter* router) {
  for (const EmbeddedFile& file : ConsoleFiles()) {
    HttpHandler handler = [&file](const HttpRequest&) {
      return FileResponse(file);
    };
    if (file.name == "index.html") router->Add("GET", "/", handler);
    router->Add("GET", absl::StrCat(kConsoleFilePrefix, file.name),
                std::move(handler));
  }
}

}  // namespace model_server
