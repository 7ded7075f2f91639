// Einsum: inputs (N = 1 or 2 tensors of attr T), attr equation -> output.
//
// The equation is "<in0>,<in1>-><out>" (or "<in0>-><out>") with letter
// labels and at most one "..." per term. As in TensorFlow:
//   - a label repeated within an input takes that input's diagonal
//     ("ii->i", "bii->bi");
//   - a label in the inputs but not the output is summed over ("ij->",
//     "ij,jk->ik"); labels of both inputs and the output are batch labels;
//   - "..." stands for the leading dimensions not named by labels; the two
//     inputs' ellipsis dimensions broadcast numpy-style (right-aligned, 1
//     repeats), and an output without "..." sums them;
//   - without "->" the output is "..." followed by the labels used exactly
//     once, in alphabetical order (numpy's implicit mode);
//   - the output may not repeat a label or use one no input has, and a
//     label's dimensions must agree (INVALID_ARGUMENT otherwise).
//
// dtypes: float, double, half, bfloat16, int32, int64 (TensorFlow's CPU
// registrations without complex). half and bfloat16 compute in float and
// round once. Empty dimensions give empty outputs, or zeros where a summed
// dimension is empty.
//
// How: every label gets one stride per input (the sum of the strides of
// the dimensions it labels, which reads the diagonal of a repeated label;
// 0 where an ellipsis dimension broadcasts). Each input is gathered into a
// buffer [batch, free, contracted] (input 0) or [batch, contracted, free]
// (input 1), summing over labels only it has; one matrix product per batch
// (gemm.h) gives [batch, free0, free1], which is gathered into the output's
// label order. One input is gathered straight into the output.
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/math/gemm.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Label ids: 0-51 for a-z, A-Z; kEllipsisLabel + j for the j-th ellipsis
// dimension counted from the left of the widest ellipsis.
constexpr int kNumLetters = 52;
constexpr int kEllipsisLabel = kNumLetters;
constexpr int kMaxLabels = kNumLetters + TensorShape::kMaxRank;

// One term of the equation: its labels in order, kEllipsis where "..." is.
constexpr int kEllipsis = -1;
using Term = std::vector<int>;

struct Equation {
  std::vector<Term> inputs;
  Term output;
};

int LetterLabel(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return 26 + (c - 'A');
  return -1;
}

absl::StatusOr<Term> ParseTerm(absl::string_view text,
                               absl::string_view equation) {
  Term term;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "...") {
      if (std::count(term.begin(), term.end(), kEllipsis) > 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Einsum equation '", equation, "' has more than one ellipsis in ",
            "the term '", text, "'"));
      }
      term.push_back(kEllipsis);
      i += 2;
      continue;
    }
    const int label = LetterLabel(text[i]);
    if (label < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Einsum equation '", equation, "' has an invalid character '",
          text.substr(i, 1), "': labels are letters"));
    }
    term.push_back(label);
  }
  return term;
}

absl::StatusOr<Equation> ParseEquation(std::string equation, int num_inputs) {
  equation.erase(std::remove(equation.begin(), equation.end(), ' '),
                 equation.end());
  Equation eq;
  const size_t arrow = equation.find("->");
  const std::string lhs = equation.substr(0, arrow);
  for (absl::string_view text : absl::StrSplit(lhs, ',')) {
    MS_ASSIGN_OR_RETURN(Term term, ParseTerm(text, equation));
    eq.inputs.push_back(std::move(term));
  }
  if (static_cast<int>(eq.inputs.size()) != num_inputs) {
    return absl::InvalidArgumentError(
        absl::StrCat("Einsum equation '", equation, "' has ", eq.inputs.size(),
                     " input terms but the node has ", num_inputs, " inputs"));
  }
  std::array<int, kNumLetters> uses{};
  bool any_ellipsis = false;
  for (const Term& term : eq.inputs) {
    for (int label : term) {
      if (label == kEllipsis) {
        any_ellipsis = true;
      } else {
        ++uses[label];
      }
    }
  }
  if (arrow == std::string::npos) {
    // Implicit output: "..." then the labels used once, alphabetically.
    if (any_ellipsis) eq.output.push_back(kEllipsis);
    for (char c = 'A'; c <= 'z'; ++c) {
      const int label = LetterLabel(c);
      if (label >= 0 && uses[label] == 1) eq.output.push_back(label);
    }
    return eq;
  }
  MS_ASSIGN_OR_RETURN(eq.output,
                      ParseTerm(equation.substr(arrow + 2), equation));
  std::array<bool, kNumLetters> seen{};
  for (int label : eq.output) {
    if (label == kEllipsis) continue;
    const char letter =
        static_cast<char>(label < 26 ? 'a' + label : 'A' + label - 26);
    if (seen[label]) {
      return absl::InvalidArgumentError(
          absl::StrCat("Einsum equation '", equation, "': output label '",
                       std::string(1, letter), "' appears more than once"));
    }
    if (uses[label] == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("Einsum equation '", equation, "': output label '",
                       std::string(1, letter), "' is in no input"));
    }
    seen[label] = true;
  }
  return eq;
}

