#include "harness/metrics/exact_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstring>
#include <random>

namespace llmbench::metrics {
namespace {

TEST(ExactJsonTest, EveryDoubleRoundTripsThroughSerialize) {
  std::mt19937_64 rng(1);
  boost::json::array values;
  for (int i = 0; i < 20'000; ++i) {
    double d;
    const std::uint64_t bits = rng();
    std::memcpy(&d, &bits, sizeof d);
    if (!std::isfinite(d)) continue;
    values.push_back(d);
  }
  const std::string text = boost::json::serialize(values);
  boost::json::error_code ec;
  const boost::json::value back = parse_json_exact(text, ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_EQ(back.as_array().size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(back.as_array()[i].as_double(), values[i].as_double()) << boost::json::serialize(values[i]);
  }
}

TEST(ExactJsonTest, BuildsTheSameValueAsBoostForOrdinaryDocuments) {
  const std::string text =
      R"({"a":[1,-2,18446744073709551615,true,null,"x\u00e9y"],"b":{"c":{}},"d":[],"e":"long string that spans"})";
  boost::json::error_code ec;
  EXPECT_EQ(parse_json_exact(text, ec), boost::json::parse(text));
  EXPECT_FALSE(ec);
}

TEST(ExactJsonTest, ReportsErrorsForBadAndTrailingInput) {
  boost::json::error_code ec;
  parse_json_exact(R"({"a": [1, 2)", ec);
  EXPECT_TRUE(ec);
  ec = {};
  parse_json_exact(R"({"a": 1} x)", ec);
  EXPECT_TRUE(ec);
  ec = {};
  parse_json_exact("", ec);
  EXPECT_TRUE(ec);
  ec = {};
  parse_json_exact(std::string(100, '['), ec);  // deeper than the limit
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace llmbench::metrics
