#include "harness/client/api_flavor.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness/client/execution_model.h"

namespace llmbench::harness {
namespace {

TEST(RequestUrl, JoinsBaseAndPathForEachFlavor) {
  Endpoint endpoint;
  endpoint.base_url = "http://127.0.0.1:9/";
  EXPECT_EQ(request_url(endpoint), "http://127.0.0.1:9/v1/chat/completions");
  endpoint.base_url = "https://api.example.com/v1";
  EXPECT_EQ(request_url(endpoint), "https://api.example.com/v1/chat/completions");
  endpoint.flavor = ApiFlavor::ollama_chat;
  endpoint.base_url = "http://localhost:11434";
  EXPECT_EQ(request_url(endpoint), "http://localhost:11434/api/chat");
}

TEST(BaseUrlWithoutEndpointPath, FindsAFullEndpointUrlGivenAsTheBase) {
  EXPECT_EQ(base_url_without_endpoint_path("http://host:8000/v1/chat/completions"), "http://host:8000/v1");
  EXPECT_EQ(base_url_without_endpoint_path("http://host/v1/chat/completions/"), "http://host/v1");
  EXPECT_EQ(base_url_without_endpoint_path("http://host/v1/completions"), "http://host/v1");
  EXPECT_EQ(base_url_without_endpoint_path("http://localhost:11434/api/chat"), "http://localhost:11434");
  EXPECT_EQ(base_url_without_endpoint_path("http://localhost:11434/api/generate"), "http://localhost:11434");
  EXPECT_EQ(base_url_without_endpoint_path("https://api.anthropic.com/v1/messages"),
            "https://api.anthropic.com/v1");
}

TEST(BaseUrlWithoutEndpointPath, LeavesOrdinaryBaseUrlsAlone) {
  EXPECT_FALSE(base_url_without_endpoint_path("http://host:8000"));
  EXPECT_FALSE(base_url_without_endpoint_path("http://host:8000/v1/"));
  EXPECT_FALSE(base_url_without_endpoint_path("https://api.example.com/openai/v1"));
  EXPECT_FALSE(base_url_without_endpoint_path("http://host/my-completions-proxy"));
}

ChatRequest sample_request() {
  ChatRequest request;
  request.messages = {{"system", "be terse"}, {"user", "say \"hi\""}};
  request.max_tokens = 16;
  request.seed = 42;
  return request;
}

TEST(BuildRequestBody, OpenAiStreamAsksForUsage) {
  Endpoint endpoint;
  endpoint.model = "m1";
  const auto body = boost::json::parse(build_request_body(endpoint, sample_request(), true)).as_object();
  EXPECT_EQ(body.at("model").as_string(), "m1");
  EXPECT_TRUE(body.at("stream").as_bool());
  EXPECT_TRUE(body.at("stream_options").at("include_usage").as_bool());
  EXPECT_EQ(body.at("max_tokens").to_number<int>(), 16);
  EXPECT_EQ(body.at("seed").to_number<int>(), 42);
  EXPECT_FALSE(body.contains("temperature"));
  ASSERT_EQ(body.at("messages").as_array().size(), 2u);
  EXPECT_EQ(body.at("messages").as_array()[1].at("content").as_string(), "say \"hi\"");
}

TEST(BuildRequestBody, OpenAiNonStreamHasNoStreamOptions) {
  Endpoint endpoint;
  const auto body = boost::json::parse(build_request_body(endpoint, sample_request(), false)).as_object();
  EXPECT_FALSE(body.at("stream").as_bool());
  EXPECT_FALSE(body.contains("stream_options"));
}

TEST(BuildRequestBody, OllamaPutsSamplingInOptions) {
  Endpoint endpoint;
  endpoint.flavor = ApiFlavor::ollama_chat;
  auto request = sample_request();
  request.temperature = 0.5;
  const auto body = boost::json::parse(build_request_body(endpoint, request, true)).as_object();
  EXPECT_TRUE(body.at("stream").as_bool());
  EXPECT_EQ(body.at("options").at("num_predict").to_number<int>(), 16);
  EXPECT_EQ(body.at("options").at("seed").to_number<int>(), 42);
  EXPECT_DOUBLE_EQ(body.at("options").at("temperature").as_double(), 0.5);
  EXPECT_FALSE(body.contains("max_tokens"));
}

TEST(BuildRequestBody, OpenAiSendsLengthAndSamplingFields) {
  Endpoint endpoint;
  auto request = sample_request();
  request.min_tokens = 16;
  request.ignore_eos = true;
  request.temperature = 0.0;
  request.top_p = 0.25;
  const auto body = boost::json::parse(build_request_body(endpoint, request, false)).as_object();
  EXPECT_EQ(body.at("min_tokens").to_number<int>(), 16);
  EXPECT_TRUE(body.at("ignore_eos").as_bool());
  EXPECT_DOUBLE_EQ(body.at("temperature").as_double(), 0.0);  // 0 is a value, not "unset"
  EXPECT_DOUBLE_EQ(body.at("top_p").as_double(), 0.25);
}

TEST(BuildRequestBody, ExtraBodyIsDeepMergedLastAndWins) {
  for (ApiFlavor flavor : {ApiFlavor::openai_chat, ApiFlavor::ollama_chat}) {
    Endpoint endpoint;
    endpoint.flavor = flavor;
    auto request = sample_request();
    request.extra_body = std::make_shared<boost::json::object>(
        boost::json::parse(R"({"stream":false,"options":{"num_ctx":4096},"stream_options":{"x":1},"tag":"t"})")
            .as_object());
    const auto body = boost::json::parse(build_request_body(endpoint, request, true)).as_object();
    EXPECT_FALSE(body.at("stream").as_bool()) << api_flavor_name(flavor);  // extra_body wins
    EXPECT_EQ(body.at("tag").as_string(), "t");
    EXPECT_EQ(body.at("options").at("num_ctx").to_number<int>(), 4096);
    if (flavor == ApiFlavor::ollama_chat) {
      EXPECT_EQ(body.at("options").at("num_predict").to_number<int>(), 16);  // merged, not replaced
    } else {
      EXPECT_TRUE(body.at("stream_options").at("include_usage").as_bool());  // merged, not replaced
      EXPECT_EQ(body.at("stream_options").at("x").to_number<int>(), 1);
    }
  }
}

TEST(BuildRequestBody, EveryFlavourTakesTheSamplingFieldsItHasAndExtraBody) {
  for (ApiFlavor flavor : {ApiFlavor::openai_completions, ApiFlavor::anthropic_messages, ApiFlavor::openai_responses}) {
    Endpoint endpoint;
    endpoint.flavor = flavor;
    auto request = sample_request();
    request.top_p = 0.5;
    request.min_tokens = 4;
    request.ignore_eos = true;
    request.extra_body = std::make_shared<boost::json::object>(boost::json::parse(R"({"tag":"t"})").as_object());
    const auto body = boost::json::parse(build_request_body(endpoint, request, true)).as_object();
    EXPECT_DOUBLE_EQ(body.at("top_p").as_double(), 0.5) << api_flavor_name(flavor);
    EXPECT_EQ(body.at("tag").as_string(), "t") << api_flavor_name(flavor);
    // vLLM's extensions go where vLLM reads them: the OpenAI-style APIs only.
    const bool openai = flavor == ApiFlavor::openai_completions;
    EXPECT_EQ(body.contains("min_tokens"), openai) << api_flavor_name(flavor);
    EXPECT_EQ(body.contains("ignore_eos"), openai) << api_flavor_name(flavor);
    if (openai) {
      EXPECT_TRUE(body.at("stream_options").at("include_usage").as_bool());
    }
  }
}

TEST(ExecutionModel, NamesRoundTrip) {
  for (auto model : {ExecutionModel::sync, ExecutionModel::threaded, ExecutionModel::coroutine}) {
    EXPECT_EQ(from_name<ExecutionModel>(execution_model_name(model)), model);
  }
  EXPECT_FALSE(from_name<ExecutionModel>("async"));
}

}  // namespace
}  // namespace llmbench::harness
