#include "tta/therapy/content.hpp"

#include <algorithm>

namespace tta::therapy {
namespace {

bool IsWordByte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;  // any byte of a multi-byte UTF-8 character belongs to a word
}

// Lowercase words without articles, each without a plural 's'.
std::vector<std::string> Words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
        std::string word;
        while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) {
            char c = text[i++];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            word += c;
        }
        if (word.empty() || word == "a" || word == "an" || word == "the") continue;
        if (word.size() > 3 && word.back() == 's' && word[word.size() - 2] != 's') word.pop_back();
        words.push_back(std::move(word));
    }
    return words;
}

}  // namespace

bool TouchesTopic(std::string_view text, std::string_view topic) {
    const std::vector<std::string> wanted = Words(topic);
    if (wanted.empty()) return false;
    const std::vector<std::string> words = Words(text);
    return std::search(words.begin(), words.end(), wanted.begin(), wanted.end()) != words.end();
}

const std::string* TouchedTopic(std::string_view text, std::span<const std::string> topics) {
    for (const std::string& topic : topics) {
        if (TouchesTopic(text, topic)) return &topic;
    }
    return nullptr;
}

std::vector<ContentConflict> ConflictingNotes(std::span<const std::string> notes,
                                              std::span<const std::string> topics_to_avoid) {
    std::vector<ContentConflict> out;
    for (const std::string& note : notes) {
        if (const std::string* topic = TouchedTopic(note, topics_to_avoid)) {
            out.push_back({note, *topic});
        }
    }
    return out;
}

}  // namespace tta::therapy
