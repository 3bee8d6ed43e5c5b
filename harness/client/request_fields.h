#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>

namespace llmbench::harness {

struct ChatRequest;

// The generation fields a scenario or a prompt line may set (docs/scenarios.md "Request
// fields"): output length (max_tokens; min_tokens and ignore_eos, vLLM's extensions), sampling
// (temperature, top_p, seed) and extra_body, a JSON object merged into every request body.
// Unset (0 / nullopt / null) fields are not sent, so the server's defaults apply.
struct RequestFields {
  std::uint32_t max_tokens = 0;
  std::uint32_t min_tokens = 0;
  std::optional<bool> ignore_eos;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::uint64_t> seed;
  std::shared_ptr<const boost::json::object> extra_body;  // shared: every request refers to one
};

// Puts `fields` into `request` where the request left a field unset: a prompt line's own fields
// win over the scenario's. extra_body is deep-merged, the request's own keys winning.
void apply_defaults(ChatRequest& request, const RequestFields& fields);

// Deep merge: every key of `over` replaces the same key of `base`, except that two objects
// merge key by key (recursively); arrays and scalars are replaced whole.
void deep_merge(boost::json::object& base, const boost::json::object& over);

// The one step every API flavour's finished body goes through: the request's extra_body
// deep-merged into it, extra_body winning (it can override what llmbench sets, e.g. `stream`).
void apply_extra_body(boost::json::object& body, const ChatRequest& request);

// The output length a request insists on (the count below which its reply stopped early):
// max_tokens when ignore_eos asks for the full length, else min_tokens (at most max_tokens);
// 0 when it asks for neither.
std::uint32_t required_output_tokens(const ChatRequest& request) noexcept;

}  // namespace llmbench::harness
