// Where tests find the source tree, the build tree and ../shared.
//
// Only test_paths.cc sees the configured paths, so every other test file
// compiles the same in any checkout (and ccache shares it between them).
#ifndef MODEL_SERVER_TESTS_TESTING_TEST_PATHS_H_
#define MODEL_SERVER_TESTS_TESTING_TEST_PATHS_H_

#include <string>

namespace model_server {
namespace testing {

// The repository root (holds docs/, tools/, ...).
const std::string& SourceDir();
// The CMake build tree (holds daemon/model_server, tools/...).
const std::string& BinaryDir();
// The shared material beside the repository: `<SourceDir()>/../shared`.
const std::string& SharedDir();

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_TEST_PATHS_H_
