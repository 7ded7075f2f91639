// model_tool run: saved_model_cli run's flags, run in-process with the
// loader and runtime model_server serves with.
//
//   --inputs 'x=in.npy;y=other.npy'      .npy files (npz/pickle: no)
//   --input_exprs 'x=[[1,2]];y=np.ones((2,3))'
//   --input_examples 'inputs=[{"x":[1.0],"kind":["a"]}]'
//   --outdir D [--overwrite]              each output as D/<key>.npy
// Inputs take the dtype of the graph's placeholder (or the TensorInfo's),
// as TensorFlow converts fed numpy arrays.
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "model_tool/command_line.h"
#include "model_tool/commands.h"
#include "model_tool/numpy_text.h"
#include "model_tool/python_literal.h"
#include "model_tool/runnable_model.h"
#include "runtime/status_macros.h"
#include "signatures/signature_map.h"
#include "tools/npy/npy.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

const std::vector<FlagSpec>& RunFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"dir", false, "the model (as for show)"},
      {"tag_set", false, "a SavedModel's tag set (default serve)"},
      {"signature_def", false, "the signature (default serving_default)"},
      {"inputs", false, "'key=file.npy;key2=file2.npy'"},
      {"input_exprs", false, "'key=[[1,2]];key2=np.ones((2,3))'"},
      {"input_examples", false, "'key=[{\"feature\":[1.0]}]'"},
      {"outdir", false, "write each output to <outdir>/<key>.npy"},
      {"overwrite", true, "replace existing output files"},
  };
  return *flags;
}

// "k=v;k2=v2" -> pairs (values may contain '=').
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> SplitPairs(
    const std::string& flag, const std::string& text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (absl::string_view item : absl::StrSplit(text, ';', absl::SkipEmpty())) {
    size_t equals = item.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", flag, " \"", item, "\" format is incorrect. Please follow\"",
          "<input_key>=<value>\""));
    }
    pairs.emplace_back(std::string(item.substr(0, equals)),
                       std::string(item.substr(equals + 1)));
  }
  return pairs;
}

DataType InputDtype(const Signature& signature, int index) {
  const SignatureInput& input = signature.inputs()[index];
  if (input.graph_dtype != DT_INVALID) return input.graph_dtype;
  auto info = signature.def().inputs().find(input.alias);
  return info == signature.def().inputs().end()
             ? DT_INVALID
             : BaseType(info->second.dtype());
}

// A .npy array converted to `dtype` as TensorFlow converts a fed numpy
// array: numbers to numbers (through double), strings only to strings.
absl::StatusOr<Tensor> ConvertNpy(const Tensor& array, DataType dtype) {
  if (dtype == DT_INVALID || array.dtype() == dtype) return array;
  std::vector<double> values(array.NumElements());
  bool from_number = false;
  SwitchOnDataType(array.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_arithmetic_v<T>) {
      for (size_t i = 0; i < values.size(); ++i) {
        values[i] = static_cast<double>(array.data<T>()[i]);
      }
      from_number = true;
    } else if constexpr (std::is_same_v<T, Eigen::half> ||
                         std::is_same_v<T, Eigen::bfloat16>) {
      for (size_t i = 0; i < values.size(); ++i) {
        values[i] = static_cast<float>(array.data<T>()[i]);
      }
      from_number = true;
    }
  });
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(dtype, array.shape()));
  bool to_number = false;
  if (from_number) {
    SwitchOnDataType(dtype, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, Eigen::half> ||
                    std::is_same_v<T, Eigen::bfloat16>) {
        for (size_t i = 0; i < values.size(); ++i) {
          out.data<T>()[i] = static_cast<T>(values[i]);
        }
        to_number = true;
      }
    });
  }
  if (!to_number) {
    return absl::InvalidArgumentError(
        absl::StrCat("the file holds ", DataTypeName(array.dtype()),
                     " but the input is ", DataTypeName(dtype)));
  }
  return out;
}

