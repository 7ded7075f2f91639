// gen_ops_doc: rewrites docs/ops.md from the op registry.
//
//   cmake --build build --target ops_doc     # builds this and runs it
//   build/tools/gen_ops_doc docs/ops.md      # the same, by hand
//
// Keeps the file's hand-written preamble (up to the marker line, see
// tools/ops_doc.h) and regenerates the table after it.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "runtime/op_registry.h"
#include "tools/ops_doc.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " PATH/TO/docs/ops.md\n";
    return 2;
  }
  const std::string path = argv[1];
  std::stringstream current;
  {
    std::ifstream in(path);
    if (!in) {
      std::cerr << "gen_ops_doc: cannot read " << path << "\n";
      return 1;
    }
    current << in.rdbuf();
  }
  absl::StatusOr<std::string> doc = model_server::RenderOpsDoc(current.str());
  if (!doc.ok()) {
    std::cerr << "gen_ops_doc: " << path << ": " << doc.status().message()
              << "\n";
    return 1;
  }
  if (*doc == current.str()) {
    std::cout << path << " is up to date ("
              << model_server::RegisteredOpNames().size() << " ops)\n";
    return 0;
  }
  std::ofstream out(path, std::ios::trunc);
  out << *doc;
  if (!out.flush()) {
    std::cerr << "gen_ops_doc: cannot write " << path << "\n";
    return 1;
  }
  std::cout << "wrote " << path << " ("
            << model_server::RegisteredOpNames().size() << " ops)\n";
  return 0;
}
