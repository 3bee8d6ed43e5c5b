// Multi-turn sessions (harness/load/session.h): the history bookkeeping and the draws as units,
// then whole sessions through run_step: against the embedded mock, whose prefill model makes
// TTFT grow with the prompt tokens the history adds, and against a recording server that shows
// what each turn's body carried (the replies the server actually returned).
#include "harness/load/session.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/interrupt.h"
#include "harness/load/driver.h"
#include "harness/load/schedule.h"
#include "mock_provider/mock_server.h"
#include "tests/support/sanitizers.h"

namespace llmbench::load {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::ip::tcp;
using namespace std::chrono_literals;
constexpr double kMs = 1e6;

harness::ChatRequest user_turn(const std::string& text, std::uint32_t tokens, const std::string& system = "") {
  harness::ChatRequest r;
  if (!system.empty()) r.messages.push_back({"system", system});
  r.messages.push_back({"user", text});
  r.prompt_tokens_estimate = tokens + (system.empty() ? 0 : 2);
  return r;
}

// ---- SessionHistory ------------------------------------------------------------------------

TEST(SessionHistory, EachTurnSendsEarlierPromptsAndRepliesThenItsOwnMessage) {
  SessionHistory history;
  const harness::ChatRequest& first = history.next_request(user_turn("first question", 2, "be brief"));
  ASSERT_EQ(first.messages.size(), 2u);
  EXPECT_EQ(first.prompt_tokens_estimate, 4u);
  history.add_reply("first answer here", 3);
  harness::ChatRequest second_turn = user_turn("second question", 2, "be brief");
  second_turn.max_tokens = 17;
  const harness::ChatRequest& second = history.next_request(std::move(second_turn));
  // The system message stays once at the top; the reply as the server returned it.
  ASSERT_EQ(second.messages.size(), 4u);
  EXPECT_EQ(second.messages[0].role, "system");
  EXPECT_EQ(second.messages[1].content, "first question");
  EXPECT_EQ(second.messages[2].role, "assistant");
  EXPECT_EQ(second.messages[2].content, "first answer here");
  EXPECT_EQ(second.messages[3].role, "user");
  EXPECT_EQ(second.messages[3].content, "second question");
  EXPECT_EQ(second.max_tokens, 17u);  // the turn's own fields
  // History (4 + 3) plus the new message (2; its system message is not sent again).
  EXPECT_EQ(second.prompt_tokens_estimate, 9u);
  history.add_reply("second answer", 2);
  EXPECT_EQ(history.turns(), 2u);
  EXPECT_EQ(history.messages().size(), 5u);
  const harness::ChatRequest& third = history.next_request(user_turn("third", 1));
  EXPECT_EQ(third.messages.size(), 6u);
  EXPECT_EQ(third.prompt_tokens_estimate, 12u);
}

// ---- draws and checks ------------------------------------------------------------------------

TEST(SessionShape, OneFixedTurnIsThePlainLoad) {
  EXPECT_FALSE(SessionShape{}.multi_turn());
  EXPECT_TRUE(SessionShape{.turns = Distribution::fixed(2)}.multi_turn());
  EXPECT_TRUE(SessionShape{.turns = parse_count_distribution("uniform(1,3)")}.multi_turn());
}

TEST(SessionShape, TurnsAreDrawnPerSessionFromTheSeedAlone) {
  const SessionShape shape{.turns = parse_count_distribution("uniform(2,6)")};
  std::set<std::uint32_t> seen;
  for (std::uint64_t s = 0; s < 500; ++s) {
    const std::uint32_t n = session_turns(shape, 7, s);
    EXPECT_GE(n, 2u);
    EXPECT_LE(n, 6u);
    EXPECT_EQ(n, session_turns(shape, 7, s));  // a function of (seed, session)
    seen.insert(n);
  }
  EXPECT_EQ(seen.size(), 5u);  // every whole number of the range
  EXPECT_EQ(session_turns(SessionShape{.turns = Distribution::fixed(4)}, 1, 99), 4u);
}

TEST(SessionShape, ThinkTimesAreDrawnPerTurnAndNeverNegative) {
  const SessionShape shape{.turns = Distribution::fixed(3), .think_time = parse_duration_distribution("normal(100ms,50ms)")};
  std::set<std::int64_t> seen;
  for (std::uint32_t turn = 0; turn < 50; ++turn) {
    const std::int64_t t = think_time_ns(shape, 1, 5, turn);
    EXPECT_GE(t, 0);
    EXPECT_EQ(t, think_time_ns(shape, 1, 5, turn));
    seen.insert(t);
  }
  EXPECT_GT(seen.size(), 40u);
  EXPECT_EQ(think_time_ns(SessionShape{.think_time = Distribution::fixed(2e9)}, 1, 0, 0), 2'000'000'000);
}

TEST(SessionShape, ImpossibleShapesNameTheirKey) {
  EXPECT_FALSE(session_shape_problem(SessionShape{}));
  const auto zero = session_shape_problem(SessionShape{.turns = Distribution::fixed(0)});
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->key, "turns");
  const auto many = session_shape_problem(SessionShape{.turns = parse_count_distribution("uniform(2,5000)")});
  ASSERT_TRUE(many);
  EXPECT_EQ(many->key, "turns");
  const auto think = session_shape_problem(SessionShape{.turns = Distribution::fixed(2), .think_time = Distribution::fixed(-1)});
  ASSERT_TRUE(think);
  EXPECT_EQ(think->key, "turn_think_time");
}

// ---- whole sessions against the embedded mock -----------------------------------------------

class SessionRun : public ::testing::Test {
 protected:
  void SetUp() override { reset_interrupt_for_testing(); }

