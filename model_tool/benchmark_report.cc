#include "model_tool/benchmark_report.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace model_server {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

struct Share {
  std::string name;
  std::string op;
  int nodes = 0;
  double micros = 0;
};

void WriteShares(Writer& w, const char* key, const char* name_key,
                 std::vector<Share> shares, double total) {
  std::stable_sort(
      shares.begin(), shares.end(),
      [](const Share& a, const Share& b) { return a.micros > b.micros; });
  w.Key(key);
  w.StartArray();
  for (const Share& s : shares) {
    w.StartObject();
    w.Key(name_key);
    w.String(s.name.c_str());
    if (s.nodes > 0) {
      w.Key("nodes");
      w.Int(s.nodes);
    } else {
      w.Key("op");
      w.String(s.op.c_str());
    }
    w.Key("us_per_run");
    w.Double(s.micros);
    w.Key("share");
    w.Double(total > 0 ? s.micros / total : 0);
    w.EndObject();
  }
  w.EndArray();
}

void WriteProfile(Writer& w, const BlockRow& row) {
  std::vector<Share> nodes;
  std::map<std::string, Share> ops;
  double total = 0;
  for (const NodeTime& n : row.row.profile) {
    nodes.push_back({n.node, n.op, 0, n.micros_per_run});
    Share& op = ops[n.op];
    op.name = n.op;
    ++op.nodes;
    op.micros += n.micros_per_run;
    total += n.micros_per_run;
  }
  std::vector<Share> by_op;
  for (auto& [name, share] : ops) by_op.push_back(share);
  w.Key("profile");
  w.StartObject();
  w.Key("runs");
  w.Int(row.profile_runs);
  WriteShares(w, "ops", "op", by_op, total);
  WriteShares(w, "nodes", "node", nodes, total);
  w.EndObject();
}

void Number(Writer& w, const char* key, double value) {
  w.Key(key);
  w.Double(value);
}

double Get(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsNumber() ? v[key].GetDouble() : 0;
}

std::string Text(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

void AppendProfileText(const rapidjson::Value& profile, std::string* out) {
  absl::StrAppendFormat(out,
                        "    profile of %d runs: kernel time per op type "
                        "(a run's remainder is the executor's)\n"
                        "      %-32s %6s %10s %7s\n",
                        static_cast<int>(Get(profile, "runs")), "op", "nodes",
                        "us/run", "share");
  for (const auto& op : profile["ops"].GetArray()) {
    absl::StrAppendFormat(out, "      %-32s %6d %10.2f %6.1f%%\n",
                          Text(op, "op"), static_cast<int>(Get(op, "nodes")),
                          Get(op, "us_per_run"), 100 * Get(op, "share"));
  }
  absl::StrAppendFormat(out, "    per node:\n      %-44s %-20s %10s %7s\n",
                        "node", "op", "us/run", "share");
  for (const auto& node : profile["nodes"].GetArray()) {
    absl::StrAppendFormat(out, "      %-44s %-20s %10.2f %6.1f%%\n",
                          Text(node, "node"), Text(node, "op"),
                          Get(node, "us_per_run"), 100 * Get(node, "share"));
  }
}

}  // namespace

std::string BlockJson(int threads, double load_ms,
                      const std::vector<BlockRow>& rows) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("threads");
  w.Int(threads);
  Number(w, "load_ms", load_ms);
  w.Key("rows");
  w.StartArray();
  for (const BlockRow& r : rows) {
    w.StartObject();
    w.Key("batch");
    w.Int64(r.row.batch);
    w.Key("inputs");
    w.StartArray();
    for (const std::string& input : r.inputs) w.String(input.c_str());
    w.EndArray();
    w.Key("runs");
    w.Int64(r.row.runs);
    Number(w, "p50_us", r.row.p50_us);
    Number(w, "p90_us", r.row.p90_us);
    Number(w, "p99_us", r.row.p99_us);
    Number(w, "mean_us", r.row.mean_us);
    Number(w, "cpu_us", r.row.cpu_us);
    Number(w, "runs_per_s", r.row.runs_per_second);
    Number(w, "rows_per_s", r.row.rows_per_second);
    if (r.profile_runs > 0) WriteProfile(w, r);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

absl::StatusOr<std::string> RenderBenchmark(
    const BenchmarkHeader& header, const std::vector<std::string>& blocks,
    bool json) {
  std::vector<rapidjson::Document> docs(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    docs[i].Parse(blocks[i].c_str());
    if (docs[i].HasParseError() || !docs[i].IsObject() ||
        !docs[i].HasMember("rows") || !docs[i]["rows"].IsArray()) {
      return absl::InternalError(
          absl::StrCat("a benchmark process sent back: ", blocks[i]));
    }
  }
  if (json) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("model");
    w.String(header.model.c_str());
    w.Key("signature");
    w.String(header.signature.c_str());
    w.Key("warmup_runs");
    w.Int(header.warmup_runs);
    w.Key("min_runs");
    w.Int(header.min_runs);
    Number(w, "min_time_s", header.min_time_s);
    w.Key("results");
    w.StartArray();
    for (const rapidjson::Document& doc : docs) doc.Accept(w);
    w.EndArray();
    w.EndObject();
    return absl::StrCat(buffer.GetString(), "\n");
  }
  std::string out = absl::StrFormat(
      "# model %s, signature %s: %d warm-up runs, then at least %d runs "
      "and %g s per row; times in microseconds\n",
      header.model, header.signature, header.warmup_runs, header.min_runs,
      header.min_time_s);
  for (const rapidjson::Document& doc : docs) {
    absl::StrAppendFormat(&out, "# %d intra-op threads, loaded in %.1f ms\n",
                          static_cast<int>(Get(doc, "threads")),
                          Get(doc, "load_ms"));
    absl::StrAppendFormat(&out, "%7s %7s %8s %10s %10s %10s %10s %10s %12s\n",
                          "threads", "batch", "runs", "p50_us", "p90_us",
                          "p99_us", "cpu_us", "runs/s", "rows/s");
    for (const auto& row : doc["rows"].GetArray()) {
      absl::StrAppendFormat(
          &out, "%7d %7d %8d %10.1f %10.1f %10.1f %10.1f %10.1f %12.1f\n",
          static_cast<int>(Get(doc, "threads")),
          static_cast<int64_t>(Get(row, "batch")),
          static_cast<int64_t>(Get(row, "runs")), Get(row, "p50_us"),
          Get(row, "p90_us"), Get(row, "p99_us"), Get(row, "cpu_us"),
          Get(row, "runs_per_s"), Get(row, "rows_per_s"));
      if (row.HasMember("inputs") && row["inputs"].IsArray()) {
        std::vector<std::string> inputs;
        for (const auto& input : row["inputs"].GetArray()) {
          if (input.IsString()) inputs.push_back(input.GetString());
        }
        absl::StrAppend(&out, "    inputs: ", absl::StrJoin(inputs, ", "),
                        "\n");
      }
      if (row.HasMember("profile") && row["profile"].IsObject()) {
        AppendProfileText(row["profile"], &out);
      }
    }
  }
  return out;
}

}  // namespace model_server
