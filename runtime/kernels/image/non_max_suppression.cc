// Non-maximum suppression: NonMaxSuppression (V1), V2, V3, V4, V5 and
// NonMaxSuppressionWithOverlaps, as TensorFlow's CPU kernels define them.
//
//   V1:  boxes float [N,4], scores float [N], max_output_size int32 scalar;
//        attr iou_threshold (default 0.5)      -> selected_indices int32 [M]
//   V2:  + iou_threshold tensor (T_threshold)  -> selected_indices
//   V3:  + score_threshold tensor              -> selected_indices
//   V4:  attr pad_to_max_output_size           -> selected_indices,
//   valid_outputs V5:  + soft_nms_sigma tensor (T)           ->
//   selected_indices,
//                                                 selected_scores,
//                                                 valid_outputs
//   WithOverlaps: overlaps float [N,N] instead of boxes, overlap_threshold and
//        score_threshold float scalars         -> selected_indices
//
// T (boxes and scores of V2..V5): half or float. Boxes are [y1, x1, y2, x2]
// with either corner order; the intersection over union is computed in float
// (0 when either box has no area). Candidates are those with score >
// score_threshold, taken by descending score (ties: lower index first); a
// candidate is dropped when its IoU with an already selected box exceeds
// iou_threshold. With soft_nms_sigma > 0 (V5) nothing is dropped outright:
// each overlap scales the score by exp(-0.5 * iou^2 / sigma) and the
// candidate goes back into the queue while its score stays above
// score_threshold (TensorFlow's DoNonMaxSuppressionOp, including its
// "suppressed at most once by each selected box" bookkeeping). Scores and
// thresholds are compared in T, as TensorFlow does. With
// pad_to_max_output_size the outputs are padded with zeros to
// max_output_size (RESOURCE_EXHAUSTED past 2^24); valid_outputs counts the
// real ones.
//
// Errors as TensorFlow: "boxes must be 2-D", "boxes must have 4 columns",
// "scores must be 1-D", "scores has incompatible shape", "max_output_size
// must be 0-D", "iou_threshold must be in [0, 1]", "soft_nms_sigma_val must
// be >= 0", "output size must be non-negative", "overlaps must be square".
// V3 alone accepts an iou_threshold outside [0, 1], as TensorFlow 1.x did.
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <queue>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/image/box_iou.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Padding to max_output_size allocates what the request asks for; past
// this many elements (a detector keeps a few hundred) it is refused rather
// than allocating gigabytes of zeros.
constexpr int64_t kMaxPaddedOutput = int64_t{1} << 24;

enum class NmsVersion { kV1, kV2, kV3, kV4, kV5, kWithOverlaps };

// TensorFlow's "<what> must be 0-D, got shape [..]".
absl::Status CheckScalar(const Tensor& t, absl::string_view what) {
  if (t.rank() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be 0-D, got shape ", t.shape().DebugString()));
  }
  return absl::OkStatus();
}

// A threshold scalar of any floating dtype (V2..V4 take T_threshold, which
// may differ from T), converted to T.
template <typename T>
absl::StatusOr<T> ThresholdScalar(const Tensor& t, absl::string_view what) {
  MS_RETURN_IF_ERROR(CheckScalar(t, what));
  switch (t.dtype()) {
    case DT_FLOAT:
      return static_cast<T>(t.data<float>()[0]);
    case DT_HALF:
      return static_cast<T>(t.data<Eigen::half>()[0]);
    case DT_DOUBLE:
      return static_cast<T>(t.data<double>()[0]);
    case DT_BFLOAT16:
      return static_cast<T>(t.data<Eigen::bfloat16>()[0]);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(what, " must be half, bfloat16, float or double, got ",
                       DataTypeName(t.dtype())));
  }
}

template <typename T>
struct Selection {
  std::vector<int32_t> indices;
  std::vector<T> scores;
};

