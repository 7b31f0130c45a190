// tta::engine therapy dialogs: the words of the out-of-character conversations that span more
// than one input — a mood check-in ("how are you, 0 to 10?") and the PHQ-9 / GAD-7 asked item
// by item — and how a player's answers are read. Pure functions: the engine keeps which
// conversation is open and stores what comes of it (therapy_layer.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/measures.hpp"
#include "tta/therapy/mood.hpp"

namespace tta::engine {

// A check-in question is waiting for its answer: asked out of character (`check in`), or by
// someone in the story (a world's check_in() effect).
struct CheckInPending {
    therapy::CheckInMode mode = therapy::CheckInMode::kOutOfCharacter;
};

// A questionnaire is under way: `queue.front()` is being asked, `answers` are its answers so
// far; the rest of the queue follows it.
struct QuestionnairePending {
    std::vector<therapy::MeasureId> queue;
    std::vector<int> answers;
};

// Questionnaires due on the player's schedule were offered; yes or no is awaited.
struct QuestionnaireOffered {
    std::vector<therapy::MeasureId> due;
};

using Dialog = std::variant<CheckInPending, QuestionnairePending, QuestionnaireOffered>;

// --- check-ins ---

// What the player typed in answer to the check-in question: a whole number first, then any
// words ("6", "6/10", "7 out of 10", "4, tired and worried"). Filler between the words
// ("and", "a bit", "feeling") is dropped. nullopt when the text does not begin with a number:
// the player has moved on, and the check-in is let go.
struct CheckInAnswer {
    int score = 0;
    std::vector<std::string> feelings;
};
std::optional<CheckInAnswer> ParseCheckInAnswer(std::string_view text);

// The question, with the catalogue's feeling words.
std::string CheckInQuestion(const therapy::Catalogue& catalogue);
// A warm acknowledgement of a recorded check-in, suited to how the player said they are.
std::string CheckInThanks(const therapy::MoodCheckIn& check_in);
// Said when an answer could not be recorded (e.g. an unknown feeling word): the reason, and
// how to try again or carry on.
std::string CheckInRetry(std::string_view reason);
std::string CheckInLetGo();
// The line added under a question someone in the story asked: how to answer, and that carrying
// on is fine.
std::string InStoryCheckInHint();

// --- questionnaires ---

// The opening of a questionnaire: what it asks about, how to answer, that `stop` leaves and
// nothing is kept until the end, and that it is not a diagnosis.
std::string QuestionnaireIntro(therapy::MeasureId measure);
// "Question 3 of 9: ... " with the four answers numbered.
std::string QuestionText(therapy::MeasureId measure, std::size_t item);
// 0..3 typed as a digit or as the answer's words ("several days"); nullopt otherwise.
std::optional<int> ParseQuestionAnswer(std::string_view text);
bool IsStop(std::string_view text);
bool IsYes(std::string_view text);
bool IsNo(std::string_view text);
std::string QuestionReminder(therapy::MeasureId measure, std::size_t item);
std::string QuestionnaireStopped();
// The total and its band in plain words, e.g. "Your PHQ-9 total is 7 out of 27: mild."
std::string ScoreText(const therapy::MeasureScore& score);
// Said before the safety response when PHQ-9 item 9 was answered above 0.
std::string Item9Preface(const therapy::MeasureScore& score);

// The offer made at the start of a session when questionnaires are due.
std::string QuestionnaireOffer(const std::vector<therapy::MeasureId>& due);
std::string QuestionnaireOfferDeclined();
// `questionnaire` alone: what is on offer and the schedule.
std::string QuestionnaireMenu(std::string_view schedule);

}  // namespace tta::engine
