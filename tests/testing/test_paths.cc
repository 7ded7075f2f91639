#include "tests/testing/test_paths.h"

namespace model_server {
namespace testing {

const std::string& SourceDir() {
  static const std::string* dir = new std::string(MODEL_SERVER_SOURCE_DIR);
  return *dir;
}

const std::string& BinaryDir() {
  static const std::string* dir = new std::string(MODEL_SERVER_BINARY_DIR);
  return *dir;
}

const std::string& SharedDir() {
  static const std::string* dir = new std::string(MODEL_SERVER_SHARED_DIR);
  return *dir;
}

}  // namespace testing
}  // namespace model_server