  DriverConfig config_for(const std::string& url, Operation op, const SessionShape& shape) const {
    DriverConfig config;
    config.mode = harness::ExecutionModel::coroutine;
    config.operation = op;
    config.endpoint.base_url = url;
    config.endpoint.timeouts.total = 20s;
    config.event_loops = 2;
    config.prompts = prompts_.get();
    config.session = shape;
    return config;
  }

  static PromptSourcePtr forty_word_prompts() {
    SyntheticPromptOptions options;
    options.prompt_tokens.shape = Distribution::fixed(40);
    return make_synthetic_prompts(options);
  }
  PromptSourcePtr prompts_ = forty_word_prompts();
};

// Every turn carries the history: the prompt tokens the mock counts grow with the turn, and with
// 200 µs of prefill per prompt token so does the TTFT the mock schedules.
TEST_F(SessionRun, TheMockSeesTheGrowingHistoryInPromptTokensAndTtft) {
  mock::MockConfig mock = mock::MockConfig::fixed_latency(5ms, 1ms, 16);
  mock.prefill_per_prompt_token = 200us;
  mock.port = 0;
  mock::MockServer server(mock);
  server.start();
  const DriverConfig config = config_for(server.base_url(), Operation::stream, {.turns = Distribution::fixed(4)});
  LoadPlan plan;
  plan.concurrency = 2;
  plan.requests = 4;  // sessions
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);

  EXPECT_EQ(outcome.recorder.counts().ok, 16u);  // 4 sessions of 4 turns
  ASSERT_TRUE(outcome.sessions);
  const metrics::SessionMetrics& s = *outcome.sessions;
  EXPECT_EQ(s.started, 4u);
  EXPECT_EQ(s.completed, 4u);
  EXPECT_EQ(s.turns, 16u);
  EXPECT_EQ(s.duration.count(), 4u);
  ASSERT_EQ(s.per_turn.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    const metrics::TurnMetrics& turn = s.per_turn[k];
    EXPECT_EQ(turn.requests, 4u);
    ASSERT_EQ(turn.ttft.count(), 4u);
    // The mock's floor: its TTFT plus the prefill of the smallest prompt of this turn.
    EXPECT_GE(turn.ttft.min(), 5 * kMs + 0.2 * kMs * (turn.mean_prompt_tokens() * 0.9)) << "turn " << k + 1;
    if (k == 0) continue;
    const metrics::TurnMetrics& before = s.per_turn[k - 1];
    // Each turn adds the previous reply (16 words) and a new 40-word message.
    EXPECT_GT(turn.mean_prompt_tokens(), before.mean_prompt_tokens() + 20) << "turn " << k + 1;
    const double added_prefill_ms = 0.2 * (turn.mean_prompt_tokens() - before.mean_prompt_tokens());
    EXPECT_GT(turn.ttft.percentile(50), before.ttft.percentile(50) + 0.5 * added_prefill_ms * kMs) << "turn " << k + 1;
  }
}

