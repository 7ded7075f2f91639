// Fuzz target: the image decoders (JPEG, PNG, BMP, and the GIF path) through
// their kernels, as a graph runs them. The first byte picks the op
// (low 3 bits, mod 5: DecodeImage, DecodeJpeg, DecodePng, DecodeBmp,
// DecodeGif), the channels (bits 3-4: 0, 1, 3, 4) and its
// dtype/ratio/flag attrs (bits 5-7); the rest is the encoded image.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "tests/testing/kernel_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  fuzz::InputReader input(data, size);
  const uint8_t choice = input.Byte();
  const int channels[] = {0, 1, 3, 4};
  const int ratios[] = {1, 2, 4, 8};
  const int channel_count = channels[(choice >> 3) & 3];
  std::string op;
  switch ((choice & 7) % 5) {
    case 0:
      op = "DecodeImage";
      break;
    case 1:
      op = "DecodeJpeg";
      break;
    case 2:
      op = "DecodePng";
      break;
    case 3:
      op = "DecodeBmp";
      break;
    default:
      op = "DecodeGif";
      break;
  }
  KernelHarness kernel(op);
  if (op == "DecodeImage") {
    kernel.Attr("channels", channel_count);
    kernel.Attr("dtype", (choice & 0x20) ? DT_UINT16 : DT_UINT8);
    kernel.Attr("expand_animations", (choice & 0x40) != 0);
  } else if (op == "DecodeJpeg") {
    kernel.Attr("channels", channel_count == 4 ? 3 : channel_count);
    kernel.Attr("ratio", ratios[(choice >> 5) & 3]);
    kernel.Attr("try_recover_truncated", (choice & 0x80) != 0);
    kernel.Attr("acceptable_fraction", (choice & 0x80) ? 0.5f : 1.0f);
  } else if (op == "DecodePng") {
    kernel.Attr("channels", channel_count);
    kernel.Attr("dtype", (choice & 0x20) ? DT_UINT16 : DT_UINT8);
  } else if (op == "DecodeBmp") {
    kernel.Attr("channels", channel_count);
  }
  (void)kernel.Run({Tensor::Scalar<std::string>(std::string(input.Rest()))});
  return 0;
}
