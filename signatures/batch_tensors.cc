#include "signatures/batch_tensors.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

absl::Status CheckBatchableDtype(const Tensor& t) {
  if (t.dtype() == DT_STRING || IsPodDataType(t.dtype())) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "Batching cannot join tensors of dtype ", DataTypeName(t.dtype())));
}

// Copies `count` elements from src[src_at] to dst[dst_at].
void CopyElements(const Tensor& src, int64_t src_at, Tensor* dst,
                  int64_t dst_at, int64_t count) {
  if (count <= 0) return;
  if (src.dtype() == DT_STRING) {
    const std::string* from = src.data<std::string>() + src_at;
    std::copy(from, from + count, dst->data<std::string>() + dst_at);
    return;
  }
  const size_t size = DataTypeSize(src.dtype());
  std::memcpy(static_cast<char*>(dst->raw_data()) + dst_at * size,
              static_cast<const char*>(src.raw_data()) + src_at * size,
              count * size);
}

// Sets every element of `dst` to src's element `src_at`.
void FillWithElement(const Tensor& src, int64_t src_at, Tensor* dst) {
  const int64_t n = dst->NumElements();
  if (n == 0) return;
  if (src.dtype() == DT_STRING) {
    std::fill_n(dst->data<std::string>(), n, src.data<std::string>()[src_at]);
    return;
  }
  CopyElements(src, src_at, dst, 0, 1);
  // Double the filled prefix until the tensor is full.
  for (int64_t filled = 1; filled < n;) {
    const int64_t chunk = std::min(filled, n - filled);
    CopyElements(*dst, 0, dst, filled, chunk);
    filled += chunk;
  }
}

