#include "tta/engine/therapy_dialog.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tta/engine/therapy_layer.hpp"

namespace tta::engine {
namespace {

TEST(CheckInAnswer, ReadsTheRatingAndTheWordsInTheFormsPeopleType) {
    struct Case {
        std::string_view text;
        int score;
        std::vector<std::string> feelings;
    };
    for (const Case& c : std::initializer_list<Case>{
             {"6", 6, {}},
             {"  10 ", 10, {}},
             {"0", 0, {}},
             {"6/10", 6, {}},
             {"7 out of 10", 7, {}},
             {"4, tired and worried", 4, {"tired", "worried"}},
             {"3 feeling a bit down", 3, {"down"}},
             {"I'm a 5, anxious but hopeful", 5, {"anxious", "hopeful"}},
             {"about 2 really OVERWHELMED", 2, {"overwhelmed"}},
             {"6/10 calm", 6, {"calm"}},
             {"12", 12, {}},  // read as given; the check-in's validation says what is allowed
             {"5 sleepy", 5, {"sleepy"}},
         }) {
        auto answer = ParseCheckInAnswer(c.text);
        ASSERT_TRUE(answer.has_value()) << c.text;
        EXPECT_EQ(answer->score, c.score) << c.text;
        EXPECT_EQ(answer->feelings, c.feelings) << c.text;
    }
}

TEST(CheckInAnswer, AnythingNotStartingWithANumberIsNotAnAnswer) {
    for (std::string_view text : {"", "north", "fine", "no", "I feel ok", "six", "help", "100"}) {
        EXPECT_FALSE(ParseCheckInAnswer(text).has_value()) << text;
    }
}

TEST(QuestionAnswer, DigitsAndTheStandardAnswersAreAccepted) {
    struct Case {
        std::string_view text;
        std::optional<int> value;
    };
    for (const Case& c : std::initializer_list<Case>{
             {"0", 0},
             {"3", 3},
             {" 2. ", 2},
             {"Not at all", 0},
             {"several days", 1},
             {"More than half the days", 2},
             {"nearly every day", 3},
             {"4", std::nullopt},
             {"-1", 1},  // punctuation is dropped before reading, as everywhere in play
             {"perhaps", std::nullopt},
             {"1 2", std::nullopt},
             {"", std::nullopt},
         }) {
        EXPECT_EQ(ParseQuestionAnswer(c.text), c.value) << c.text;
    }
}

TEST(DialogWords, YesNoAndStopAreRecognisedAndKeptApart) {
    for (auto t : {"yes", "Yes please", "OK", "sure"}) EXPECT_TRUE(IsYes(t)) << t;
    for (auto t : {"no", "Not now", "no thanks", "later"}) EXPECT_TRUE(IsNo(t)) << t;
    for (auto t : {"stop", "STOP", "cancel", "I want to stop"}) EXPECT_TRUE(IsStop(t)) << t;
    for (auto t : {"north", "yes no", "not yet sure"}) {
        EXPECT_FALSE(IsYes(t) || IsNo(t) || IsStop(t)) << t;
    }
}

TEST(QuestionnaireText, EveryItemIsAskedWithItsNumberAndTheFourAnswers) {
    for (auto id : {therapy::MeasureId::kPhq9, therapy::MeasureId::kGad7}) {
        const auto& d = therapy::Definition(id);
        for (std::size_t i = 0; i < d.items.size(); ++i) {
            const std::string q = QuestionText(id, i);
            EXPECT_NE(q.find(d.items[i]), std::string::npos) << q;
            EXPECT_NE(q.find(fmt::format("Question {} of {}", i + 1, d.items.size())),
                      std::string::npos);
            EXPECT_NE(q.find("3. Nearly every day"), std::string::npos);
        }
    }
    EXPECT_NE(QuestionnaireOffer({therapy::MeasureId::kGad7}).find("the GAD-7 is due"),
              std::string::npos);
}

TEST(CheckInText, ListsTheCatalogueWordsAndThanksByHowThePlayerIs) {
    const std::string question = CheckInQuestion(BuiltinCatalogue());
    for (const auto& f : BuiltinCatalogue().feelings) {
        EXPECT_NE(question.find(f.word), std::string::npos) << f.word;
    }
    therapy::MoodCheckIn low;
    low.score = 1;
    EXPECT_NE(CheckInThanks(low).find("talk to someone"), std::string::npos);
    therapy::MoodCheckIn high;
    high.score = 9;
    high.feelings = {"calm", "proud"};
    EXPECT_NE(CheckInThanks(high).find("Noted: 9 out of 10, feeling calm and proud."),
              std::string::npos);
}

}  // namespace
}  // namespace tta::engine