// The greedy (or soft) selection. `similarity(i, j)` is the IoU or overlap of
// boxes i and j.
template <typename T, typename Similarity>
Selection<T> SelectBoxes(const T* scores, int64_t num_boxes,
                         int64_t max_output_size, T similarity_threshold,
                         T score_threshold, T soft_nms_sigma,
                         const Similarity& similarity) {
  struct Candidate {
    int32_t box_index;
    T score;
    int64_t suppress_begin_index;
  };
  auto lower_priority = [](const Candidate& a, const Candidate& b) {
    return a.score < b.score ||
           (a.score == b.score && a.box_index > b.box_index);
  };
  std::priority_queue<Candidate, std::deque<Candidate>,
                      decltype(lower_priority)>
      queue(lower_priority);
  for (int64_t i = 0; i < num_boxes; ++i) {
    if (scores[i] > score_threshold) {
      queue.push(Candidate{static_cast<int32_t>(i), scores[i], 0});
    }
  }
  const bool soft = soft_nms_sigma > T(0);
  const T scale = soft ? T(-0.5) / soft_nms_sigma : T(0);
  auto weight = [&](T sim) {
    const T w = static_cast<T>(std::exp(static_cast<float>(scale * sim * sim)));
    return soft || sim <= similarity_threshold ? w : T(0);
  };

  Selection<T> out;
  while (static_cast<int64_t>(out.indices.size()) < max_output_size &&
         !queue.empty()) {
    Candidate next = queue.top();
    queue.pop();
    const T original_score = next.score;
    bool hard_suppressed = false;
    for (int64_t j = static_cast<int64_t>(out.indices.size()) - 1;
         j >= next.suppress_begin_index; --j) {
      const T sim = static_cast<T>(similarity(next.box_index, out.indices[j]));
      next.score = next.score * weight(sim);
      if (!soft && sim > similarity_threshold) {
        hard_suppressed = true;
        break;
      }
      if (next.score <= score_threshold) break;
    }
    next.suppress_begin_index = static_cast<int64_t>(out.indices.size());
    if (hard_suppressed) continue;
    if (next.score == original_score) {
      out.indices.push_back(next.box_index);
      out.scores.push_back(next.score);
    } else if (next.score > score_threshold) {
      queue.push(next);
    }
  }
  return out;
}