// `t` padded at the end of every non-batch dimension to `dims` (same rank,
// each at least t's), with t's first element.
absl::StatusOr<Tensor> PadToDims(const Tensor& t,
                                 absl::Span<const int64_t> dims) {
  if (absl::c_equal(t.shape().dims().subspan(1), dims.subspan(1))) return t;
  if (t.NumElements() < 1) {
    return absl::InvalidArgumentError(
        "Got empty tensor in batch of non-empty tensors.");
  }
  std::vector<int64_t> out_dims(dims.begin(), dims.end());
  out_dims[0] = t.dim(0);
  absl::StatusOr<TensorShape> shape = TensorShape::FromDims(out_dims);
  if (!shape.ok()) return shape.status();
  absl::StatusOr<Tensor> out = Tensor::Create(t.dtype(), *shape);
  if (!out.ok()) return out.status();
  FillWithElement(t, 0, &*out);
  // Copy each innermost run of t to where it lands in the padded tensor.
  const int rank = t.rank();
  const int64_t run = t.dim(rank - 1);
  const int64_t runs = run == 0 ? 0 : t.NumElements() / run;
  std::vector<int64_t> index(std::max(rank - 1, 0), 0);
  for (int64_t r = 0; r < runs; ++r) {
    int64_t at = 0;
    for (int d = 0; d < rank - 1; ++d) at = at * out_dims[d] + index[d];
    CopyElements(t, r * run, &*out, at * out_dims[rank - 1], run);
    for (int d = rank - 2; d >= 0; --d) {
      if (++index[d] < t.dim(d)) break;
      index[d] = 0;
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<int64_t> BatchRows(absl::Span<const Tensor* const> inputs) {
  if (inputs.empty()) {
    return absl::InvalidArgumentError(
        "Batching Run() must have at least one input tensor");
  }
  int64_t rows = -1;
  for (const Tensor* t : inputs) {
    if (t->rank() == 0) {
      return absl::InvalidArgumentError(
          "Batching Run() input tensors must have at least one dimension");
    }
    if (rows >= 0 && t->dim(0) != rows) {
      return absl::InvalidArgumentError(
          "Batching Run() input tensors must have equal 0th-dimension size");
    }
    rows = t->dim(0);
  }
  return rows;
}

bool CanShareBatch(absl::Span<const Tensor* const> a,
                   absl::Span<const Tensor* const> b,
                   bool pad_variable_length) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Tensor& x = *a[i];
    const Tensor& y = *b[i];
    if (x.dtype() != y.dtype() || x.rank() != y.rank()) return false;
    if (!pad_variable_length && !absl::c_equal(x.shape().dims().subspan(1),
                                               y.shape().dims().subspan(1))) {
      return false;
    }
  }
  return true;
}

absl::Status MergeBatchInputs(
    const std::vector<absl::Span<const Tensor* const>>& requests,
    int64_t padded_rows, bool pad_variable_length,
    std::vector<Tensor>* merged) {
  merged->clear();
  if (requests.empty()) {
    return absl::InternalError("a batch needs at least one request");
  }
  const size_t num_inputs = requests[0].size();
  for (size_t i = 0; i < num_inputs; ++i) {
    // Each request's tensor, padded in the non-batch dimensions if asked.
    std::vector<Tensor> parts;
    parts.reserve(requests.size());
    std::vector<int64_t> dims(requests[0][i]->shape().dims().begin(),
                              requests[0][i]->shape().dims().end());
    for (const auto& request : requests) {
      const Tensor& t = *request[i];
      if (absl::Status s = CheckBatchableDtype(t); !s.ok()) return s;
      if (t.rank() != static_cast<int>(dims.size()) ||
          t.dtype() != requests[0][i]->dtype()) {
        return absl::InternalError("requests in one batch do not conform");
      }
      for (size_t d = 1; d < dims.size(); ++d) {
        dims[d] = std::max(dims[d], t.dim(d));
      }
    }
    int64_t rows = 0;
    for (const auto& request : requests) {
      const Tensor& t = *request[i];
      if (pad_variable_length) {
        absl::StatusOr<Tensor> padded = PadToDims(t, dims);
        if (!padded.ok()) return padded.status();
        parts.push_back(*std::move(padded));
      } else if (!absl::c_equal(t.shape().dims().subspan(1),
                                absl::Span<const int64_t>(dims).subspan(1))) {
        return absl::InternalError("requests in one batch do not conform");
      } else {
        parts.push_back(t);
      }
      rows += t.dim(0);
    }
    if (rows > padded_rows) {
      return absl::InternalError("padded batch smaller than its requests");
    }
    dims[0] = padded_rows;
    absl::StatusOr<TensorShape> shape = TensorShape::FromDims(dims);
    if (!shape.ok()) return shape.status();
    absl::StatusOr<Tensor> out = Tensor::Create(parts[0].dtype(), *shape);
    if (!out.ok()) return out.status();
    int64_t at = 0;
    for (const Tensor& part : parts) {
      CopyElements(part, 0, &*out, at, part.NumElements());
      at += part.NumElements();
    }
    // Padding rows: copies of the first row of the last request with rows.
    if (rows < padded_rows) {
      const Tensor* source = nullptr;
      for (const Tensor& part : parts) {
        if (part.dim(0) > 0) source = &part;
      }
      if (source == nullptr) {
        return absl::InvalidArgumentError(
            "Got empty tensor in batch of non-empty tensors.");
      }
      const int64_t row = source->NumElements() / source->dim(0);
      for (int64_t r = rows; r < padded_rows; ++r) {
        CopyElements(*source, 0, &*out, at, row);
        at += row;
      }
    }
    merged->push_back(*std::move(out));
  }
  return absl::OkStatus();
}

absl::Status SplitBatchOutput(const Tensor& batched, int64_t batch_rows,
                              absl::Span<const int64_t> rows,
                              std::vector<Tensor>* pieces) {
  pieces->clear();
  if (batched.rank() == 0) {
    return absl::FailedPreconditionError(
        "Batched output tensor has 0 dimensions");
  }
  if (batched.dim(0) != batch_rows) {
    return absl::FailedPreconditionError(
        "Batched output tensor's 0th dimension does not equal the sum of the "
        "0th dimension sizes of the input tensors");
  }
  if (absl::Status s = CheckBatchableDtype(batched); !s.ok()) return s;
  const int64_t row = batch_rows == 0 ? 0 : batched.NumElements() / batch_rows;
  std::vector<int64_t> dims(batched.shape().dims().begin(),
                            batched.shape().dims().end());
  int64_t at = 0;
  for (int64_t n : rows) {
    dims[0] = n;
    absl::StatusOr<TensorShape> shape = TensorShape::FromDims(dims);
    if (!shape.ok()) return shape.status();
    absl::StatusOr<Tensor> piece = Tensor::Create(batched.dtype(), *shape);
    if (!piece.ok()) return piece.status();
    CopyElements(batched, at, &*piece, 0, n * row);
    at += n * row;
    pieces->push_back(*std::move(piece));
  }
  return absl::OkStatus();
}

}  // namespace model_server