// The labels of each dimension of one input, ellipsis expanded.
absl::StatusOr<std::vector<int>> DimLabels(const Term& term, int rank,
                                           int ellipsis_rank, int input) {
  const int named = static_cast<int>(
      std::count_if(term.begin(), term.end(), [](int l) { return l >= 0; }));
  const bool has_ellipsis = named != static_cast<int>(term.size());
  if (has_ellipsis ? rank < named : rank != named) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input ", input, " to Einsum has rank ", rank, " but its subscripts ",
        has_ellipsis ? "need at least " : "name ", named, " dimensions"));
  }
  std::vector<int> labels;
  for (int label : term) {
    if (label != kEllipsis) {
      labels.push_back(label);
      continue;
    }
    const int own = rank - named;
    for (int j = 0; j < own; ++j) {
      labels.push_back(kEllipsisLabel + ellipsis_rank - own + j);
    }
  }
  return labels;
}

// dst[i] (row-major over `dims`) = sum over the `sum_dims` index of
// src[offset(i) + offset(s)], with per-dimension element strides.
template <typename Tin, typename Tout>
void Gather(const Tin* src, const std::vector<int64_t>& dims,
            const std::vector<int64_t>& strides,
            const std::vector<int64_t>& sum_dims,
            const std::vector<int64_t>& sum_strides, Tout* dst) {
  using W = ComputeType<Tin>;
  int64_t total = 1, sum_total = 1;
  for (int64_t d : dims) total *= d;
  for (int64_t d : sum_dims) sum_total *= d;
  const int rank = static_cast<int>(dims.size());
  const int sum_rank = static_cast<int>(sum_dims.size());
  ParallelFor(total, sizeof(Tin) * sum_total + sizeof(Tout), 2.0 * sum_total,
              [&](int64_t begin, int64_t end) {
                std::vector<int64_t> index(rank), sum_index(sum_rank);
                int64_t offset = 0;
                int64_t rem = begin;
                for (int d = rank - 1; d >= 0; --d) {
                  index[d] = rem % dims[d];
                  rem /= dims[d];
                  offset += index[d] * strides[d];
                }
                for (int64_t i = begin; i < end; ++i) {
                  W acc = W(0);
                  if (sum_rank == 0) {
                    acc = static_cast<W>(src[offset]);
                  } else if (sum_total > 0) {
                    std::fill(sum_index.begin(), sum_index.end(), 0);
                    int64_t sum_offset = 0;
                    for (int64_t s = 0; s < sum_total; ++s) {
                      acc += static_cast<W>(src[offset + sum_offset]);
                      for (int d = sum_rank - 1; d >= 0; --d) {
                        sum_offset += sum_strides[d];
                        if (++sum_index[d] < sum_dims[d]) break;
                        sum_offset -= sum_strides[d] * sum_dims[d];
                        sum_index[d] = 0;
                      }
                    }
                  }
                  dst[i] = static_cast<Tout>(acc);
                  for (int d = rank - 1; d >= 0; --d) {
                    offset += strides[d];
                    if (++index[d] < dims[d]) break;
                    offset -= strides[d] * dims[d];
                    index[d] = 0;
                  }
                }
              });
}

// Per-label facts for one request.
struct LabelInfo {
  int64_t size = 1;
  bool used = false;
  std::array<int64_t, 2> stride{};  // per input; 0 where absent/broadcast
  std::array<bool, 2> in{};
  bool in_output = false;
};