template <typename T>
class NonMaxSuppressionKernel : public OpKernel {
 public:
  NonMaxSuppressionKernel(NmsVersion version, float attr_iou_threshold,
                          bool pad_to_max_output_size)
      : version_(version),
        attr_iou_threshold_(attr_iou_threshold),
        pad_(pad_to_max_output_size) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& boxes = ctx.input(0);
    const Tensor& scores = ctx.input(1);
    const Tensor& max_output_size = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckScalar(max_output_size, "max_output_size"));
    if (max_output_size.dtype() != DT_INT32) {
      return absl::InvalidArgumentError(
          absl::StrCat("max_output_size must be int32, got ",
                       DataTypeName(max_output_size.dtype())));
    }
    const bool overlaps = version_ == NmsVersion::kWithOverlaps;
    T iou_threshold = static_cast<T>(attr_iou_threshold_);
    if (version_ != NmsVersion::kV1) {
      MS_ASSIGN_OR_RETURN(
          iou_threshold,
          ThresholdScalar<T>(ctx.input(3),
                             overlaps ? "overlap_threshold" : "iou_threshold"));
    }
    // TensorFlow 1.x ran V3 with any iou_threshold (the frozen graph
    // non_max_suppression__float32_with_thresholds_4 uses -1); later
    // versions reject it, as they always did for the other versions.
    const bool check_iou_range = !overlaps && version_ != NmsVersion::kV3;
    if (check_iou_range && !(iou_threshold >= T(0) && iou_threshold <= T(1))) {
      return absl::InvalidArgumentError("iou_threshold must be in [0, 1]");
    }
    T score_threshold = std::numeric_limits<T>::lowest();
    if (version_ >= NmsVersion::kV3) {
      MS_ASSIGN_OR_RETURN(score_threshold,
                          ThresholdScalar<T>(ctx.input(4), "score_threshold"));
    }
    T soft_nms_sigma = T(0);
    if (version_ == NmsVersion::kV5) {
      MS_ASSIGN_OR_RETURN(soft_nms_sigma,
                          ThresholdScalar<T>(ctx.input(5), "soft_nms_sigma"));
      if (!(soft_nms_sigma >= T(0))) {
        return absl::InvalidArgumentError("soft_nms_sigma_val must be >= 0");
      }
    }
    MS_ASSIGN_OR_RETURN(const int64_t num_boxes, CheckBoxes(boxes, overlaps));
    MS_RETURN_IF_ERROR(CheckInputDtype(scores, DataTypeOf<T>::value));
    if (scores.rank() != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scores must be 1-D", scores.shape().DebugString(),
          " (Shape must be rank 1 but is rank ", scores.rank(), ")"));
    }
    if (scores.dim(0) != num_boxes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scores has incompatible shape (Dimensions must be equal, but are ",
          num_boxes, " and ", scores.dim(0), ")"));
    }
    const int64_t output_size = max_output_size.data<int32_t>()[0];
    if (output_size < 0) {
      return absl::InvalidArgumentError("output size must be non-negative");
    }

    Selection<T> selected;
    if (overlaps) {
      const T* matrix = boxes.data<T>();
      selected = SelectBoxes<T>(
          scores.data<T>(), num_boxes, output_size, iou_threshold,
          score_threshold, soft_nms_sigma, [&](int64_t i, int64_t j) {
            return static_cast<float>(matrix[i * num_boxes + j]);
          });
    } else {
      const T* corners = boxes.data<T>();
      selected = SelectBoxes<T>(
          scores.data<T>(), num_boxes, output_size, iou_threshold,
          score_threshold, soft_nms_sigma, [&](int64_t i, int64_t j) {
            return BoxIou(corners + 4 * i, corners + 4 * j);
          });
    }
    return WriteOutputs(ctx, selected, output_size);
  }

 private:
  // The number of boxes; INVALID_ARGUMENT unless boxes is [N, 4] (or
  // overlaps is [N, N]) of type T.
  static absl::StatusOr<int64_t> CheckBoxes(const Tensor& boxes,
                                            bool overlaps) {
    MS_RETURN_IF_ERROR(CheckInputDtype(boxes, DataTypeOf<T>::value));
    if (overlaps) {
      if (boxes.rank() != 2) {
        return absl::InvalidArgumentError(
            absl::StrCat("overlaps must be 2-D", boxes.shape().DebugString()));
      }
      if (boxes.dim(1) != boxes.dim(0)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "overlaps must be square", boxes.shape().DebugString()));
      }
    } else {
      if (boxes.rank() != 2) {
        return absl::InvalidArgumentError(absl::StrCat(
            "boxes must be 2-D", boxes.shape().DebugString(),
            " (Shape must be rank 2 but is rank ", boxes.rank(), ")"));
      }
      if (boxes.dim(1) != 4) {
        return absl::InvalidArgumentError(
            absl::StrCat("boxes must have 4 columns (Dimension must be 4 but "
                         "is ",
                         boxes.dim(1), ")"));
      }
    }
    if (boxes.dim(0) > std::numeric_limits<int32_t>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat("too many boxes: ", boxes.dim(0)));
    }
    return boxes.dim(0);
  }

  absl::Status WriteOutputs(OpKernelContext& ctx, const Selection<T>& selected,
                            int64_t output_size) const {
    const int64_t valid = static_cast<int64_t>(selected.indices.size());
    const int64_t length = pad_ ? output_size : valid;
    if (length > kMaxPaddedOutput) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "pad_to_max_output_size: max_output_size ", output_size,
          " exceeds the limit of ", kMaxPaddedOutput, " padded outputs"));
    }
    MS_ASSIGN_OR_RETURN(Tensor * indices,
                        ctx.allocate_output(0, DT_INT32, TensorShape{length}));
    int32_t* index_data = indices->data<int32_t>();
    for (int64_t i = 0; i < length; ++i) {
      index_data[i] = i < valid ? selected.indices[i] : 0;
    }
    int next_output = 1;
    if (version_ == NmsVersion::kV5) {
      MS_ASSIGN_OR_RETURN(
          Tensor * scores,
          ctx.allocate_output(next_output++, DataTypeOf<T>::value,
                              TensorShape{length}));
      T* score_data = scores->data<T>();
      for (int64_t i = 0; i < length; ++i) {
        score_data[i] = i < valid ? selected.scores[i] : T(0);
      }
    }
    if (version_ == NmsVersion::kV4 || version_ == NmsVersion::kV5) {
      MS_ASSIGN_OR_RETURN(
          Tensor * count,
          ctx.allocate_output(next_output, DT_INT32, TensorShape{}));
      count->data<int32_t>()[0] = static_cast<int32_t>(valid);
    }
    return absl::OkStatus();
  }

  NmsVersion version_;
  float attr_iou_threshold_;
  bool pad_;
};

