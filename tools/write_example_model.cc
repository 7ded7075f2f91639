// write_example_model: writes the README's example model, half_plus_two
// (y = 0.5 * x + 2), as a SavedModel version directory, or as the TF1
// training checkpoint of the README's model_tool walk-through.
//
//   write_example_model --output_dir=/models/half_plus_two/1
//   write_example_model --format=checkpoint --output_dir=/tmp/train
//
// The directory must not exist yet; it appears complete or not at all (the
// model is written next to it and renamed into place), so a running
// model_server watching /models/half_plus_two picks it up safely.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "tools/example_model.h"

ABSL_FLAG(std::string, output_dir, "",
          "Version directory to create, e.g. /models/half_plus_two/1 "
          "(must not exist)");
ABSL_FLAG(std::string, format, "savedmodel",
          "savedmodel, or checkpoint: the TF1 training checkpoint "
          "tf.train.Saver would write (model.ckpt-1000.meta, .index, .data, "
          "checkpoint)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Writes the example SavedModel half_plus_two (y = 0.5 * x + 2; "
      "signatures serving_default: x float [-1,1] -> y, and regress_x_to_y: "
      "serialized tf.Example with float feature x -> outputs).\n"
      "Usage: write_example_model --output_dir=<model_base_path>/<version>");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    std::cerr << "write_example_model: unexpected argument '" << positional[1]
              << "'; use --output_dir=<dir>\n";
    return 2;
  }
  const std::string output_dir = absl::GetFlag(FLAGS_output_dir);
  if (output_dir.empty()) {
    std::cerr << "write_example_model: --output_dir is required, e.g. "
                 "--output_dir=/models/half_plus_two/1\n";
    return 2;
  }
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "savedmodel" && format != "checkpoint") {
    std::cerr << "write_example_model: --format is savedmodel or checkpoint, "
                 "not '"
              << format << "'\n";
    return 2;
  }
  absl::Status status =
      format == "checkpoint"
          ? model_server::WriteHalfPlusTwoCheckpoint(output_dir)
          : model_server::WriteHalfPlusTwo(output_dir);
  if (!status.ok()) {
    std::cerr << "write_example_model: " << status.message() << "\n";
    return 1;
  }
  std::cout << "Wrote half_plus_two (" << format << ") to " << output_dir
            << "\n";
  return 0;
}
