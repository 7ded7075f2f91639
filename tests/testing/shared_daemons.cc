#include "tests/testing/shared_daemons.h"

#include "gtest/gtest.h"

namespace model_server {
namespace testing {

DaemonProcess* SharedDaemons::Get(const std::string& model_dir,
                                  const std::string& model_name) {
  auto it = daemons_.find(model_dir);
  if (it != daemons_.end()) return it->second.get();
  DaemonOptions options;
  options.model_name = model_name;
  options.model_base_path = SharedModelPath(model_dir);
  auto daemon = DaemonProcess::Start(options);
  EXPECT_TRUE(daemon.ok()) << model_dir << ": " << daemon.status();
  if (!daemon.ok()) return nullptr;
  DaemonProcess* started = daemon->get();
  daemons_[model_dir] = *std::move(daemon);
  return started;
}

void SharedDaemons::StopAll() {
  for (auto& [model_dir, daemon] : daemons_) {
    auto exit_code = daemon->Stop();
    EXPECT_TRUE(exit_code.ok()) << model_dir << ": " << exit_code.status();
    if (exit_code.ok()) {
      EXPECT_EQ(*exit_code, 0) << model_dir << ": " << daemon->Stderr();
    }
  }
  daemons_.clear();
}

}  // namespace testing
}  // namespace model_server
