// tta::core seeded random numbers. Every random choice in a turn (text variants, rule
// outcomes) comes from an Rng seeded from the turn's stored seed, so replays are exact.
// xoshiro256** seeded by SplitMix64 (Blackman & Vigna, 2018); unlike std::*_distribution its
// outputs are the same on every platform and standard library.
#pragma once

#include <array>
#include <cstdint>

namespace tta {

class Rng {
public:
    explicit Rng(std::uint64_t seed);

    std::uint64_t Next();
    // Uniform in [0, n); n == 0 yields 0. Lemire's multiply-shift with rejection, unbiased.
    std::uint64_t Below(std::uint64_t n);
    // Uniform in [0, 1).
    double Unit();

    // Derives an independent seed, e.g. the seed for turn N from the session seed.
    static std::uint64_t Mix(std::uint64_t a, std::uint64_t b);

private:
    std::array<std::uint64_t, 4> s_{};
};

// A fresh seed from the operating system's entropy source.
std::uint64_t RandomSeed();

}  // namespace tta
