#include "tta/engine/therapy_dialog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "tta/input/normalize.hpp"

namespace tta::engine {

namespace {

using Words = std::vector<std::string>;

bool In(std::string_view word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

std::string Joined(const Words& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

std::optional<int> SmallNumber(std::string_view w) {
    if (w.empty() || w.size() > 2) return std::nullopt;
    int n = 0;
    for (char c : w) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

std::string JoinAnd(const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
        out += parts[i];
    }
    return out;
}

std::string Titles(const std::vector<therapy::MeasureId>& measures) {
    std::vector<std::string> titles;
    for (auto id : measures) titles.emplace_back(therapy::Definition(id).title);
    return JoinAnd(titles);
}

std::string_view About(therapy::MeasureId id) {
    return id == therapy::MeasureId::kPhq9 ? "low mood" : "worry and anxiety";
}

}  // namespace

std::optional<CheckInAnswer> ParseCheckInAnswer(std::string_view text) {
    const input::Normalized in = input::Normalize(text);
    const Words& w = in.words;
    std::size_t i = 0;
    // "I am a 6", "about 5", "maybe 7".
    while (i < w.size() && In(w[i], {"i", "am", "about", "around", "maybe", "probably", "a", "an",
                                     "like", "say", "feeling"})) {
        ++i;
    }
    if (i >= w.size()) return std::nullopt;
    auto score = SmallNumber(w[i]);
    if (!score) return std::nullopt;
    ++i;
    // "6/10", "6 out of 10".
    if (i + 2 < w.size() && w[i] == "out" && w[i + 1] == "of" && w[i + 2] == "10") {
        i += 3;
    } else if (i < w.size() && w[i] == "10" && in.text.find('/') != std::string::npos) {
        ++i;
    }
    CheckInAnswer answer;
    answer.score = *score;
    for (; i < w.size(); ++i) {
        if (In(w[i],
               {"and",  "a",        "bit",    "little", "feeling",  "feel",  "i",    "am",
                "very", "quite",    "really", "so",     "pretty",   "but",   "also", "kind",
                "of",   "somewhat", "rather", "too",    "slightly", "today", "now",  "right"})) {
            continue;
        }
        answer.feelings.push_back(w[i]);
    }
    return answer;
}

std::string CheckInQuestion(const therapy::Catalogue& catalogue) {
    std::vector<std::string> words;
    for (const auto& f : catalogue.feelings) words.push_back(f.word);
    std::string list;
    for (const auto& w : words) list += (list.empty() ? "" : ", ") + w;
    return "(Stepping out of the story for a moment.)\n\n"
           "How are you doing right now, from 0 to 10? 0 is the worst you have felt and 10 the "
           "best. If you like, add a few words for how you feel, such as \"6 tired hopeful\".\n"
           "Words you can use: " +
           list +
           ".\n"
           "Type anything else to go straight back to the story.";
}

std::string CheckInThanks(const therapy::MoodCheckIn& c) {
    std::string text;
    if (c.score <= 2) {
        text =
            "Thank you for telling me. That sounds really hard, and it took something to say "
            "it. You don't have to do anything with it here; the story will wait for you. If "
            "it stays this heavy, please talk to someone: a person you trust, your doctor, or "
            "a helpline.";
    } else if (c.score <= 4) {
        text =
            "Thank you for checking in. That sounds like a tough stretch. Go gently with "
            "yourself, as you would with a friend.";
    } else if (c.score <= 6) {
        text = "Thanks for checking in. Somewhere in the middle counts too.";
    } else if (c.score <= 8) {
        text = "Thanks for checking in. It's good to hear you're doing fairly well.";
    } else {
        text = "Thanks for checking in. It's good to hear you're feeling bright.";
    }
    std::string line = fmt::format("Noted: {} out of {}", c.score, therapy::kMaxMood);
    if (!c.feelings.empty()) line += ", feeling " + JoinAnd(c.feelings);
    return text + "\n\n" + line + ". Type progress to see how your check-ins have gone.";
}

std::string CheckInRetry(std::string_view reason) {
    return fmt::format(
        "I couldn't note that: {}.\n\nTry again with a number from 0 to 10 and "
        "any of those words, or type anything else to go back to the story.",
        reason);
}

std::string CheckInLetGo() { return "No check-in this time; that's fine. Back to the story."; }

std::string InStoryCheckInHint() {
    return "(To answer, type a number from 0 to 10 — 0 the worst you have felt, 10 the best — "
           "and a few words if you like, such as \"6 tired hopeful\". Or just carry on.)";
}

std::string QuestionnaireIntro(therapy::MeasureId measure) {
    const auto& d = therapy::Definition(measure);
    return fmt::format(
        "The {} is a short questionnaire about {}, {} questions. {} Answer each with a number: "
        "0 Not at all, 1 Several days, 2 More than half the days, 3 Nearly every day. Type stop "
        "to leave at any time; nothing is kept until the last answer. The score is not a "
        "diagnosis, but it can show how things change over time.",
        d.title, About(measure), d.items.size(), d.stem);
}

std::string QuestionText(therapy::MeasureId measure, std::size_t item) {
    const auto& d = therapy::Definition(measure);
    std::string text =
        fmt::format("Question {} of {}: {}", item + 1, d.items.size(), d.items[item]);
    for (const auto& o : d.options) text += fmt::format("\n{}. {}", o.value, o.text);
    return text;
}

std::optional<int> ParseQuestionAnswer(std::string_view text) {
    const Words words = input::Normalize(text).words;
    if (words.size() == 1) {
        if (auto n = SmallNumber(words[0]); n && *n <= 3) return n;
    }
    const std::string joined = Joined(words);
    if (joined == "not at all" || joined == "never") return 0;
    if (joined == "several days" || joined == "some days") return 1;
    if (joined == "more than half the days" || joined == "more than half") return 2;
    if (joined == "nearly every day" || joined == "every day" || joined == "most days") return 3;
    return std::nullopt;
}

bool IsStop(std::string_view text) {
    const std::string joined = Joined(input::Normalize(text).words);
    return In(joined, {"stop", "cancel", "quit", "exit", "leave", "stop please", "i want to stop",
                       "no more", "enough"});
}

bool IsYes(std::string_view text) {
    const std::string joined = Joined(input::Normalize(text).words);
    return In(joined, {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "yes please", "go on",
                       "all right", "alright"});
}

bool IsNo(std::string_view text) {
    const std::string joined = Joined(input::Normalize(text).words);
    return In(joined, {"no", "n", "nope", "not now", "no thanks", "no thank you", "later", "skip",
                       "not today"});
}

std::string QuestionReminder(therapy::MeasureId measure, std::size_t item) {
    return "Please answer with 0, 1, 2 or 3, or type stop to leave the questionnaire.\n\n" +
           QuestionText(measure, item);
}

std::string QuestionnaireStopped() {
    return "Stopped; nothing from this questionnaire was kept. Back to the story.";
}

std::string ScoreText(const therapy::MeasureScore& score) {
    const auto& d = therapy::Definition(score.measure);
    return fmt::format("Your {} total is {} out of {}: {}.", d.title, score.total, d.MaxTotal(),
                       therapy::Label(score.severity));
}

std::string Item9Preface(const therapy::MeasureScore& score) {
    return "Thank you for answering every question honestly. " + ScoreText(score) +
           " One of your answers matters more than any total: you said you have had thoughts "
           "that you would be better off dead, or of hurting yourself. So we are stepping out "
           "of the story for now.";
}

std::string QuestionnaireOffer(const std::vector<therapy::MeasureId>& due) {
    return fmt::format(
        "(Before you go on: your questionnaire schedule says the {} {} due. It takes a couple of "
        "minutes and helps you see how things change. Would you like to answer now? Type yes, "
        "or no to carry on with the story.)",
        Titles(due), due.size() == 1 ? "is" : "are");
}

std::string QuestionnaireOfferDeclined() {
    return "That's fine. It will be offered again next time; type questionnaire whenever you "
           "want it sooner.";
}

std::string QuestionnaireMenu(std::string_view schedule) {
    return fmt::format(
        "Two short questionnaires can show how things change over time (they are not a "
        "diagnosis):\n"
        "  questionnaire phq9   nine questions about low mood over the last two weeks\n"
        "  questionnaire gad7   seven questions about worry and anxiety over the last two weeks\n"
        "Your schedule: {}. To have them offered at the start of a session, type questionnaire "
        "schedule weekly, fortnightly or off.",
        schedule);
}

}  // namespace tta::engine
