#include "tta/core/rng.hpp"

#include <gtest/gtest.h>

#include <set>

namespace tta {
namespace {

TEST(Rng, SameSeedGivesSameSequence) {
    Rng a(42), b(42);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(Rng, SequenceIsStableAcrossBuilds) {
    // Stored seeds must replay the same story forever: pin the first outputs.
    Rng r(1);
    const std::uint64_t first = r.Next();
    Rng again(1);
    EXPECT_EQ(again.Next(), first);
    EXPECT_EQ(first, 0xb3f2af6d0fc710c5ULL);
}

TEST(Rng, BelowStaysInRangeAndCoversIt) {
    Rng r(7);
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto v = r.Below(5);
        ASSERT_LT(v, 5u);
        seen.insert(v);
    }
    EXPECT_EQ(seen.size(), 5u);
    EXPECT_EQ(r.Below(0), 0u);
}

TEST(Rng, UnitIsInHalfOpenInterval) {
    Rng r(9);
    for (int i = 0; i < 1000; ++i) {
        const double u = r.Unit();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
    }
}

TEST(Rng, MixSeparatesNeighbouringSeeds) {
    EXPECT_NE(Rng::Mix(1, 1), Rng::Mix(1, 2));
    EXPECT_NE(Rng::Mix(1, 2), Rng::Mix(2, 1));
}

}  // namespace
}  // namespace tta
