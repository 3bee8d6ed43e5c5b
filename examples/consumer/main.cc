// Embeds llmbench's mock LLM provider in a program (as a test would) and sends it one chat
// request with llmbench's blocking client; exits 0 when the reply is what the mock was told to
// send, 1 otherwise.
#include <chrono>
#include <cstdio>
#include <exception>

#include "harness/client/sync_client.h"
#include "mock_provider/mock_server.h"

int main() {
  using namespace std::chrono_literals;
  try {
    constexpr std::uint32_t tokens = 8;
    auto config = llmbench::mock::MockConfig::fixed_latency(5ms, 1ms, tokens);
    config.port = 0;  // any free port on 127.0.0.1
    llmbench::mock::MockServer server(config);
    server.start();

    llmbench::harness::Endpoint endpoint;
    endpoint.base_url = server.base_url();
    endpoint.timeouts.total = 10s;
    llmbench::harness::SyncClient client(endpoint);

    llmbench::harness::ChatRequest request;
    request.messages = {{"user", "Say hello"}};
    const auto reply = client.invoke(request);
    server.stop();

    if (!reply.ok() || reply.record.http_status != 200 || reply.record.output_tokens != tokens ||
        reply.text.empty()) {
      std::fprintf(stderr, "llmbench_consumer: unexpected reply: HTTP %d, %u tokens, %zu characters\n",
                   reply.record.http_status, reply.record.output_tokens, reply.text.size());
      return 1;
    }
    std::printf("llmbench_consumer: mock at %s answered %u tokens: %.40s...\n", endpoint.base_url.c_str(),
                reply.record.output_tokens, reply.text.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "llmbench_consumer: %s\n", e.what());
    return 1;
  }
}