// ---- a recording server: what each turn's body carried ----------------------------------------

// Answers every request (chat or completions, not streamed) with "reply-N ..." (N counting from
// 1) and records the bodies; answers request `fail_at` (1-based) with a 500.
class RecordingServer {
 public:
  explicit RecordingServer(int fail_at = 0)
      : fail_at_(fail_at), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~RecordingServer() {
    io_.stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/v1"; }
  std::vector<json::object> bodies() const {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(io_, answer(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> answer(tcp::socket socket) {
    try {
      std::string request;
      const std::size_t header_end =
          co_await asio::async_read_until(socket, asio::dynamic_buffer(request), "\r\n\r\n", asio::use_awaitable);
      std::string lower = request.substr(0, header_end);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto pos = lower.find("content-length: ");
      const std::size_t length = pos == std::string::npos ? 0 : std::stoul(lower.substr(pos + 16));
      if (request.size() < header_end + length) {
        co_await asio::async_read(socket, asio::dynamic_buffer(request),
                                  asio::transfer_exactly(header_end + length - request.size()), asio::use_awaitable);
      }
      int n = 0;
      {
        std::lock_guard lock(mutex_);
        bodies_.push_back(json::parse(request.substr(header_end, length)).as_object());
        n = static_cast<int>(bodies_.size());
      }
      const bool completions = request.find("POST /v1/completions") == 0;
      const std::string text = "reply-" + std::to_string(n) + " from the server";
      const std::string body =
          completions ? R"({"choices":[{"index":0,"text":")" + text + R"(","finish_reason":"stop"}]})"
                      : R"({"choices":[{"index":0,"message":{"role":"assistant","content":")" + text +
                            R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":4}})";
      const std::string status = n == fail_at_ ? "500 Internal Server Error" : "200 OK";
      const std::string reply = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
      co_await asio::async_write(socket, asio::buffer(reply), asio::use_awaitable);
      boost::system::error_code ec;
      socket.shutdown(tcp::socket::shutdown_both, ec);
    } catch (const std::exception&) {
      // the client went away; nothing to answer
    }
  }

  int fail_at_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<json::object> bodies_;
};

std::string content(const json::value& message) { return std::string(message.at("content").as_string()); }

TEST_F(SessionRun, ChatTurnsCarryTheRepliesTheServerReturned) {
  RecordingServer server;
  const DriverConfig config = config_for(server.base_url(), Operation::invoke, {.turns = Distribution::fixed(3)});
  LoadPlan plan;
  plan.requests = 1;
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);
  ASSERT_EQ(outcome.recorder.counts().ok, 3u);

  const std::vector<json::object> bodies = server.bodies();
  ASSERT_EQ(bodies.size(), 3u);
  const json::array& first = bodies[0].at("messages").as_array();
  const json::array& third = bodies[2].at("messages").as_array();
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(bodies[1].at("messages").as_array().size(), 3u);
  ASSERT_EQ(third.size(), 5u);
  EXPECT_EQ(content(third[0]), content(first[0]));  // turn 1's prompt, unchanged
  EXPECT_EQ(third[1].at("role").as_string(), "assistant");
  EXPECT_EQ(content(third[1]), "reply-1 from the server");
  EXPECT_EQ(content(third[3]), "reply-2 from the server");
  EXPECT_EQ(content(third[2]), content(bodies[1].at("messages").as_array()[2]));  // turn 2's own message
  EXPECT_NE(content(third[4]), content(third[2]));                                // a new one each turn
}

TEST_F(SessionRun, CompletionsTurnsConcatenateTheHistory) {
  RecordingServer server;
  DriverConfig config = config_for(server.base_url(), Operation::invoke, {.turns = Distribution::fixed(2)});
  config.endpoint.flavor = harness::ApiFlavor::openai_completions;
  LoadPlan plan;
  plan.requests = 1;
  Schedule schedule(plan, steady_time_source());
  run_step(config, schedule, nullptr);
  const std::vector<json::object> bodies = server.bodies();
  ASSERT_EQ(bodies.size(), 2u);
  const std::string first(bodies[0].at("prompt").as_string());
  const std::string second(bodies[1].at("prompt").as_string());
  EXPECT_EQ(second.rfind(first + "\n\nreply-1 from the server\n\n", 0), 0u) << second;
  EXPECT_GT(second.size(), first.size() + 30);
}

TEST_F(SessionRun, AFailedTurnEndsItsSession) {
  RecordingServer server(/*fail_at=*/2);
  const DriverConfig config = config_for(server.base_url(), Operation::invoke, {.turns = Distribution::fixed(4)});
  LoadPlan plan;
  plan.requests = 1;
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);
  EXPECT_EQ(server.bodies().size(), 2u);  // turns 3 and 4 were never sent
  EXPECT_EQ(outcome.recorder.counts().ok, 1u);
  EXPECT_EQ(outcome.recorder.counts().failed, 1u);
  ASSERT_TRUE(outcome.sessions);
  EXPECT_EQ(outcome.sessions->started, 1u);
  EXPECT_EQ(outcome.sessions->failed, 1u);
  EXPECT_EQ(outcome.sessions->completed, 0u);
  EXPECT_EQ(outcome.sessions->turns, 2u);
  EXPECT_EQ(outcome.sessions->duration.count(), 0u);  // only completed sessions have a duration
  EXPECT_EQ(schedule.errors(), 1u);
}

// A turn due after the measured window is not sent: its session is cut, and the step ends
// without waiting out the think time.
TEST_F(SessionRun, TurnsDueAfterTheDurationAreCut) {
  RecordingServer server;
  const DriverConfig config = config_for(server.base_url(), Operation::invoke,
                                         {.turns = Distribution::fixed(3), .think_time = Distribution::fixed(30e9)});
  LoadPlan plan;
  plan.concurrency = 2;
  plan.duration = 300ms;
  Schedule schedule(plan, steady_time_source());
  const auto started = std::chrono::steady_clock::now();
  const StepOutcome outcome = run_step(config, schedule, nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  ASSERT_TRUE(outcome.sessions);
  EXPECT_EQ(outcome.sessions->started, 2u);  // one per user: each then thinks past the end
  EXPECT_EQ(outcome.sessions->cut, 2u);
  EXPECT_EQ(outcome.sessions->turns, 2u);
  EXPECT_EQ(server.bodies().size(), 2u);
}

// Open loop: the rate is one of new sessions; later turns follow their replies, intended at the
// reply's end plus the think time.
TEST_F(SessionRun, OpenLoopArrivalsAreSessions) {
  RecordingServer server;
  const DriverConfig config = config_for(server.base_url(), Operation::invoke,
                                         {.turns = Distribution::fixed(3), .think_time = Distribution::fixed(20e6)});
  LoadPlan plan;
  plan.model = LoadModel::open_loop;
  plan.concurrency = 0;
  plan.rate = 50;
  plan.requests = 4;
  Schedule schedule(plan, steady_time_source());
  const StepOutcome outcome = run_step(config, schedule, nullptr);
  EXPECT_EQ(outcome.sends, 4u);  // the arrivals: first turns
  EXPECT_EQ(outcome.recorder.counts().ok, 12u);
  ASSERT_TRUE(outcome.sessions);
  EXPECT_EQ(outcome.sessions->completed, 4u);
  // Think time is inside the session: at least two 20 ms pauses each.
  EXPECT_GE(outcome.sessions->duration.min(), 40 * kMs);
  EXPECT_EQ(server.bodies().size(), 12u);
}

// Sharded, every session is run whole by one shard and together the shards run each once.
TEST_F(SessionRun, ShardsRunWholeSessions) {
  RecordingServer server;
  const DriverConfig config = config_for(server.base_url(), Operation::invoke, {.turns = Distribution::fixed(2)});
  std::uint64_t started = 0;
  for (std::uint32_t index = 0; index < 2; ++index) {
    LoadPlan plan;
    plan.concurrency = 3;
    plan.requests = 5;
    plan.shard = Shard{index, 2};
    Schedule schedule(plan, steady_time_source());
    const StepOutcome outcome = run_step(config, schedule, nullptr);
    ASSERT_TRUE(outcome.sessions);
    EXPECT_EQ(outcome.sessions->completed, outcome.sessions->started);
    EXPECT_EQ(outcome.sessions->turns, 2 * outcome.sessions->started);
    started += outcome.sessions->started;
  }
  EXPECT_EQ(started, 5u);
  EXPECT_EQ(server.bodies().size(), 10u);
}

}  // namespace
}  // namespace llmbench::load