template <typename T>
class EinsumKernel final : public OpKernel {
 public:
  using W = ComputeType<T>;

  explicit EinsumKernel(Equation eq) : eq_(std::move(eq)) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const int n = static_cast<int>(eq_.inputs.size());
    int ellipsis_rank = 0;
    for (int i = 0; i < n; ++i) {
      MS_RETURN_IF_ERROR(CheckInputDtype(ctx.input(i), DataTypeOf<T>::value));
      const Term& term = eq_.inputs[i];
      const int named = static_cast<int>(std::count_if(
          term.begin(), term.end(), [](int l) { return l >= 0; }));
      if (named != static_cast<int>(term.size())) {
        ellipsis_rank = std::max(ellipsis_rank, ctx.input(i).rank() - named);
      }
    }
    std::array<LabelInfo, kMaxLabels> labels{};
    for (int i = 0; i < n; ++i) {
      const Tensor& t = ctx.input(i);
      MS_ASSIGN_OR_RETURN(std::vector<int> dim_labels,
                          DimLabels(eq_.inputs[i], t.rank(), ellipsis_rank, i));
      int64_t stride = 1;
      for (int d = t.rank() - 1; d >= 0; --d) {
        LabelInfo& info = labels[dim_labels[d]];
        const int64_t size = t.dim(d);
        const bool broadcastable = dim_labels[d] >= kEllipsisLabel;
        if (!info.used || (broadcastable && info.size == 1)) {
          info.size = size;
        } else if (size != info.size && !(broadcastable && size == 1)) {
          return ctx.InvalidArgument(absl::StrCat(
              "Einsum: dimension ", d, " of input ", i, " has size ", size,
              " but its label has size ", info.size, " elsewhere"));
        }
        info.used = true;
        // A broadcast size-1 dimension keeps stride 0.
        if (!(broadcastable && size == 1)) info.stride[i] += stride;
        info.in[i] = true;
        stride *= size;
      }
    }
    std::vector<int> out_labels;
    for (int label : eq_.output) {
      if (label != kEllipsis) {
        out_labels.push_back(label);
        continue;
      }
      for (int j = 0; j < ellipsis_rank; ++j) {
        out_labels.push_back(kEllipsisLabel + j);
      }
    }
    std::vector<int64_t> out_dims;
    for (int label : out_labels) {
      labels[label].in_output = true;
      out_dims.push_back(labels[label].size);
    }
    MS_ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::FromDims(out_dims));
    MS_ASSIGN_OR_RETURN(
        Tensor * out, ctx.allocate_output(0, DataTypeOf<T>::value, out_shape));
    if (n == 1) {
      std::vector<int64_t> strides, sum_dims, sum_strides;
      for (int label : out_labels) strides.push_back(labels[label].stride[0]);
      for (int label = 0; label < kMaxLabels; ++label) {
        const LabelInfo& info = labels[label];
        if (info.used && !info.in_output) {
          sum_dims.push_back(info.size);
          sum_strides.push_back(info.stride[0]);
        }
      }
      if (out_shape.num_elements() > 0) {
        Gather(ctx.input(0).data<T>(), out_dims, strides, sum_dims, sum_strides,
               out->data<T>());
      }
      return absl::OkStatus();
    }
    return Contract(ctx, labels, out_labels, out_dims, out);
  }

 private:
  absl::Status Contract(OpKernelContext& ctx,
                        const std::array<LabelInfo, kMaxLabels>& labels,
                        const std::vector<int>& out_labels,
                        const std::vector<int64_t>& out_dims,
                        Tensor* out) const {
    // Label groups in a fixed order.
    std::vector<int> batch, free0, free1, contracted, summed0, summed1;
    for (int label = 0; label < kMaxLabels; ++label) {
      const LabelInfo& info = labels[label];
      if (!info.used) continue;
      const bool a = info.in[0], b = info.in[1], o = info.in_output;
      if (o && a && b) {
        batch.push_back(label);
      } else if (o) {
        (a ? free0 : free1).push_back(label);
      } else if (a && b) {
        contracted.push_back(label);
      } else {
        (a ? summed0 : summed1).push_back(label);
      }
    }
    auto group_size = [&](const std::vector<int>& group) {
      int64_t size = 1;
      for (int label : group) size *= labels[label].size;
      return size;
    };
    // Every output element's work is bounded by the gathered buffers, whose
    // sizes Tensor::Create checks against the allocation limit.
    const int64_t nb = group_size(batch), m = group_size(free0),
                  nn = group_size(free1), k = group_size(contracted);
    if (out->NumElements() == 0) return absl::OkStatus();
    auto gather_input =
        [&](int input, const std::vector<int>& first,
            const std::vector<int>& second, const std::vector<int>& third,
            const std::vector<int>& summed, Tensor* buffer) -> absl::Status {
      std::vector<int64_t> dims, strides, sum_dims, sum_strides;
      for (const std::vector<int>* group : {&first, &second, &third}) {
        for (int label : *group) {
          dims.push_back(labels[label].size);
          strides.push_back(labels[label].stride[input]);
        }
      }
      for (int label : summed) {
        sum_dims.push_back(labels[label].size);
        sum_strides.push_back(labels[label].stride[input]);
      }
      MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
      MS_ASSIGN_OR_RETURN(*buffer, Tensor::Create(DataTypeOf<W>::value, shape));
      if (shape.num_elements() > 0) {
        Gather(ctx.input(input).data<T>(), dims, strides, sum_dims, sum_strides,
               buffer->data<W>());
      }
      return absl::OkStatus();
    };
    Tensor a, b;
    MS_RETURN_IF_ERROR(gather_input(0, batch, free0, contracted, summed0, &a));
    MS_RETURN_IF_ERROR(gather_input(1, batch, contracted, free1, summed1, &b));
    MS_ASSIGN_OR_RETURN(TensorShape product_shape,
                        TensorShape::FromDims({nb, m, nn}));
    MS_ASSIGN_OR_RETURN(Tensor product,
                        Tensor::Create(DataTypeOf<W>::value, product_shape));
    const W* ap = a.data<W>();
    const W* bp = b.data<W>();
    W* cp = product.data<W>();
    const double cost = static_cast<double>(m) * nn * k;
    if (nb == 1 || cost > 128.0 * 128 * 256) {
      for (int64_t i = 0; i < nb; ++i) {
        Gemm(ap + i * m * k, false, bp + i * k * nn, false, cp + i * m * nn, m,
             nn, k, /*parallel=*/true);
      }
    } else {
      ParallelFor(nb, sizeof(W) * (m * k + k * nn + m * nn), 2 * cost,
                  [&](int64_t begin, int64_t end) {
                    for (int64_t i = begin; i < end; ++i) {
                      Gemm(ap + i * m * k, false, bp + i * k * nn, false,
                           cp + i * m * nn, m, nn, k, /*parallel=*/false);
                    }
                  });
    }
    // The product's labels are batch, free0, free1 in order: their strides
    // in it, read in the output's label order.
    std::array<int64_t, kMaxLabels> product_stride{};
    int64_t stride = 1;
    for (const std::vector<int>* group : {&free1, &free0, &batch}) {
      for (auto it = group->rbegin(); it != group->rend(); ++it) {
        product_stride[*it] = stride;
        stride *= labels[*it].size;
      }
    }
    std::vector<int64_t> out_strides;
    for (int label : out_labels) out_strides.push_back(product_stride[label]);
    Gather(cp, out_dims, out_strides, {}, {}, out->data<T>());
    return absl::OkStatus();
  }

  const Equation eq_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateEinsum(
    const KernelConstruction& c) {
  if (c.num_inputs != 1 && c.num_inputs != 2) {
    return UnsupportedAttrError(
        c, absl::StrCat("Einsum with ", c.num_inputs,
                        " inputs (only 1 or 2 are supported, as in "
                        "TensorFlow's kernel)"));
  }
  DataType dtype;
  std::string equation;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_RETURN_IF_ERROR(c.attrs.Get("equation", &equation));
  absl::StatusOr<Equation> eq = ParseEquation(equation, c.num_inputs);
  if (!eq.ok()) return c.attrs.Error(eq.status().message());
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsFloat<T> || std::is_same_v<T, int32_t> ||
                  std::is_same_v<T, int64_t>) {
      return std::make_unique<EinsumKernel<T>>(*eq);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Einsum").Output("output"), CreateEinsum);

}  // namespace model_server
