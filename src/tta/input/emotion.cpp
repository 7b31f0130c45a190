#include "tta/input/emotion.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace tta::input {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 78> kFeelingWords{{
    {"anxious", "anxious"},     {"anxiety", "anxious"},     {"nervous", "anxious"},
    {"worried", "anxious"},     {"worrying", "anxious"},    {"uneasy", "anxious"},
    {"tense", "anxious"},       {"jittery", "anxious"},     {"panicky", "anxious"},
    {"panicking", "anxious"},   {"panic", "anxious"},       {"stressed", "anxious"},
    {"restless", "anxious"},    {"edgy", "anxious"},        {"shaky", "anxious"},
    {"scared", "afraid"},       {"afraid", "afraid"},       {"frightened", "afraid"},
    {"terrified", "afraid"},    {"fearful", "afraid"},      {"spooked", "afraid"},
    {"sad", "sad"},             {"down", "sad"},            {"low", "sad"},
    {"depressed", "sad"},       {"blue", "sad"},            {"miserable", "sad"},
    {"unhappy", "sad"},         {"hopeless", "sad"},        {"empty", "sad"},
    {"numb", "sad"},            {"heartbroken", "sad"},     {"grieving", "sad"},
    {"crying", "sad"},          {"tearful", "sad"},         {"lonely", "lonely"},
    {"alone", "lonely"},        {"isolated", "lonely"},     {"abandoned", "lonely"},
    {"angry", "angry"},         {"mad", "angry"},           {"furious", "angry"},
    {"annoyed", "angry"},       {"irritated", "angry"},     {"frustrated", "angry"},
    {"resentful", "angry"},     {"cross", "angry"},         {"overwhelmed", "overwhelmed"},
    {"swamped", "overwhelmed"}, {"stuck", "overwhelmed"},   {"lost", "overwhelmed"},
    {"confused", "overwhelmed"}, {"ashamed", "ashamed"},    {"guilty", "ashamed"},
    {"embarrassed", "ashamed"}, {"worthless", "ashamed"},   {"useless", "ashamed"},
    {"tired", "tired"},         {"exhausted", "tired"},     {"drained", "tired"},
    {"weary", "tired"},         {"sleepy", "tired"},        {"calm", "calm"},
    {"relaxed", "calm"},        {"peaceful", "calm"},       {"settled", "calm"},
    {"better", "calm"},         {"okay", "calm"},           {"ok", "calm"},
    {"fine", "calm"},           {"hopeful", "hopeful"},     {"optimistic", "hopeful"},
    {"happy", "happy"},         {"glad", "happy"},          {"content", "happy"},
    {"grateful", "happy"},      {"joyful", "happy"},        {"good", "happy"},
}};

// Words that may stand between "feel"/"am" and the feeling word.
constexpr std::array<std::string_view, 14> kIntensifiers{
    "so", "really", "very", "a", "bit", "little", "kind", "of", "quite", "pretty", "too",
    "super", "extremely", "totally"};

bool IsIntensifier(std::string_view w) {
    return std::find(kIntensifiers.begin(), kIntensifiers.end(), w) != kIntensifiers.end();
}

bool IsNegation(std::string_view w) { return w == "not" || w == "never" || w == "no"; }

}  // namespace

std::string_view EmotionLabel(std::string_view word) {
    auto it = std::find_if(kFeelingWords.begin(), kFeelingWords.end(),
                           [&](const auto& p) { return p.first == word; });
    return it == kFeelingWords.end() ? std::string_view{} : it->second;
}

std::vector<EmotionCue> FindEmotionCues(std::span<const std::string> words) {
    std::vector<EmotionCue> cues;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string_view label = EmotionLabel(words[i]);
        if (label.empty()) continue;
        // Ambiguous words count only in a feeling frame: "go down", "a low wall", "i am lost"
        // vs "lost the key"; "good" and "fine" only after feel/am.
        const bool ambiguous = words[i] == "down" || words[i] == "low" || words[i] == "blue" ||
                               words[i] == "lost" || words[i] == "cross" || words[i] == "good" ||
                               words[i] == "fine" || words[i] == "ok" || words[i] == "okay" ||
                               words[i] == "better" || words[i] == "content" ||
                               words[i] == "empty" || words[i] == "mad" || words[i] == "alone" ||
                               words[i] == "stuck" || words[i] == "panic";
        std::size_t j = i;
        while (j > 0 && IsIntensifier(words[j - 1])) --j;
        const bool framed = j > 0 && (words[j - 1] == "feel" || words[j - 1] == "feeling" ||
                                      words[j - 1] == "am" || words[j - 1] == "felt" ||
                                      words[j - 1] == "was" || words[j - 1] == "not");
        if (ambiguous && !framed) continue;
        bool negated = false;
        for (std::size_t k = (i >= 4 ? i - 4 : 0); k < i; ++k) {
            if (IsNegation(words[k])) negated = true;
        }
        cues.push_back({std::string(label), words[i], negated});
    }
    return cues;
}

bool IsFeelingStatement(std::span<const std::string> words) {
    if (words.empty()) return false;
    std::size_t i = 0;
    if (words[0] == "i" && words.size() > 1) {
        i = 1;
        if (words[i] == "do" && i + 2 < words.size() && words[i + 1] == "not") i += 2;
        if (words[i] == "feel" || words[i] == "felt") return true;
        if (words[i] == "am" || words[i] == "was") {
            std::size_t k = i + 1;
            if (k < words.size() && words[k] == "not") ++k;
            if (k < words.size() && words[k] == "feeling") return true;
            while (k < words.size() && IsIntensifier(words[k])) ++k;
            return k < words.size() && !EmotionLabel(words[k]).empty();
        }
        return false;
    }
    return words[0] == "feeling";
}

}  // namespace tta::input
