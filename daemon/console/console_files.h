// The web console's files (the .html/.css/.js beside this header), compiled
// into the binary at build time by cmake/EmbedFiles.cmake: the daemon needs
// nothing on disk to serve them and no CDN to render them.
#ifndef MODEL_SERVER_DAEMON_CONSOLE_CONSOLE_FILES_H_
#define MODEL_SERVER_DAEMON_CONSOLE_CONSOLE_FILES_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace model_server {

struct EmbeddedFile {
  absl::string_view name;          // file name, e.g. "index.html"
  absl::string_view content_type;  // e.g. "text/html; charset=utf-8"
  absl::string_view bytes;
};

// Every file of daemon/console/ that is served, in no particular order.
// Static storage; never empty in a correct build.
absl::Span<const EmbeddedFile> ConsoleFiles();

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_CONSOLE_CONSOLE_FILES_H_
