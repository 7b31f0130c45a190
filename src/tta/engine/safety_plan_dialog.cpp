#include "tta/engine/safety_plan_dialog.hpp"

#include <array>
#include <string_view>
#include <vector>

#include "tta/input/normalize.hpp"

namespace tta::engine {
namespace {

struct Section {
    std::string_view title;
    std::string_view question;
    std::string_view example;
    bool contacts;
};

// The order and the words of the Stanley–Brown Safety Planning Intervention.
constexpr std::array<Section, kSafetyPlanSections> kSections = {{
    {"Warning signs", "What tells you a hard time might be starting: thoughts, feelings, things "
                      "that happen?",
     "can't sleep; pushing people away", false},
    {"Things that help, on your own", "What can you do by yourself to take your mind off things?",
     "walk by the river; hot shower; loud music", false},
    {"People and places that take your mind off things",
     "Who or where helps you feel less alone, without having to talk about it?",
     "the library; Sam, 07700 900123", true},
    {"People you can ask for help", "Who could you tell that you are struggling?",
     "Mum, 07700 900456; Priya, 07700 900789", true},
    {"Professionals and services", "Which professionals or services could you contact?",
     "Dr Patel, 020 7946 0000; Samaritans, 116 123", true},
    {"Making where you are safer", "What could you do to make where you are safer?",
     "give my tablets to Sam to keep", false},
    {"Your reasons for living", "What matters most to you, and is worth living for?",
     "my daughter; the sea in the morning", false},
}};

std::vector<std::string>* Strings(safety::SafetyPlan& p, std::size_t section) {
    switch (section) {
        case 0: return &p.warning_signs;
        case 1: return &p.coping_strategies;
        case 5: return &p.safe_environment;
        case 6: return &p.reasons_for_living;
        default: return nullptr;
    }
}

std::vector<safety::PlanContact>* Contacts(safety::SafetyPlan& p, std::size_t section) {
    switch (section) {
        case 2: return &p.distractions;
        case 3: return &p.people_to_ask;
        case 4: return &p.professionals;
        default: return nullptr;
    }
}

std::string Trim(std::string_view s) {
    const auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    const auto end = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(begin, end - begin + 1));
}

std::vector<std::string> Items(std::string_view text) {
    std::vector<std::string> out;
    while (true) {
        const auto semi = text.find(';');
        std::string item = Trim(text.substr(0, semi));
        if (!item.empty()) out.push_back(std::move(item));
        if (semi == std::string_view::npos) break;
        text.remove_prefix(semi + 1);
    }
    return out;
}

std::string Current(safety::SafetyPlan& plan, std::size_t section) {
    std::string out;
    if (auto* s = Strings(plan, section)) {
        for (const auto& item : *s) out += (out.empty() ? "" : "; ") + item;
    } else if (auto* c = Contacts(plan, section)) {
        for (const auto& item : *c) {
            out += (out.empty() ? "" : "; ") + item.name;
            if (!item.contact.empty()) out += ", " + item.contact;
        }
    }
    return out;
}

// The one word the player typed, if the answer is a single command word.
std::string Command(std::string_view text) {
    const auto words = input::Normalize(text).words;
    return words.size() == 1 ? words.front() : std::string();
}

}  // namespace

std::string SafetyPlanPrompt(const SafetyPlanDraft& draft, bool first) {
    const Section& s = kSections.at(draft.section);
    std::string out;
    if (first) {
        out += "(Stepping out of the story.)\n\n"
               "A safety plan is a short list, in your own words, of what to do when things get "
               "hard: the signs, what helps, who to call. It is yours; it is shown to you if you "
               "ever tell TTA you are in danger, and to nobody else. Seven short questions; "
               "write as much or as little as you like.\n\n";
    }
    out += std::to_string(draft.section + 1) + " of " + std::to_string(kSafetyPlanSections) +
           ". " + std::string(s.title) + ". " + std::string(s.question) + "\n";
    safety::SafetyPlan copy = draft.plan;
    const std::string now = Current(copy, draft.section);
    if (!now.empty()) out += "Now: " + now + "\n";
    out += "Separate items with ';'";
    out += s.contacts ? ", and give a name then how to reach them after a comma" : "";
    out += ", for example: " + std::string(s.example) + "\n";
    out += now.empty() ? "Type skip to leave it empty" : "Type keep to keep it, clear to empty it";
    out += draft.section > 0 ? ", back to go back" : "";
    out += ", or stop to leave without saving.";
    return out;
}

SafetyPlanStep AnswerSafetyPlan(SafetyPlanDraft& draft, std::string_view text) {
    const std::string command = Command(text);
    if (command == "stop" || command == "cancel" || command == "quit") {
        return {SafetyPlanStep::Kind::kStopped, {}};
    }
    if (command == "back") {
        if (draft.section > 0) --draft.section;
        return {SafetyPlanStep::Kind::kAsk, {}};
    }
    safety::SafetyPlan next = draft.plan;
    if (command == "clear") {
        if (auto* s = Strings(next, draft.section)) s->clear();
        if (auto* c = Contacts(next, draft.section)) c->clear();
    } else if (command != "keep" && command != "skip") {
        const std::vector<std::string> items = Items(text);
        if (items.empty()) {
            return {SafetyPlanStep::Kind::kAsk,
                    "Nothing to add there. Type some items, or skip to go on."};
        }
        if (auto* s = Strings(next, draft.section)) {
            *s = items;
        } else if (auto* c = Contacts(next, draft.section)) {
            c->clear();
            for (const std::string& item : items) {
                const auto comma = item.find(',');
                c->push_back({Trim(std::string_view(item).substr(0, comma)),
                              comma == std::string::npos ? std::string()
                                                         : Trim(std::string_view(item).substr(comma + 1))});
            }
        }
    }
    if (Status valid = safety::Validate(next); !valid) {
        return {SafetyPlanStep::Kind::kAsk,
                "That does not fit (" + valid.error().message + "). Please try again."};
    }
    draft.plan = std::move(next);
    if (++draft.section == kSafetyPlanSections) return {SafetyPlanStep::Kind::kDone, {}};
    return {SafetyPlanStep::Kind::kAsk, {}};
}

std::string NoSafetyPlanYet() {
    return "You have not written a safety plan yet. It is a short list, in your own words, of "
           "what to do when things get hard; TTA shows it to you if you ever say you are in "
           "danger. Type safety plan edit to write one, a question at a time.";
}

std::string SafetyPlanNotKept(std::string_view why) {
    return "Your safety plan could not be kept just now (" + std::string(why) +
           "). Nothing was changed. Back to the story.";
}

std::string SafetyPlanStopped() {
    return "Left without saving; your plan is as it was. Back to the story.";
}

}  // namespace tta::engine
