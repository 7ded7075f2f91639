// model_tool benchmark: how fast a signature runs in-process, without gRPC in
// the way (the role of TensorFlow's benchmark_model and onnxruntime's
// perf_test). Each --threads value runs in a forked child, since the
// intra-op pool is sized once per process; the child loads the model,
// measures every --batch size (benchmark_measure.h) and sends its results
// back as JSON (benchmark_report.h).
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "model_tool/benchmark_inputs.h"
#include "model_tool/benchmark_measure.h"
#include "model_tool/benchmark_report.h"
#include "model_tool/command_line.h"
#include "model_tool/commands.h"
#include "model_tool/runnable_model.h"
#include "runtime/intra_op_threads.h"
#include "runtime/status_macros.h"
#include "signatures/signature_map.h"

namespace model_server {
namespace {

// Profiled runs per row with --profile (at most the timed runs' count).
constexpr int kProfileRuns = 200;

const std::vector<FlagSpec>& BenchmarkFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"dir", false, "the model (as for show)"},
      {"tag_set", false, "a SavedModel's tag set (default serve)"},
      {"signature_def", false, "the signature (default serving_default)"},
      {"batch", false,
       "comma-separated batch sizes, the size of every unknown (-1) input "
       "dimension (default 1)"},
      {"threads", false,
       "comma-separated intra-op pool sizes (default: one per core)"},
      {"inputs", false,
       "'key=file.npy;key2=file2.npy': fixed inputs instead of random ones "
       "(--batch is then unused)"},
      {"warmup", false, "untimed runs first (default 10)"},
      {"min_runs", false, "timed runs per row at least (default 50)"},
      {"min_time", false, "timed seconds per row at least (default 1)"},
      {"profile", true, "kernel time per op type and per node"},
      {"json", true, "print JSON instead of a table"},
  };
  return *flags;
}

struct Settings {
  std::vector<int64_t> batches;
  std::vector<int> threads;
  MeasureSettings measure;
  bool json = false;
};

template <typename T>
absl::StatusOr<std::vector<T>> ParsePositiveList(const std::string& flag,
                                                 const std::string& text) {
  std::vector<T> values;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    T value;
    if (!absl::SimpleAtoi(item, &value) || value < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", flag, ": \"", item, "\" is not a positive integer"));
    }
    values.push_back(value);
  }
  if (values.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, " is empty"));
  }
  return values;
}

absl::StatusOr<int> ParseCount(const CommandLine& flags,
                               const std::string& flag, int fallback) {
  int value = fallback;
  if (flags.Has(flag) &&
      (!absl::SimpleAtoi(flags.Get(flag), &value) || value < 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": \"", flags.Get(flag), "\" is not a count"));
  }
  return value;
}

absl::StatusOr<Settings> ParseSettings(const CommandLine& flags) {
  if (!flags.Has("dir")) return absl::InvalidArgumentError("--dir is required");
  Settings s;
  MS_ASSIGN_OR_RETURN(
      s.batches, ParsePositiveList<int64_t>("batch", flags.Get("batch", "1")));
  const int cores =
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  MS_ASSIGN_OR_RETURN(
      s.threads, ParsePositiveList<int>(
                     "threads", flags.Get("threads", absl::StrCat(cores))));
  MS_ASSIGN_OR_RETURN(s.measure.warmup_runs, ParseCount(flags, "warmup", 10));
  MS_ASSIGN_OR_RETURN(s.measure.min_runs, ParseCount(flags, "min_runs", 50));
  double min_time = 1;
  if (flags.Has("min_time") &&
      (!absl::SimpleAtod(flags.Get("min_time"), &min_time) || min_time < 0 ||
       min_time > 3600)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--min_time: \"", flags.Get("min_time"),
                     "\" is not a number of seconds in [0, 3600]"));
  }
  s.measure.min_time = absl::Seconds(min_time);
  if (flags.GetBool("profile")) s.measure.profile_runs = kProfileRuns;
  s.json = flags.GetBool("json");
  return s;
}

absl::StatusOr<BlockRow> MeasureRow(const Signature& signature,
                                    const std::vector<Tensor>& inputs,
                                    int64_t batch, const Settings& settings) {
  BlockRow row;
  MS_ASSIGN_OR_RETURN(
      row.row, MeasureSignature(signature, inputs, batch, settings.measure));
  row.profile_runs = settings.measure.profile_runs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    row.inputs.push_back(absl::StrCat(
        signature.inputs()[i].alias, ": ", DataTypeName(inputs[i].dtype()),
        " [", absl::StrJoin(inputs[i].shape().dims(), ","), "]"));
  }
  return row;
}

