// CombinedNonMaxSuppression: per-class greedy NMS over a batch, then the
// best detections of all classes per image (TensorFlow's
// CombinedNonMaxSuppressionOp, as object-detection exports use it).
//
// Inputs: boxes float [batch, num_boxes, q, 4] (q = 1: shared by every
// class, or q = num_classes), scores float [batch, num_boxes, num_classes],
// max_output_size_per_class and max_total_size (int32 scalars, > 0),
// iou_threshold (float in [0, 1]) and score_threshold (float).
// Attrs pad_per_class (false), clip_boxes (true).
// Outputs: nmsed_boxes float [batch, per_batch, 4], nmsed_scores and
// nmsed_classes float [batch, per_batch], valid_detections int32 [batch],
// with per_batch = max_total_size, or with pad_per_class
// min(max_total_size, max_output_size_per_class * num_classes).
//
// For each image and class: candidates are the boxes scoring above
// score_threshold, by descending score; one is kept unless its IoU with a
// kept box of that class exceeds iou_threshold, up to
// min(max_output_size_per_class, num_boxes). The kept detections of all
// classes are sorted by descending score and the first per_batch (all of
// them, if fewer) are output, boxes clipped to [0, 1] with clip_boxes,
// then zero padding. Equal scores keep the lower box index, then the lower
// class (TensorFlow leaves their order to its heap and sort).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/image/box_iou.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

struct Detection {
  int64_t box;
  int64_t class_index;
  float score;
};

// Kept detections of one class of one image. `boxes` points at the image's
// [num_boxes, q, 4] block, `scores` at its [num_boxes, num_classes] block.
std::vector<Detection> SelectForClass(const float* boxes, const float* scores,
                                      int64_t num_boxes, int64_t q,
                                      int64_t num_classes, int64_t class_index,
                                      int64_t limit, float score_threshold,
                                      float iou_threshold) {
  std::vector<Detection> candidates;
  for (int64_t i = 0; i < num_boxes; ++i) {
    const float score = scores[i * num_classes + class_index];
    if (score > score_threshold) candidates.push_back({i, class_index, score});
  }
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [](const Detection& a, const Detection& b) { return a.score > b.score; });
  const int64_t box_class = q > 1 ? class_index : 0;
  auto corners = [&](int64_t box) { return boxes + (box * q + box_class) * 4; };
  std::vector<Detection> kept;
  for (const Detection& candidate : candidates) {
    if (static_cast<int64_t>(kept.size()) >= limit) break;
    bool suppressed = false;
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
      if (BoxIou(corners(candidate.box), corners(it->box)) > iou_threshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push_back(candidate);
  }
  return kept;
}

absl::StatusOr<int64_t> PositiveScalar(const Tensor& t, const char* name,
                                       const char* positive_text) {
  if (t.rank() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " must be 0-D, got shape ", t.shape().DebugString()));
  }
  if (t.dtype() != DT_INT32) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " must be int32, got ", DataTypeName(t.dtype())));
  }
  const int64_t value = t.data<int32_t>()[0];
  if (value <= 0) return absl::InvalidArgumentError(positive_text);
  return value;
}

absl::StatusOr<float> FloatScalar(const Tensor& t, const char* name) {
  if (t.rank() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " must be 0-D, got shape ", t.shape().DebugString()));
  }
  MS_RETURN_IF_ERROR(CheckInputDtype(t, DT_FLOAT));
  return t.data<float>()[0];
}

