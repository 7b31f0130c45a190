// tta::therapy content: matching the topics a player asked to avoid (profile topics_to_avoid)
// against what a story touches — a world's content notes ("the sea, tides and cold water"), a
// beat's content tags ("the sea") and a technique's ("breath_focus"). Players and authors word
// these differently, so a topic matches when its words appear, in order, among the text's
// words: case, punctuation, '_', the articles a/an/the and a plural 's' do not matter
// ("storms" touches "a storm at night", "Sea" touches "the sea, tides and cold water").
// It errs towards matching: one warning too many is better than a topic met unwarned.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tta::therapy {

// Whether `text` (a content note or tag) touches `topic`. An empty topic touches nothing.
bool TouchesTopic(std::string_view text, std::string_view topic);

// The first of `topics` that `text` touches, or nullptr.
const std::string* TouchedTopic(std::string_view text, std::span<const std::string> topics);

struct ContentConflict {
    std::string note;   // the content note, as the world gives it
    std::string topic;  // the first topic to avoid that it touches
    friend bool operator==(const ContentConflict&, const ContentConflict&) = default;
};

// The notes that touch any of the topics to avoid, in the notes' order.
std::vector<ContentConflict> ConflictingNotes(std::span<const std::string> notes,
                                              std::span<const std::string> topics_to_avoid);

}  // namespace tta::therapy