constexpr int NumInputs(NmsVersion v) {
  switch (v) {
    case NmsVersion::kV1:
      return 3;
    case NmsVersion::kV2:
      return 4;
    case NmsVersion::kV5:
      return 6;
    default:
      return 5;
  }
}

template <NmsVersion kVersion>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateNonMaxSuppression(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, NumInputs(kVersion)));
  DataType dtype = DT_FLOAT;
  if (kVersion != NmsVersion::kV1 && kVersion != NmsVersion::kWithOverlaps) {
    MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &dtype));
  }
  float iou_threshold = 0.5f;
  if (kVersion == NmsVersion::kV1) {
    MS_RETURN_IF_ERROR(c.attrs.GetOr("iou_threshold", 0.5f, &iou_threshold));
  }
  bool pad = false;
  if (kVersion == NmsVersion::kV4 || kVersion == NmsVersion::kV5) {
    MS_RETURN_IF_ERROR(c.attrs.GetOr("pad_to_max_output_size", false, &pad));
  }
  if (dtype == DT_FLOAT) {
    return std::unique_ptr<OpKernel>(
        new NonMaxSuppressionKernel<float>(kVersion, iou_threshold, pad));
  }
  if (dtype == DT_HALF) {
    return std::unique_ptr<OpKernel>(
        new NonMaxSuppressionKernel<Eigen::half>(kVersion, iou_threshold, pad));
  }
  return UnsupportedDtypeError(c, dtype);
}

}  // namespace

REGISTER_KERNEL(OpSpec("NonMaxSuppression").Output("selected_indices"),
                CreateNonMaxSuppression<NmsVersion::kV1>);
REGISTER_KERNEL(OpSpec("NonMaxSuppressionV2").Output("selected_indices"),
                CreateNonMaxSuppression<NmsVersion::kV2>);
REGISTER_KERNEL(OpSpec("NonMaxSuppressionV3").Output("selected_indices"),
                CreateNonMaxSuppression<NmsVersion::kV3>);
REGISTER_KERNEL(OpSpec("NonMaxSuppressionV4")
                    .Output("selected_indices")
                    .Output("valid_outputs"),
                CreateNonMaxSuppression<NmsVersion::kV4>);
REGISTER_KERNEL(OpSpec("NonMaxSuppressionV5")
                    .Output("selected_indices")
                    .Output("selected_scores")
                    .Output("valid_outputs"),
                CreateNonMaxSuppression<NmsVersion::kV5>);
REGISTER_KERNEL(
    OpSpec("NonMaxSuppressionWithOverlaps").Output("selected_indices"),
    CreateNonMaxSuppression<NmsVersion::kWithOverlaps>);

}  // namespace model_server