class CombinedNmsKernel : public OpKernel {
 public:
  CombinedNmsKernel(bool pad_per_class, bool clip_boxes)
      : pad_per_class_(pad_per_class), clip_boxes_(clip_boxes) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& boxes = ctx.input(0);
    const Tensor& scores = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(boxes, DT_FLOAT));
    MS_RETURN_IF_ERROR(CheckInputDtype(scores, DT_FLOAT));
    if (boxes.rank() != 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("boxes must be 4-D [batch, num_boxes, q, 4], got shape ",
                       boxes.shape().DebugString()));
    }
    if (scores.rank() != 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scores must be 3-D [batch, num_boxes, num_classes], got shape ",
          scores.shape().DebugString()));
    }
    const int64_t batch = boxes.dim(0), num_boxes = boxes.dim(1),
                  q = boxes.dim(2), num_classes = scores.dim(2);
    if (q != 1 && q != num_classes) {
      return absl::InvalidArgumentError(
          "third dimension of boxes must be either 1 or num classes");
    }
    if (boxes.dim(3) != 4) {
      return absl::InvalidArgumentError("boxes must have 4 columns");
    }
    if (scores.dim(0) != batch || scores.dim(1) != num_boxes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scores has incompatible shape ", scores.shape().DebugString(),
          " for boxes ", boxes.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(const int64_t per_class,
                        PositiveScalar(ctx.input(2), "max_size_per_class",
                                       "max_size_per_class must be positive"));
    MS_ASSIGN_OR_RETURN(const int64_t max_total,
                        PositiveScalar(ctx.input(3), "max_total_size",
                                       "max_total_size must be > 0"));
    MS_ASSIGN_OR_RETURN(const float iou_threshold,
                        FloatScalar(ctx.input(4), "iou_threshold"));
    if (!(iou_threshold >= 0 && iou_threshold <= 1)) {
      return absl::InvalidArgumentError("iou_threshold must be in [0, 1]");
    }
    MS_ASSIGN_OR_RETURN(const float score_threshold,
                        FloatScalar(ctx.input(5), "score_threshold"));

    const int64_t per_batch = pad_per_class_
                                  ? std::min(max_total, per_class * num_classes)
                                  : max_total;
    MS_ASSIGN_OR_RETURN(
        Tensor * out_boxes,
        ctx.allocate_output(0, DT_FLOAT, TensorShape{batch, per_batch, 4}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out_scores,
        ctx.allocate_output(1, DT_FLOAT, TensorShape{batch, per_batch}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out_classes,
        ctx.allocate_output(2, DT_FLOAT, TensorShape{batch, per_batch}));
    MS_ASSIGN_OR_RETURN(Tensor * valid,
                        ctx.allocate_output(3, DT_INT32, TensorShape{batch}));
    std::fill_n(out_boxes->data<float>(), out_boxes->NumElements(), 0.0f);
    std::fill_n(out_scores->data<float>(), out_scores->NumElements(), 0.0f);
    std::fill_n(out_classes->data<float>(), out_classes->NumElements(), 0.0f);

    const int64_t limit = std::min(per_class, num_boxes);
    ParallelFor(
        batch, num_boxes * num_classes * 8.0, num_boxes * num_classes * 20.0,
        [&](int64_t first, int64_t last) {
          for (int64_t b = first; b < last; ++b) {
            const float* image_boxes =
                boxes.data<float>() + b * num_boxes * q * 4;
            const float* image_scores =
                scores.data<float>() + b * num_boxes * num_classes;
            std::vector<Detection> all;
            for (int64_t c = 0; c < num_classes; ++c) {
              std::vector<Detection> kept = SelectForClass(
                  image_boxes, image_scores, num_boxes, q, num_classes, c,
                  limit, score_threshold, iou_threshold);
              all.insert(all.end(), kept.begin(), kept.end());
            }
            std::stable_sort(all.begin(), all.end(),
                             [](const Detection& a, const Detection& x) {
                               return a.score > x.score;
                             });
            const int64_t count =
                std::min(static_cast<int64_t>(all.size()), per_batch);
            valid->data<int32_t>()[b] = static_cast<int32_t>(count);
            for (int64_t k = 0; k < count; ++k) {
              const Detection& d = all[k];
              const int64_t box_class = q > 1 ? d.class_index : 0;
              const float* corners = image_boxes + (d.box * q + box_class) * 4;
              float* dst = out_boxes->data<float>() + (b * per_batch + k) * 4;
              for (int i = 0; i < 4; ++i) {
                dst[i] = clip_boxes_
                             ? std::max(std::min(corners[i], 1.0f), 0.0f)
                             : corners[i];
              }
              out_scores->data<float>()[b * per_batch + k] = d.score;
              out_classes->data<float>()[b * per_batch + k] =
                  static_cast<float>(d.class_index);
            }
          }
        });
    return absl::OkStatus();
  }

 private:
  const bool pad_per_class_;
  const bool clip_boxes_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateCombinedNms(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 6));
  bool pad_per_class = false, clip_boxes = true;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("pad_per_class", false, &pad_per_class));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("clip_boxes", true, &clip_boxes));
  return std::make_unique<CombinedNmsKernel>(pad_per_class, clip_boxes);
}

}  // namespace

REGISTER_KERNEL(OpSpec("CombinedNonMaxSuppression")
                    .Output("nmsed_boxes")
                    .Output("nmsed_scores")
                    .Output("nmsed_classes")
                    .Output("valid_detections"),
                CreateCombinedNms);

}  // namespace model_server
