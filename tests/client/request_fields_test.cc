#include "harness/client/request_fields.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness/client/chat_request.h"

namespace llmbench::harness {
namespace {

namespace json = boost::json;

json::object parse_object(std::string_view text) { return json::parse(text).as_object(); }

TEST(DeepMerge, OverWinsAndObjectsMergeKeyByKey) {
  json::object base = parse_object(R"({"a":1,"opts":{"x":1,"y":[1,2]},"keep":true})");
  deep_merge(base, parse_object(R"({"a":2,"opts":{"y":[3],"z":"new"},"add":null})"));
  EXPECT_EQ(json::value(base), json::parse(R"({"a":2,"opts":{"x":1,"y":[3],"z":"new"},"keep":true,"add":null})"));
}

TEST(DeepMerge, AnObjectReplacesAScalarAndTheOtherWayRound) {
  json::object base = parse_object(R"({"a":1,"b":{"c":1}})");
  deep_merge(base, parse_object(R"({"a":{"n":1},"b":5})"));
  EXPECT_EQ(json::value(base), json::parse(R"({"a":{"n":1},"b":5})"));
}

TEST(ApplyDefaults, ThePromptsOwnFieldsWin) {
  RequestFields scenario;
  scenario.max_tokens = 100;
  scenario.min_tokens = 10;
  scenario.ignore_eos = true;
  scenario.temperature = 0.5;
  scenario.top_p = 0.9;
  scenario.seed = 7;
  scenario.extra_body = std::make_shared<json::object>(parse_object(R"({"a":1,"nested":{"x":1,"y":1}})"));
  ChatRequest request;
  request.max_tokens = 20;
  request.ignore_eos = false;
  request.seed = 3;
  request.extra_body = std::make_shared<json::object>(parse_object(R"({"nested":{"y":2},"b":2})"));
  apply_defaults(request, scenario);
  EXPECT_EQ(request.max_tokens, 20u);
  EXPECT_EQ(request.min_tokens, 10u);
  EXPECT_EQ(request.ignore_eos, false);
  EXPECT_EQ(request.temperature, 0.5);
  EXPECT_EQ(request.top_p, 0.9);
  EXPECT_EQ(request.seed, 3u);
  ASSERT_NE(request.extra_body, nullptr);
  EXPECT_EQ(json::value(*request.extra_body), json::parse(R"({"a":1,"nested":{"x":1,"y":2},"b":2})"));
  // The scenario's object is shared, never changed.
  EXPECT_EQ(json::value(*scenario.extra_body), json::parse(R"({"a":1,"nested":{"x":1,"y":1}})"));
}

TEST(ApplyDefaults, AnUnsetRequestTakesTheScenariosFields) {
  RequestFields scenario;
  scenario.max_tokens = 64;
  scenario.extra_body = std::make_shared<json::object>(parse_object(R"({"a":1})"));
  ChatRequest request;
  apply_defaults(request, scenario);
  EXPECT_EQ(request.max_tokens, 64u);
  EXPECT_EQ(request.extra_body, scenario.extra_body);  // shared, not copied
  EXPECT_FALSE(request.ignore_eos);
  EXPECT_FALSE(request.temperature);
}

TEST(RequiredOutputTokens, IgnoreEosAsksForMaxTokensMinTokensForItself) {
  ChatRequest request;
  EXPECT_EQ(required_output_tokens(request), 0u);
  request.max_tokens = 100;
  EXPECT_EQ(required_output_tokens(request), 0u);  // a cap only: stopping before is normal
  request.min_tokens = 30;
  EXPECT_EQ(required_output_tokens(request), 30u);
  request.min_tokens = 300;
  EXPECT_EQ(required_output_tokens(request), 100u);  // never more than the cap
  request.min_tokens = 0;
  request.ignore_eos = true;
  EXPECT_EQ(required_output_tokens(request), 100u);
  request.max_tokens = 0;
  EXPECT_EQ(required_output_tokens(request), 0u);  // ignore_eos without a length: nothing to check
}

}  // namespace
}  // namespace llmbench::harness
