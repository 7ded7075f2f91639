// The frozen corpus's ratchet (frozen_known_failures.h) and its report
// (frozen_report.h).
#include "tests/corpus/frozen_known_failures.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/corpus/frozen_report.h"

namespace model_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

FrozenGraphResult Result(const std::string& name, FrozenFailure failure,
                         const std::string& detail = "",
                         bool deterministic = true) {
  FrozenGraphResult result;
  result.name = name;
  result.category = name.substr(0, name.find("__"));
  result.failure = failure;
  result.detail = detail;
  result.deterministic = deterministic;
  if (failure == FrozenFailure::kMissingOp) {
    result.missing_ops.insert(detail);
  }
  return result;
}

TEST(FrozenKnownFailures, ParsesNamesAndClassesSkippingComments) {
  absl::StatusOr<KnownFailures> known = ParseKnownFailures(
      "# header\n\nroll__a missing-op\nsvd__rank2_3,3_uv  wrong-value  # why\n"
      "pool__nchw unsupported-attr/dtype\n");
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_EQ(*known, (KnownFailures{
                        {"roll__a", FrozenFailure::kMissingOp},
                        {"svd__rank2_3,3_uv", FrozenFailure::kWrongValue},
                        {"pool__nchw", FrozenFailure::kUnsupportedAttrDtype}}));
}

TEST(FrozenKnownFailures, RefusesMalformedLines) {
  EXPECT_THAT(ParseKnownFailures("a missing-op\nb\n").status().message(),
              HasSubstr("line 2 is not"));
  EXPECT_THAT(ParseKnownFailures("a missing-ops\n").status().message(),
              HasSubstr("line 1 is not"));
  EXPECT_THAT(ParseKnownFailures("a pass\n").status().message(),
              HasSubstr("line 1 is not"));
  EXPECT_THAT(ParseKnownFailures("a run-error extra\n").status().message(),
              HasSubstr("line 1 is not"));
  EXPECT_THAT(
      ParseKnownFailures("a run-error\na missing-op\n").status().message(),
      HasSubstr("line 2 repeats a"));
}

TEST(FrozenKnownFailures, FormatsWhatItParses) {
  std::vector<FrozenGraphResult> results = {
      Result("z__b", FrozenFailure::kRunError, "boom"),
      Result("a__pass", FrozenFailure::kNone),
      Result("a__c", FrozenFailure::kMissingOp, "Roll")};
  const std::string text = FormatKnownFailures(results);
  EXPECT_THAT(text, HasSubstr("\na__c missing-op\nz__b run-error\n"));
  EXPECT_THAT(text,
              HasSubstr("cp build/tests/corpus/frozen_known_failures.txt"));
  absl::StatusOr<KnownFailures> known = ParseKnownFailures(text);
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_TRUE(CompareWithKnownFailures(results, *known).ok());
}

TEST(FrozenKnownFailures, FlagsUnlistedFailuresAsRegressions) {
  RatchetVerdict verdict = CompareWithKnownFailures(
      {Result("a__x", FrozenFailure::kRunError, "boom")}, {});
  EXPECT_THAT(verdict.regressions,
              ElementsAre("a__x: run-error (boom), not listed"));
  EXPECT_THAT(verdict.lines_to_remove, IsEmpty());
}

TEST(FrozenKnownFailures, FlagsAChangedFailureClass) {
  RatchetVerdict verdict = CompareWithKnownFailures(
      {Result("a__x", FrozenFailure::kWrongValue, "y:0: element 0")},
      {{"a__x", FrozenFailure::kMissingOp}});
  EXPECT_THAT(verdict.regressions,
              ElementsAre("a__x: wrong-value (y:0: element 0), listed as "
                          "missing-op"));
}

TEST(FrozenKnownFailures, AsksToRemoveGraphsThatPassOrAreGone) {
  RatchetVerdict verdict = CompareWithKnownFailures(
      {Result("a__now_passes", FrozenFailure::kNone),
       Result("a__still_fails", FrozenFailure::kMissingOp, "Roll")},
      {{"a__now_passes", FrozenFailure::kMissingOp},
       {"a__still_fails", FrozenFailure::kMissingOp},
       {"a__gone", FrozenFailure::kRunError}});
  EXPECT_THAT(verdict.regressions, IsEmpty());
  EXPECT_THAT(verdict.lines_to_remove,
              ElementsAre("a__now_passes missing-op", "a__gone run-error"));
  EXPECT_FALSE(verdict.ok());
}

TEST(FrozenReport, CountsDeterministicAndOtherGraphsApart) {
  FrozenPassCounts counts = CountFrozenPasses(
      {Result("a__1", FrozenFailure::kNone),
       Result("a__2", FrozenFailure::kMissingOp, "Roll"),
       Result("r__1", FrozenFailure::kNone, "", /*deterministic=*/false)});
  EXPECT_EQ(counts.deterministic, 2);
  EXPECT_EQ(counts.deterministic_passed, 1);
  EXPECT_EQ(counts.nondeterministic, 1);
  EXPECT_EQ(counts.nondeterministic_passed, 1);
}

TEST(FrozenReport, SummarizesClassesMissingOpsAndCategories) {
  std::string summary =
      FormatFrozenSummary({Result("a__1", FrozenFailure::kNone),
                           Result("a__2", FrozenFailure::kMissingOp, "Roll"),
                           Result("b__1", FrozenFailure::kMissingOp, "Roll"),
                           Result("b__2", FrozenFailure::kMissingOp, "Svd"),
                           Result("b__3", FrozenFailure::kRunError, "boom")});
  EXPECT_THAT(summary, HasSubstr("deterministic:        1 passed,    4 "
                                 "failed of    5 (20.0% pass)"));
  EXPECT_THAT(summary, HasSubstr("missing-op 3, run-error 1\n"));
  EXPECT_THAT(summary, HasSubstr("  Roll 2, Svd 1\n"));
  EXPECT_THAT(summary, HasSubstr("  b      "));
  EXPECT_LT(summary.find("  b   "), summary.find("  a   "));
}

TEST(FrozenReport, TabulatesOneRowPerGraphInNameOrder) {
  EXPECT_EQ(FormatFrozenResultsTable(
                {Result("b__1", FrozenFailure::kMissingOp, "Roll"),
                 Result("a__1", FrozenFailure::kNone, "", false)}),
            "name\tcategory\tdeterministic\tresult\tdetail\n"
            "a__1\ta\tno\tpass\t\n"
            "b__1\tb\tyes\tmissing-op\tRoll\n");
}

}  // namespace
}  // namespace model_server