absl::Status Run(const CommandLine& flags, std::ostream& out,
                 std::ostream& err) {
  if (!flags.Has("inputs") && !flags.Has("input_exprs") &&
      !flags.Has("input_examples")) {
    return absl::InvalidArgumentError(
        "At least one of --inputs, --input_exprs or --input_examples must be "
        "required");
  }
  MS_ASSIGN_OR_RETURN(RunnableModel runnable, LoadRunnableModel(flags));
  const Signature* signature = runnable.signature;

  std::vector<Tensor> fed(signature->inputs().size());
  std::vector<bool> given(fed.size(), false);
  auto slot = [&](const std::string& alias) -> absl::StatusOr<int> {
    int index = signature->FindInput(alias);
    if (index < 0) {
      std::vector<std::string> aliases;
      for (const auto& input : signature->inputs()) {
        aliases.push_back(input.alias);
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", alias, "\" is not a valid input key. Please choose from \"",
          absl::StrJoin(aliases, "\", \""), "\", or use --show option."));
    }
    return index;
  };
  MS_ASSIGN_OR_RETURN(auto files, SplitPairs("inputs", flags.Get("inputs")));
  for (const auto& [alias, file] : files) {
    MS_ASSIGN_OR_RETURN(int index, slot(alias));
    std::string name = file;
    if (!name.empty() && name.back() == ']') {
      name = name.substr(0, name.rfind('['));
      err << "Input file " << name << " contains a single ndarray. Name key "
          << "ignored.\n";
    }
    MS_ASSIGN_OR_RETURN(Tensor array, ReadNpyFile(name));
    MS_ASSIGN_OR_RETURN(fed[index],
                        ConvertNpy(array, InputDtype(*signature, index)));
    given[index] = true;
  }
  MS_ASSIGN_OR_RETURN(auto exprs,
                      SplitPairs("input_exprs", flags.Get("input_exprs")));
  for (const auto& [alias, expr] : exprs) {
    MS_ASSIGN_OR_RETURN(int index, slot(alias));
    MS_ASSIGN_OR_RETURN(PyValue value, ParsePythonLiteral(expr));
    MS_ASSIGN_OR_RETURN(
        fed[index], TensorFromPyValue(value, InputDtype(*signature, index)));
    given[index] = true;
  }
  MS_ASSIGN_OR_RETURN(
      auto examples, SplitPairs("input_examples", flags.Get("input_examples")));
  for (const auto& [alias, expr] : examples) {
    MS_ASSIGN_OR_RETURN(int index, slot(alias));
    MS_ASSIGN_OR_RETURN(PyValue value, ParsePythonLiteral(expr));
    MS_ASSIGN_OR_RETURN(fed[index], ExamplesFromPyValue(value));
    given[index] = true;
  }

  std::vector<const Tensor*> feeds;
  for (size_t i = 0; i < fed.size(); ++i) {
    feeds.push_back(given[i] ? &fed[i] : nullptr);
  }
  std::vector<int> wanted;
  for (size_t i = 0; i < signature->outputs().size(); ++i) {
    wanted.push_back(static_cast<int>(i));
  }
  std::vector<Tensor> results;
  MS_RETURN_IF_ERROR(signature->Run(feeds, wanted, &results, RunOptions()));

  const std::string outdir = flags.Get("outdir");
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string& alias = signature->outputs()[i].alias;
    out << "Result for output key " << alias << ":\n"
        << NumpyText(results[i]) << "\n";
    if (outdir.empty()) continue;
    std::error_code ec;
    fs::create_directories(outdir, ec);
    const std::string file = (fs::path(outdir) / (alias + ".npy")).string();
    if (!flags.GetBool("overwrite") && fs::exists(file, ec)) {
      return absl::AlreadyExistsError(absl::StrCat(
          "Output file ", file,
          " already exists. Add \"--overwrite\" to overwrite the existing "
          "output files."));
    }
    MS_RETURN_IF_ERROR(WriteNpyFile(results[i], file));
    out << "Output " << alias << " is saved to " << file << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

int RunCommand(const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err) {
  absl::StatusOr<CommandLine> flags = CommandLine::Parse(args, RunFlags());
  if (!flags.ok() || !flags->Has("dir")) {
    err << (flags.ok() ? "--dir is required" : flags.status().message())
        << "\nusage: model_tool run --dir PATH [flags]\n"
        << FlagHelp(RunFlags());
    return 2;
  }
  absl::Status status = Run(*flags, out, err);
  if (!status.ok()) {
    err << "model_tool run: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace model_server
