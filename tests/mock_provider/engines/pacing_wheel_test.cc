// The asio engine's timing wheel: never early, at most one grain late, each item once, and
// correct beyond its horizon and after a stall. Checked against a plain sorted list.
#include "mock_provider/engines/pacing_wheel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

namespace llmbench::mock {
namespace {

constexpr std::int64_t kGrain = 250'000;

struct Item {
  int id = 0;
  std::int64_t due_ns = 0;
  std::int64_t slot = -1;
};

TEST(PacingWheelTest, AnItemIsTakenAtItsRoundedUpSlotNeverBefore) {
  PacingWheel<Item> wheel(kGrain, 16);
  Item a{1, 1'000'001};  // rounds up to 1,250,000
  a.slot = wheel.add(&a, a.due_ns);
  EXPECT_EQ(wheel.next_due_ns(), 1'250'000);
  std::vector<Item*> out;
  wheel.take_due(1'249'999, out);
  EXPECT_TRUE(out.empty());
  wheel.take_due(1'250'000, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], &a);
  EXPECT_EQ(wheel.size(), 0u);
  EXPECT_EQ(wheel.next_due_ns(), (PacingWheel<Item>::kNone));
}

TEST(PacingWheelTest, AnItemAlreadyDueGoesIntoTheNextSlotTaken) {
  PacingWheel<Item> wheel(kGrain, 16);
  std::vector<Item*> out;
  wheel.take_due(10 * kGrain, out);  // the cursor is past slot 10
  Item late{1, 3 * kGrain};
  late.slot = wheel.add(&late, late.due_ns);
  EXPECT_EQ(late.slot, 11);
  wheel.take_due(11 * kGrain, out);
  EXPECT_EQ(out.size(), 1u);
}

TEST(PacingWheelTest, RemovedItemsAreNotTaken) {
  PacingWheel<Item> wheel(kGrain, 16);
  Item a{1, kGrain}, b{2, kGrain};
  a.slot = wheel.add(&a, a.due_ns);
  b.slot = wheel.add(&b, b.due_ns);
  EXPECT_TRUE(wheel.remove(&a, a.slot));
  EXPECT_FALSE(wheel.remove(&a, a.slot));
  std::vector<Item*> out;
  wheel.take_due(kGrain, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], &b);
}

// Random adds, removes and wake-ups (some far beyond the 16-slot horizon, some after a long
// stall) against a reference: every item is taken exactly once, at the first wake-up at or
// after its rounded-up due time, and next_due_ns() is the reference's earliest slot.
TEST(PacingWheelTest, MatchesASortedReferenceUnderRandomUse) {
  std::mt19937_64 rng(7);
  PacingWheel<Item> wheel(kGrain, 16);
  std::vector<Item> items(3000);
  std::multimap<std::int64_t, int> reference;  // slot -> id
  std::int64_t now = 0;
  int next = 0;
  std::vector<Item*> out;
  while (next < static_cast<int>(items.size()) || !reference.empty()) {
    for (int k = 0; k < 3 && next < static_cast<int>(items.size()); ++k) {
      Item& it = items[next];
      it.id = next++;
      const std::int64_t ahead = rng() % 5 == 0 ? static_cast<std::int64_t>(rng() % (80 * kGrain))
                                                : static_cast<std::int64_t>(rng() % (6 * kGrain));
      it.due_ns = now + ahead;
      it.slot = wheel.add(&it, it.due_ns);
      EXPECT_GE(it.slot * kGrain, it.due_ns);
      EXPECT_LE(it.slot * kGrain - it.due_ns, kGrain);  // a grain more when already due
      reference.emplace(it.slot, it.id);
    }
    if (rng() % 7 == 0 && !reference.empty()) {  // remove one
      auto pick = reference.begin();
      std::advance(pick, static_cast<long>(rng() % reference.size()));
      Item& it = items[pick->second];
      EXPECT_TRUE(wheel.remove(&it, it.slot));
      reference.erase(pick);
    }
    EXPECT_EQ(wheel.size(), reference.size());
    EXPECT_EQ(wheel.next_due_ns(), reference.empty() ? PacingWheel<Item>::kNone : reference.begin()->first * kGrain);
    now += rng() % 50 == 0 ? 40 * kGrain : static_cast<std::int64_t>(rng() % (2 * kGrain));  // some stalls
    out.clear();
    wheel.take_due(now, out);
    std::vector<int> expected;
    while (!reference.empty() && reference.begin()->first * kGrain <= now) {
      expected.push_back(reference.begin()->second);
      reference.erase(reference.begin());
    }
    std::vector<int> got;
    for (const Item* it : out) got.push_back(it->id);
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(got, expected) << "at " << now;
  }
  EXPECT_EQ(wheel.size(), 0u);
}

}  // namespace
}  // namespace llmbench::mock