// Everything for one thread count, as a JSON block; runs in a child.
absl::StatusOr<std::string> BenchmarkWithThreads(const CommandLine& flags,
                                                 const Settings& settings,
                                                 int threads) {
  if (!SetIntraOpThreads(threads)) {
    return absl::InternalError(
        "the intra-op pool existed before model_tool benchmark sized it");
  }
  const absl::Time load_start = absl::Now();
  MS_ASSIGN_OR_RETURN(RunnableModel runnable, LoadRunnableModel(flags));
  const double load_ms = absl::ToDoubleMilliseconds(absl::Now() - load_start);
  const Signature* signature = runnable.signature;
  std::vector<BlockRow> rows;
  if (flags.Has("inputs")) {
    MS_ASSIGN_OR_RETURN(std::vector<Tensor> inputs,
                        NpyInputs(*signature, flags.Get("inputs")));
    const int64_t batch =
        !inputs.empty() && inputs[0].rank() > 0 ? inputs[0].dim(0) : 1;
    MS_ASSIGN_OR_RETURN(BlockRow row,
                        MeasureRow(*signature, inputs, batch, settings));
    rows.push_back(std::move(row));
  } else {
    for (int64_t batch : settings.batches) {
      MS_ASSIGN_OR_RETURN(std::vector<Tensor> inputs,
                          RandomSignatureInputs(*signature, batch));
      MS_ASSIGN_OR_RETURN(BlockRow row,
                          MeasureRow(*signature, inputs, batch, settings));
      rows.push_back(std::move(row));
    }
  }
  return BlockJson(IntraOpThreads(), load_ms, rows);
}

bool WriteAll(int fd, const std::string& text) {
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Runs BenchmarkWithThreads in a child process and returns its block, or
// its error (exit code 1: the error's text).
absl::StatusOr<std::string> RunInChild(const CommandLine& flags,
                                       const Settings& settings, int threads) {
  int fds[2];
  if (pipe(fds) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    close(fds[0]);
    absl::StatusOr<std::string> block =
        BenchmarkWithThreads(flags, settings, threads);
    const bool sent = WriteAll(
        fds[1], block.ok() ? *block : std::string(block.status().message()));
    close(fds[1]);
    _exit(block.ok() && sent ? 0 : 1);
  }
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(text.empty()
                                   ? absl::StrCat("the benchmark process for ",
                                                  threads, " threads died")
                                   : text);
  }
  return text;
}

}  // namespace

int BenchmarkCommand(const std::vector<std::string>& args, std::ostream& out,
                     std::ostream& err) {
  absl::StatusOr<CommandLine> flags =
      CommandLine::Parse(args, BenchmarkFlags());
  absl::StatusOr<Settings> settings =
      flags.ok() ? ParseSettings(*flags) : flags.status();
  if (!settings.ok()) {
    err << settings.status().message()
        << "\nusage: model_tool benchmark --dir PATH [--batch 1,8,64] "
           "[--threads 1,2] [flags]\n"
        << FlagHelp(BenchmarkFlags());
    return 2;
  }
  std::vector<std::string> blocks;
  for (int threads : settings->threads) {
    absl::StatusOr<std::string> block = RunInChild(*flags, *settings, threads);
    if (!block.ok()) {
      err << "model_tool benchmark: " << block.status().message() << "\n";
      return 1;
    }
    blocks.push_back(*std::move(block));
  }
  BenchmarkHeader header;
  header.model = flags->Get("dir");
  header.signature = flags->Get("signature_def", kDefaultSignatureKey);
  header.warmup_runs = settings->measure.warmup_runs;
  header.min_runs = settings->measure.min_runs;
  header.min_time_s = absl::ToDoubleSeconds(settings->measure.min_time);
  absl::StatusOr<std::string> text =
      RenderBenchmark(header, blocks, settings->json);
  if (!text.ok()) {
    err << "model_tool benchmark: " << text.status().message() << "\n";
    return 1;
  }
  out << *text;
  return 0;
}

}  // namespace model_server
