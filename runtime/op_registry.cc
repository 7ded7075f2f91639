#include "runtime/op_registry.h"

#include <algorithm>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "glog/logging.h"

namespace model_server {
namespace {

// std::map keeps node addresses stable and names sorted. Built during static
// initialisation only.
std::map<std::string, RegisteredOp, std::less<>>& Registry() {
  static auto* registry = new std::map<std::string, RegisteredOp, std::less<>>;
  return *registry;
}

}  // namespace

absl::StatusOr<std::vector<int>> OpSpec::OutputArgSizes(
    const NodeAttrs& attrs) const {
  std::vector<int> sizes;
  sizes.reserve(outputs_.size());
  for (const OutputArg& arg : outputs_) {
    if (arg.count_attr.empty()) {
      sizes.push_back(1);
      continue;
    }
    std::vector<DataType> types;
    int64_t count = 0;
    if (attrs.Get(arg.count_attr, &count).ok()) {
      // number_attr
    } else if (attrs.Get(arg.count_attr, &types).ok()) {
      count = static_cast<int64_t>(types.size());
    } else {
      return attrs.Error(absl::StrCat("attr '", arg.count_attr,
                                      "' giving the size of output '", arg.name,
                                      "' is missing or invalid"));
    }
    if (count < 0 || count > 100000) {
      return attrs.Error(absl::StrCat("attr '", arg.count_attr, "' is ", count,
                                      ", out of range"));
    }
    sizes.push_back(static_cast<int>(count));
  }
  return sizes;
}

const RegisteredOp* FindOp(absl::string_view op_name) {
  auto it = Registry().find(op_name);
  return it == Registry().end() ? nullptr : &it->second;
}

std::vector<std::string> RegisteredOpNames() {
  std::vector<std::string> names;
  for (const auto& [name, op] : Registry()) names.push_back(name);
  return names;
}

std::string SourcePathFromRepositoryRoot(absl::string_view file) {
  // __FILE__ is whatever path the compiler was given: absolute, or relative
  // to the build directory when ccache rewrites paths under its base_dir.
  constexpr absl::string_view kRoot = "runtime/";
  for (size_t pos = file.rfind(kRoot); pos != absl::string_view::npos;
       pos = pos == 0 ? absl::string_view::npos : file.rfind(kRoot, pos - 1)) {
    if (pos == 0 || file[pos - 1] == '/') return std::string(file.substr(pos));
  }
  return std::string(file);
}

bool RegisterKernel(OpSpec spec, KernelFactory factory,
                    absl::string_view source_file) {
  std::string name = spec.op_name();
  auto [it, inserted] = Registry().emplace(
      name, RegisteredOp{std::move(spec), std::move(factory),
                         SourcePathFromRepositoryRoot(source_file)});
  CHECK(inserted) << "op registered twice: " << name;
  return true;
}

}  // namespace model_server
