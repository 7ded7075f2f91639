// Naive convolution references for the conv kernel tests: plain loops over
// channels-last float buffers with up to three spatial dimensions (2-D
// shapes use depth 1), independent of the runtime's engine.
#ifndef MODEL_SERVER_TESTS_RUNTIME_KERNELS_NN_NAIVE_CONV_H_
#define MODEL_SERVER_TESTS_RUNTIME_KERNELS_NN_NAIVE_CONV_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "runtime/tensor.h"

namespace model_server {
namespace naive_conv {

using Triple = std::array<int64_t, 3>;  // {depth, rows, cols}

struct Geometry {
  int64_t batch = 1, in_depth = 1, out_depth = 1;
  Triple input = {1, 1, 1}, filter = {1, 1, 1};
  Triple stride = {1, 1, 1}, dilation = {1, 1, 1};
  // "SAME", "VALID" or "EXPLICIT" (pads below).
  std::string padding = "VALID";
  Triple pad_before = {0, 0, 0}, pad_after = {0, 0, 0};

  // Output size and the padding before, per spatial dimension, by
  // TensorFlow's rule.
  void Resolve(Triple* out, Triple* before) const {
    for (int s = 0; s < 3; ++s) {
      const int64_t eff = (filter[s] - 1) * dilation[s] + 1;
      if (padding == "VALID") {
        (*out)[s] = (input[s] - eff + stride[s]) / stride[s];
        (*before)[s] = 0;
      } else if (padding == "SAME") {
        (*out)[s] = (input[s] + stride[s] - 1) / stride[s];
        (*before)[s] =
            std::max<int64_t>(0, ((*out)[s] - 1) * stride[s] + eff - input[s]) /
            2;
      } else {
        (*out)[s] =
            (input[s] + pad_before[s] + pad_after[s] - eff + stride[s]) /
            stride[s];
        (*before)[s] = pad_before[s];
      }
    }
  }
  Triple Output() const {
    Triple out, before;
    Resolve(&out, &before);
    return out;
  }
};

// Calls fn(input_index, filter_index, output_index) for every multiply-add
// of the convolution (channels-last flat indices).
template <typename Fn>
void ForEachProduct(const Geometry& g, const Fn& fn) {
  Triple out, before;
  g.Resolve(&out, &before);
  const int64_t C = g.in_depth, OC = g.out_depth;
  for (int64_t b = 0; b < g.batch; ++b)
    for (int64_t od = 0; od < out[0]; ++od)
      for (int64_t oh = 0; oh < out[1]; ++oh)
        for (int64_t ow = 0; ow < out[2]; ++ow)
          for (int64_t kd = 0; kd < g.filter[0]; ++kd)
            for (int64_t kh = 0; kh < g.filter[1]; ++kh)
              for (int64_t kw = 0; kw < g.filter[2]; ++kw) {
                const int64_t id =
                    od * g.stride[0] - before[0] + kd * g.dilation[0];
                const int64_t ih =
                    oh * g.stride[1] - before[1] + kh * g.dilation[1];
                const int64_t iw =
                    ow * g.stride[2] - before[2] + kw * g.dilation[2];
                if (id < 0 || id >= g.input[0] || ih < 0 || ih >= g.input[1] ||
                    iw < 0 || iw >= g.input[2]) {
                  continue;
                }
                for (int64_t c = 0; c < C; ++c)
                  for (int64_t oc = 0; oc < OC; ++oc) {
                    const int64_t in_index =
                        (((b * g.input[0] + id) * g.input[1] + ih) *
                             g.input[2] +
                         iw) *
                            C +
                        c;
                    const int64_t f_index =
                        (((kd * g.filter[1] + kh) * g.filter[2] + kw) * C + c) *
                            OC +
                        oc;
                    const int64_t out_index =
                        (((b * out[0] + od) * out[1] + oh) * out[2] + ow) * OC +
                        oc;
                    fn(in_index, f_index, out_index);
                  }
              }
}

// output = input (*) filter, channels last.
inline std::vector<double> Forward(const Geometry& g,
                                   const std::vector<float>& input,
                                   const std::vector<float>& filter) {
  const Triple out = g.Output();
  std::vector<double> y(g.batch * out[0] * out[1] * out[2] * g.out_depth, 0);
  ForEachProduct(g, [&](int64_t i, int64_t f, int64_t o) {
    y[o] += static_cast<double>(input[i]) * filter[f];
  });
  return y;
}

// The input gradient given the output gradient `dy`, channels last.
inline std::vector<double> BackwardInput(const Geometry& g,
                                         const std::vector<float>& dy,
                                         const std::vector<float>& filter) {
  std::vector<double> dx(
      g.batch * g.input[0] * g.input[1] * g.input[2] * g.in_depth, 0);
  ForEachProduct(g, [&](int64_t i, int64_t f, int64_t o) {
    dx[i] += static_cast<double>(dy[o]) * filter[f];
  });
  return dx;
}

inline std::vector<float> RandomValues(int64_t n, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(*rng);
  return v;
}

inline std::vector<float> ToFloat(const std::vector<double>& v) {
  return std::vector<float>(v.begin(), v.end());
}

// `values` (channels last, dims `dims`) with the last dimension moved to
// position 1, as a channels-first tensor's elements.
inline std::vector<float> ChannelsFirst(const std::vector<float>& values,
                                        const std::vector<int64_t>& dims) {
  const int64_t n = dims.front(), c = dims.back();
  int64_t spatial = 1;
  for (size_t i = 1; i + 1 < dims.size(); ++i) spatial *= dims[i];
  std::vector<float> out(values.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t s = 0; s < spatial; ++s)
      for (int64_t ch = 0; ch < c; ++ch)
        out[(b * c + ch) * spatial + s] = values[(b * spatial + s) * c + ch];
  return out;
}

// The shape `dims` (channels last) in channels-first order.
inline std::vector<int64_t> ChannelsFirstDims(std::vector<int64_t> dims) {
  dims.insert(dims.begin() + 1, dims.back());
  dims.pop_back();
  return dims;
}

}  // namespace naive_conv
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_RUNTIME_KERNELS_NN_NAIVE_CONV_H_
