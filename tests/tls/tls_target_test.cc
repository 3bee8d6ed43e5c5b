// https targets: requests go through libcurl with certificate and host-name verification on
// by default, in every execution model. A TLS proxy (tls_proxy.h) puts the test CA's
// certificate for 127.0.0.1 in front of the embedded mock.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "harness/client/client.h"
#include "mock_provider/mock_server.h"
#include "tests/support/every_execution_model.h"
#include "tests/tls/tls_proxy.h"

namespace llmbench::harness {
namespace {

using namespace std::chrono_literals;

const std::string kTlsDir = std::string(LLMBENCH_TEST_DATA_DIR) + "/tls";

class TlsTarget : public ::testing::TestWithParam<ExecutionModel> {
 protected:
  static void SetUpTestSuite() {
    auto config = mock::MockConfig::fixed_latency(10ms, 1ms, 6);
    config.port = 0;
    mock_ = std::make_unique<mock::MockServer>(config);
    mock_->start();
    proxy_ =
        std::make_unique<tlstest::TlsProxy>(mock_->port(), kTlsDir + "/server.pem", kTlsDir + "/server.key");
  }
  static void TearDownTestSuite() {
    proxy_.reset();
    mock_.reset();
  }

  static Endpoint endpoint(const std::string& host = "127.0.0.1") {
    Endpoint e;
    e.base_url = "https://" + host + ":" + std::to_string(proxy_->port());
    e.timeouts.connect = 5s;
    e.timeouts.first_token = 10s;
    e.timeouts.total = 20s;
    return e;
  }

  static ChatRequest request() {
    ChatRequest r;
    r.messages = {{"user", "Is this channel private?"}};
    return r;
  }

  static std::unique_ptr<mock::MockServer> mock_;
  static std::unique_ptr<tlstest::TlsProxy> proxy_;
};

std::unique_ptr<mock::MockServer> TlsTarget::mock_;
std::unique_ptr<tlstest::TlsProxy> TlsTarget::proxy_;

TEST_P(TlsTarget, TrustedCertificateStreamsEveryToken) {
  Endpoint e = endpoint();
  e.ca_file = kTlsDir + "/ca.pem";
  auto client = make_client(GetParam(), e, 2);
  StreamObserver observer;  // the defaults do nothing
  const InvokeResult result = client->stream(request(), observer);
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(result.record.http_status, 200);
  EXPECT_EQ(result.record.output_tokens, 6u);
  EXPECT_FALSE(result.text.empty());
}

TEST_P(TlsTarget, TrustedCertificateInvokes) {
  Endpoint e = endpoint();
  e.ca_file = kTlsDir + "/ca.pem";
  auto client = make_client(GetParam(), e, 2);
  const InvokeResult result = client->invoke(request());
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(result.record.output_tokens, 6u);
}

// Verification is on by default: the system store does not know the test CA.
TEST_P(TlsTarget, UnknownIssuerIsAConnectErrorByDefault) {
  const Endpoint e = endpoint();
  ASSERT_TRUE(e.verify_tls);
  ASSERT_TRUE(e.ca_file.empty());
  auto client = make_client(GetParam(), e, 2);
  const InvokeResult result = client->invoke(request());
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.record.error, ErrorKind::connect);
  EXPECT_EQ(result.record.http_status, 0);
  EXPECT_NE(result.record.error_message.find("certificate"), std::string::npos)
      << result.record.error_message;
}

// A trusted certificate for another name is still rejected: the host name is verified too.
TEST_P(TlsTarget, HostNameMismatchIsRejectedEvenWithTheRightCa) {
  Endpoint e = endpoint("localhost");
  e.ca_file = kTlsDir + "/ca.pem";
  auto client = make_client(GetParam(), e, 2);
  const InvokeResult result = client->invoke(request());
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.record.error, ErrorKind::connect);
  EXPECT_EQ(result.record.http_status, 0);
}

TEST_P(TlsTarget, VerificationOffAcceptsAnyCertificate) {
  Endpoint e = endpoint();
  e.verify_tls = false;
  auto client = make_client(GetParam(), e, 2);
  const InvokeResult result = client->invoke(request());
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(result.record.output_tokens, 6u);
}

TEST_P(TlsTarget, MissingCaFileIsAConnectErrorNotASilentFallback) {
  Endpoint e = endpoint();
  e.ca_file = kTlsDir + "/does-not-exist.pem";
  auto client = make_client(GetParam(), e, 2);
  const InvokeResult result = client->invoke(request());
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.record.error, ErrorKind::connect);
}

INSTANTIATE_TEST_SUITE_P(Models, TlsTarget, test_support::kEveryExecutionModel,
                         test_support::ExecutionModelName());

}  // namespace
}  // namespace llmbench::harness
