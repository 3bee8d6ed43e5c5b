#include "harness/metrics/session_metrics.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/input_error.h"
#include "harness/metrics/json_fields.h"

namespace llmbench::metrics {

namespace jf = json_fields;
namespace json = boost::json;

void SessionMetrics::record_turn(std::uint32_t turn, const harness::RequestRecord& record, bool stream) {
  if (per_turn.size() <= turn) per_turn.resize(turn + 1);
  TurnMetrics& t = per_turn[turn];
  ++t.requests;
  if (!record.ok()) ++t.failed;
  t.prompt_tokens += record.prompt_tokens;
  if (stream && record.ok() && record.first_token_ns > 0 && record.start_ns > 0)
    t.ttft.record(record.first_token_ns - record.start_ns);
  if (record.ok() && record.end_ns > record.start_ns && record.start_ns > 0) t.e2e.record(record.end_ns - record.start_ns);
}

void SessionMetrics::record_session(SessionEnd end, std::uint32_t sent, std::int64_t start_ns, std::int64_t end_ns) {
  ++started;
  turns += sent;
  switch (end) {
    case SessionEnd::completed:
      ++completed;
      if (end_ns > start_ns) duration.record(end_ns - start_ns);
      break;
    case SessionEnd::failed: ++failed; break;
    case SessionEnd::cut: ++cut; break;
  }
}

void SessionMetrics::merge(const SessionMetrics& other) {
  started += other.started;
  completed += other.completed;
  failed += other.failed;
  cut += other.cut;
  turns += other.turns;
  duration.merge(other.duration);
  if (per_turn.size() < other.per_turn.size()) per_turn.resize(other.per_turn.size());
  for (std::size_t k = 0; k < other.per_turn.size(); ++k) {
    TurnMetrics& t = per_turn[k];
    const TurnMetrics& o = other.per_turn[k];
    t.requests += o.requests;
    t.failed += o.failed;
    t.prompt_tokens += o.prompt_tokens;
    t.ttft.merge(o.ttft);
    t.e2e.merge(o.e2e);
  }
}

json::value SessionMetrics::to_json() const {
  json::array turns_json;
  for (const TurnMetrics& t : per_turn) {
    turns_json.push_back(json::object{{"requests", t.requests},
                                      {"failed", t.failed},
                                      {"prompt_tokens", t.prompt_tokens},
                                      {"ttft", t.ttft.to_json()},
                                      {"e2e", t.e2e.to_json()}});
  }
  return json::object{{"started", started},   {"completed", completed},          {"failed", failed},
                      {"cut", cut},           {"turns", turns},                  {"duration", duration.to_json()},
                      {"per_turn", std::move(turns_json)}};
}

SessionMetrics SessionMetrics::from_json(const json::value& value, const std::string& where) {
  const json::object& o = jf::as_object(value, where);
  SessionMetrics m;
  m.started = jf::get_u64(o, "started", where);
  m.completed = jf::get_u64(o, "completed", where);
  m.failed = jf::get_u64(o, "failed", where);
  m.cut = jf::get_u64(o, "cut", where);
  m.turns = jf::get_u64(o, "turns", where);
  if (m.completed + m.failed + m.cut != m.started) {
    throw InputError(where, "started",
                     fmt::format("{} is not completed + failed + cut ({} + {} + {})", m.started, m.completed, m.failed, m.cut));
  }
  m.duration = LatencyHistogram::from_json(jf::required(o, "duration", where), where + ".duration");
  const json::array& turns = jf::get_array(o, "per_turn", where);
  for (std::size_t k = 0; k < turns.size(); ++k) {
    const std::string twhere = fmt::format("{}.per_turn[{}]", where, k);
    const json::object& to = jf::as_object(turns[k], twhere);
    TurnMetrics t;
    t.requests = jf::get_u64(to, "requests", twhere);
    t.failed = jf::get_u64(to, "failed", twhere);
    if (t.failed > t.requests) throw InputError(twhere, "failed", "is above requests");
    t.prompt_tokens = jf::get_u64(to, "prompt_tokens", twhere);
    t.ttft = LatencyHistogram::from_json(jf::required(to, "ttft", twhere), twhere + ".ttft");
    t.e2e = LatencyHistogram::from_json(jf::required(to, "e2e", twhere), twhere + ".e2e");
    m.per_turn.push_back(std::move(t));
  }
  return m;
}

}  // namespace llmbench::metrics
