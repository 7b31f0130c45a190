// Internal to tta::safety: many RE2 patterns compiled once and run together. An RE2::Set
// finds which patterns occur in one linear pass (most inputs match none), then only those
// are run again to find where. If the set's DFA ever runs out of memory, every pattern is run
// on its own: slower, never wrong.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tta/core/error.hpp"

namespace tta::safety::detail {

// The options every safety pattern is compiled with: UTF-8, case-sensitive (the text is
// already lower-cased), never logging to stderr.
RE2::Options PatternOptions();

struct PatternHit {
    int pattern = 0;  // index in the order patterns were added
    std::size_t begin = 0;
    std::size_t end = 0;
};

class PatternSet {
public:
    // At most this many hits are reported for one pattern in one text, so hostile input
    // cannot make the result grow without bound.
    static constexpr int kMaxHitsPerPattern = 16;

    explicit PatternSet(std::int64_t set_max_mem = 64 << 20);
    PatternSet(PatternSet&&) = default;
    PatternSet& operator=(PatternSet&&) = default;

    // Adds a pattern; returns its index. `label` names it in error messages.
    Result<int> Add(const std::string& pattern, std::string_view label);
    Status Compile();

    // Every non-empty, non-overlapping occurrence of every pattern, in pattern order.
    std::vector<PatternHit> FindAll(std::string_view text) const;
    // Whether the last FindAll calls had to fall back (for tests and metrics).
    bool set_usable() const { return set_ != nullptr; }
    std::size_t size() const { return regexes_.size(); }

private:
    void FindOne(int index, std::string_view text, std::vector<PatternHit>& out) const;

    std::int64_t set_max_mem_;
    std::unique_ptr<RE2::Set> set_;
    std::vector<std::unique_ptr<RE2>> regexes_;
};

}  // namespace tta::safety::detail
