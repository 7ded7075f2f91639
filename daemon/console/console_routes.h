// The web console on the REST port: a page a person uses to try the served
// models from a browser (docs/console.md). Its HTML, CSS and JavaScript are
// compiled in (console_files.h); the page itself only calls the REST API
// under /v1/ with fetch.
//
//   GET /                  index.html
//   GET /console/<file>    the page's stylesheet and scripts
//
// Every console response carries a strict Content-Security-Policy (scripts,
// styles and requests only from the server itself; no inline script, no
// frames, no plugins, no form posts elsewhere) and the usual hardening
// headers (nosniff, no referrer, no framing). The routes exist only on the
// REST server, so the console is off whenever --rest_api_port is 0.
#ifndef MODEL_SERVER_DAEMON_CONSOLE_CONSOLE_ROUTES_H_
#define MODEL_SERVER_DAEMON_CONSOLE_CONSOLE_ROUTES_H_

#include "daemon/rest/http_router.h"

namespace model_server {

// Where the console's files other than index.html are served.
inline constexpr char kConsoleFilePrefix[] = "/console/";

// Adds the routes above to `router`.
void AddConsoleRoutes(HttpRouter* router);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_CONSOLE_CONSOLE_ROUTES_H_
