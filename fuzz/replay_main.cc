// The replay driver: the main() the fuzz targets get in the normal (gcc)
// build, where libFuzzer is not available. Usage:
//
//   <target>_replay [--mutate_seconds=S] [--seed=N] PATH...
//
// Runs LLVMFuzzerTestOneInput on every file under each PATH (files or
// directories, recursively; a missing PATH is skipped with a note), then
// for S seconds (default 0) on simple random mutations of those inputs: bit
// flips, byte overwrites with boundary values, insertions, deletions,
// truncations, duplicated chunks and splices of two inputs. A crash is
// a crash, as under libFuzzer: a fatal signal first writes the input that
// was running to ./replay-crash-input (pass that file to reproduce). Exits
// 0 when every input ran.
//
// The address space is limited to kAddressSpaceBytes, as tools/run_fuzzers.sh
// limits single allocations under ASan: a few bytes of TensorProto may
// declare a zero-filled tensor of gigabytes, which the code under test must
// refuse cleanly (RESOURCE_EXHAUSTED) when memory runs out, not take.
// Under ASan or TSan (tools/run_sanitizer_tests.sh) the limit is left off:
// their shadow memory needs terabytes of address space.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

constexpr size_t kMaxInputBytes = 1 << 20;
constexpr rlim_t kAddressSpaceBytes = rlim_t{3} << 30;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;  // GCC's -fsanitize=address / thread.
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;  // Clang's.
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// The input running now, for the fatal-signal handler.
const std::string* current_input = nullptr;

void SaveInputAndDie(int signal) {
  if (current_input != nullptr) {
    const int fd =
        open("replay-crash-input", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!write(fd, current_input->data(), current_input->size());
      close(fd);
    }
    static const char kNote[] = "replay: input saved to ./replay-crash-input\n";
    (void)!write(STDERR_FILENO, kNote, sizeof(kNote) - 1);
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void Run(const std::string& input) {
  current_input = &input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()),
                         input.size());
  current_input = nullptr;
}

std::string Mutate(const std::vector<std::string>& inputs,
                   std::mt19937_64& rng) {
  auto pick = [&rng](size_t n) {
    return n == 0 ? 0 : static_cast<size_t>(rng() % n);
  };
  std::string out =
      inputs.empty() ? std::string() : inputs[pick(inputs.size())];
  const int steps = 1 + static_cast<int>(pick(4));
  for (int step = 0; step < steps; ++step) {
    switch (pick(7)) {
      case 0:  // flip a bit
        if (!out.empty()) out[pick(out.size())] ^= char(1 << pick(8));
        break;
      case 1: {  // a boundary value
        static const char kValues[] = {0, 1, 0x7f, char(0x80), char(0xff)};
        if (!out.empty()) out[pick(out.size())] = kValues[pick(5)];
        break;
      }
      case 2:  // insert random bytes
        out.insert(pick(out.size() + 1), std::string(1 + pick(8), char(rng())));
        break;
      case 3:  // delete a range
        if (!out.empty()) {
          const size_t at = pick(out.size());
          out.erase(at, 1 + pick(out.size() - at));
        }
        break;
      case 4:  // truncate
        out.resize(pick(out.size() + 1));
        break;
      case 5:  // duplicate a chunk
        if (!out.empty() && out.size() < kMaxInputBytes) {
          const size_t at = pick(out.size());
          const std::string chunk = out.substr(at, 1 + pick(64));
          out.insert(pick(out.size() + 1), chunk);
        }
        break;
      default:  // splice with another input
        if (!inputs.empty()) {
          const std::string& other = inputs[pick(inputs.size())];
          out = out.substr(0, pick(out.size() + 1)) +
                other.substr(pick(other.size() + 1));
        }
        break;
    }
  }
  if (out.size() > kMaxInputBytes) out.resize(kMaxInputBytes);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  double mutate_seconds = 0;
  uint64_t seed = 1;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutate_seconds=", 0) == 0) {
      mutate_seconds =
          std::atof(arg.c_str() + std::strlen("--mutate_seconds="));
    } else if (arg.rfind("--seed=", 0) == 0) {
      seed = std::strtoull(arg.c_str() + std::strlen("--seed="), nullptr, 10);
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry :
           std::filesystem::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      files.push_back(arg);
    } else {
      std::printf("skipping %s: not found\n", arg.c_str());
    }
  }
  std::sort(files.begin(), files.end());
  if (!kSanitized) {
    const rlimit address_space = {kAddressSpaceBytes, kAddressSpaceBytes};
    if (setrlimit(RLIMIT_AS, &address_space) != 0) {
      std::perror("setrlimit(RLIMIT_AS)");
      return 1;
    }
  }
  for (int signal : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) {
    std::signal(signal, SaveInputAndDie);
  }

  std::vector<std::string> inputs;
  for (const auto& path : files) {
    inputs.push_back(ReadFile(path));
    if (inputs.back().size() > kMaxInputBytes) {
      inputs.back().resize(kMaxInputBytes);
    }
    Run(inputs.back());
  }
  std::printf("replayed %zu inputs\n", inputs.size());
  std::fflush(stdout);

  std::mt19937_64 rng(seed);
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(mutate_seconds));
  int64_t mutations = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string input = Mutate(inputs, rng);
    Run(input);
    ++mutations;
  }
  std::printf("ran %lld mutations in %.0f s (seed %llu)\n",
              static_cast<long long>(mutations), mutate_seconds,
              static_cast<unsigned long long>(seed));
  return 0;
}
