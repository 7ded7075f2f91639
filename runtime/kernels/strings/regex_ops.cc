// Regular expressions with RE2, the library (and so the dialect) TensorFlow
// uses. Patterns that do not compile are INVALID_ARGUMENT with TensorFlow's
// text ("Invalid pattern: <p>, error: <RE2's error>"); static patterns fail
// the load.
//
// RegexReplace: input, pattern (scalar), rewrite (scalar); attr
//   replace_global (default true: every match, else the first). "output",
//   the input's shape. The rewrite may use \0..\9 for groups.
// StaticRegexReplace: input; attrs pattern, rewrite, replace_global.
// RegexFullMatch: input, pattern (scalar). bool "output": the whole string
//   matches.
// StaticRegexFullMatch: input; attr pattern.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "re2/re2.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

absl::StatusOr<std::unique_ptr<RE2>> Compile(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid pattern: ", pattern, ", error: ", re->error()));
  }
  return re;
}

absl::Status Replace(OpKernelContext& ctx, const RE2& re,
                     const std::string& rewrite, bool global) {
  std::string error;
  if (!re.CheckRewriteString(rewrite, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid rewrite pattern: ", rewrite, ", error: ", error));
  }
  return MapStrings<std::string>(ctx,
                                 [&](const std::string& in, std::string* out) {
                                   *out = in;
                                   if (global) {
                                     RE2::GlobalReplace(out, re, rewrite);
                                   } else {
                                     RE2::Replace(out, re, rewrite);
                                   }
                                   return absl::OkStatus();
                                 });
}

absl::Status FullMatch(OpKernelContext& ctx, const RE2& re) {
  return MapStrings<bool>(ctx, [&](const std::string& in, bool* out) {
    *out = RE2::FullMatch(in, re);
    return absl::OkStatus();
  });
}

class RegexReplaceKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    bool global;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("replace_global", true, &global));
    return std::unique_ptr<OpKernel>(new RegexReplaceKernel(global));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::string pattern,
                        ScalarString(ctx.input(1), "Pattern"));
    MS_ASSIGN_OR_RETURN(std::string rewrite,
                        ScalarString(ctx.input(2), "Rewrite"));
    MS_ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, Compile(pattern));
    return Replace(ctx, *re, rewrite, global_);
  }

 private:
  explicit RegexReplaceKernel(bool global) : global_(global) {}
  const bool global_;
};

class StaticRegexReplaceKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    std::string pattern, rewrite;
    bool global;
    MS_RETURN_IF_ERROR(c.attrs.Get("pattern", &pattern));
    MS_RETURN_IF_ERROR(c.attrs.Get("rewrite", &rewrite));
    MS_RETURN_IF_ERROR(c.attrs.GetOr("replace_global", true, &global));
    absl::StatusOr<std::unique_ptr<RE2>> re = Compile(pattern);
    if (!re.ok()) return c.attrs.Error(re.status().message());
    std::string error;
    if (!(*re)->CheckRewriteString(rewrite, &error)) {
      return c.attrs.Error(absl::StrCat("Invalid rewrite pattern: ", rewrite,
                                        ", error: ", error));
    }
    return std::unique_ptr<OpKernel>(new StaticRegexReplaceKernel(
        *std::move(re), std::move(rewrite), global));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    return Replace(ctx, *re_, rewrite_, global_);
  }

 private:
  StaticRegexReplaceKernel(std::unique_ptr<RE2> re, std::string rewrite,
                           bool global)
      : re_(std::move(re)), rewrite_(std::move(rewrite)), global_(global) {}
  const std::unique_ptr<const RE2> re_;  // RE2 is thread-safe for matching.
  const std::string rewrite_;
  const bool global_;
};

class RegexFullMatchKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(new RegexFullMatchKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::string pattern,
                        ScalarString(ctx.input(1), "Pattern"));
    MS_ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, Compile(pattern));
    return FullMatch(ctx, *re);
  }
};

class StaticRegexFullMatchKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    std::string pattern;
    MS_RETURN_IF_ERROR(c.attrs.Get("pattern", &pattern));
    absl::StatusOr<std::unique_ptr<RE2>> re = Compile(pattern);
    if (!re.ok()) return c.attrs.Error(re.status().message());
    return std::unique_ptr<OpKernel>(
        new StaticRegexFullMatchKernel(*std::move(re)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    return FullMatch(ctx, *re_);
  }

 private:
  explicit StaticRegexFullMatchKernel(std::unique_ptr<RE2> re)
      : re_(std::move(re)) {}
  const std::unique_ptr<const RE2> re_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("RegexReplace").Output("output"),
                RegexReplaceKernel::Create);
REGISTER_KERNEL(OpSpec("StaticRegexReplace").Output("output"),
                StaticRegexReplaceKernel::Create);
REGISTER_KERNEL(OpSpec("RegexFullMatch").Output("output"),
                RegexFullMatchKernel::Create);
REGISTER_KERNEL(OpSpec("StaticRegexFullMatch").Output("output"),
                StaticRegexFullMatchKernel::Create);

}  // namespace model_server
