// JPEG encoding with libjpeg(-turbo) for tests that need real JPEG bytes
// (DecodeJpeg against libjpeg's own decode, image models through the daemon).
#ifndef MODEL_SERVER_TESTS_TESTING_JPEG_ENCODE_H_
#define MODEL_SERVER_TESTS_TESTING_JPEG_ENCODE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace model_server {
namespace testing {

// `pixels` is rows x cols x channels (1: grayscale, 3: RGB), row-major.
std::string EncodeJpeg(const std::vector<uint8_t>& pixels, int rows, int cols,
                       int channels, int quality = 85);

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_JPEG_ENCODE_H_
