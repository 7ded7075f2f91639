// Daemons shared by the tests of one suite: one per model directory of
// ../shared/models, started on first use and stopped by StopAll (typically
// from TearDownTestSuite), which expects each to exit with code 0.
//
//   static SharedDaemons* daemons = new SharedDaemons();
//   DaemonProcess* daemon = daemons->Get("tfs_half_plus_two_cpu", "hp2");
#ifndef MODEL_SERVER_TESTS_TESTING_SHARED_DAEMONS_H_
#define MODEL_SERVER_TESTS_TESTING_SHARED_DAEMONS_H_

#include <map>
#include <memory>
#include <string>

#include "tests/testing/daemon_process.h"

namespace model_server {
namespace testing {

class SharedDaemons {
 public:
  // The daemon serving ../shared/models/<model_dir> as `model_name`. Null,
  // with a test failure recorded, when it cannot start. REQUIRES: the model
  // directory exists (callers GTEST_SKIP when SharedModelPath is empty).
  DaemonProcess* Get(const std::string& model_dir,
                     const std::string& model_name);

  // SIGTERMs every daemon; each must exit with code 0.
  void StopAll();

 private:
  std::map<std::string, std::unique_ptr<DaemonProcess>> daemons_;
};

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_SHARED_DAEMONS_H_
