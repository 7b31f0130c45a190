#include "tta/safety/pattern_set.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tta::safety::detail {

RE2::Options PatternOptions() {
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingUTF8);
    o.set_log_errors(false);
    o.set_case_sensitive(true);
    return o;
}

PatternSet::PatternSet(std::int64_t set_max_mem) : set_max_mem_(set_max_mem) {
    RE2::Options o = PatternOptions();
    o.set_max_mem(set_max_mem_);
    set_ = std::make_unique<RE2::Set>(o, RE2::UNANCHORED);
}

Result<int> PatternSet::Add(const std::string& pattern, std::string_view label) {
    auto re = std::make_unique<RE2>(pattern, PatternOptions());
    if (!re->ok()) {
        return Error::Invalid(fmt::format("{}: pattern does not compile: {}", label, re->error()));
    }
    if (re->Match("", 0, 0, RE2::UNANCHORED, nullptr, 0)) {
        return Error::Invalid(fmt::format("{}: pattern matches the empty text", label));
    }
    std::string error;
    const int index = set_->Add(pattern, &error);
    if (index < 0) return Error::Invalid(fmt::format("{}: {}", label, error));
    regexes_.push_back(std::move(re));
    return index;
}

Status PatternSet::Compile() {
    if (!set_->Compile()) {
        // Too big for the set: keep working pattern by pattern.
        set_.reset();
    }
    return Ok();
}

std::vector<PatternHit> PatternSet::FindAll(std::string_view text) const {
    std::vector<PatternHit> hits;
    if (set_) {
        std::vector<int> matched;
        RE2::Set::ErrorInfo info{};
        if (set_->Match(text, &matched, &info)) {
            std::sort(matched.begin(), matched.end());
            for (int i : matched) FindOne(i, text, hits);
            return hits;
        }
        if (info.kind == RE2::Set::kNoError) return hits;  // nothing matched
    }
    for (int i = 0; i < static_cast<int>(regexes_.size()); ++i) FindOne(i, text, hits);
    return hits;
}

void PatternSet::FindOne(int index, std::string_view text, std::vector<PatternHit>& out) const {
    const RE2& re = *regexes_[index];
    std::size_t pos = 0;
    re2::StringPiece m;
    for (int n = 0; n < kMaxHitsPerPattern && pos <= text.size(); ++n) {
        if (!re.Match(text, pos, text.size(), RE2::UNANCHORED, &m, 1)) break;
        const auto b = static_cast<std::size_t>(m.data() - text.data());
        const std::size_t e = b + m.size();
        if (e == b) {  // an empty match: step over it
            pos = b + 1;
            continue;
        }
        out.push_back({index, b, e});
        pos = e;
    }
}

}  // namespace tta::safety::detail
