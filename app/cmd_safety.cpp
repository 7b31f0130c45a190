// `tta safety`: thin wrappers over the tta::safety library.
//   check      stdin lines -> one JSON assessment per line
//   eval       a labelled level<TAB>text file -> confusion matrix, recall, false alarms
//   respond    stdin lines -> the crisis response each would get (for reviewing the words)
#include "cmd_safety.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "tta/safety/eval.hpp"
#include "tta/safety/input_gate.hpp"
#include "tta/safety/response.hpp"
#include "tta/safety/rules.hpp"
#include "tta/safety/safety_plan.hpp"

namespace tta::app {
namespace {

// The embedded gate, or one built from --rules FILE (to try a rules change before building).
std::optional<safety::InputGate> LoadGate(const std::string& rules_path) {
    auto rules = safety::LoadRulesFile(rules_path);
    if (!rules) {
        fmt::print(stderr, "{}\n", rules.error().message);
        return std::nullopt;
    }
    auto gate = safety::InputGate::Create(std::move(*rules));
    if (!gate) {
        fmt::print(stderr, "{}\n", gate.error().message);
        return std::nullopt;
    }
    return std::move(*gate);
}

struct SafetyOptions {
    std::string rules_path;
    std::string eval_path;
    bool show_misses = false;
    std::string locale = "en-US";
    std::string plan_path;
    bool json = false;
};

int RunCheck(const SafetyOptions& o) {
    std::optional<safety::InputGate> custom;
    if (!o.rules_path.empty() && !(custom = LoadGate(o.rules_path))) return 2;
    const safety::InputGate& gate = custom ? *custom : safety::InputGate::Embedded();
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::cout << safety::AssessmentToJson(gate.Classify(line)) << '\n';
    }
    std::cout.flush();
    return 0;
}

int RunEval(const SafetyOptions& o) {
    std::optional<safety::InputGate> custom;
    if (!o.rules_path.empty() && !(custom = LoadGate(o.rules_path))) return 2;
    const safety::InputGate& gate = custom ? *custom : safety::InputGate::Embedded();
    std::ifstream in(o.eval_path, std::ios::binary);
    if (!in) {
        fmt::print(stderr, "{}: cannot open\n", o.eval_path);
        return 2;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    auto lines = safety::ParseLabelledLines(ss.str(), o.eval_path);
    if (!lines) {
        fmt::print(stderr, "{}\n", lines.error().message);
        return 2;
    }
    const safety::EvalReport report = safety::Evaluate(gate, *lines);
    fmt::print("rules {} on {} ({} lines)\n", gate.version(), o.eval_path, lines->size());
    fmt::print("{}", safety::FormatEvalReport(report, o.show_misses));
    return 0;
}

int RunRespond(const SafetyOptions& o) {
    std::optional<safety::SafetyPlan> plan;
    if (!o.plan_path.empty()) {
        std::ifstream in(o.plan_path, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        auto p = safety::SafetyPlanFromJson(ss.str());
        if (!p) {
            fmt::print(stderr, "{}: {}\n", o.plan_path, p.error().message);
            return 2;
        }
        plan = std::move(*p);
    }
    safety::ComposeOptions options;
    options.locale = o.locale;
    options.plan = plan ? &*plan : nullptr;
    std::string line;
    while (std::getline(std::cin, line)) {
        const safety::CrisisResponse r = safety::ResponseComposer::Embedded().Compose(
            safety::InputGate::Embedded().Classify(line), options);
        if (o.json) {
            std::cout << safety::CrisisResponseToJson(r) << '\n';
        } else if (r.step_out) {
            std::cout << r.message << "----\n";
        } else if (r.grounding) {
            std::cout << "[" << r.grounding->technique << "] " << r.grounding->narrator_cue << "\n"
                      << r.grounding->support_line << "\n----\n";
        } else {
            std::cout << "(" << safety::LevelName(r.level) << ": no response)\n----\n";
        }
    }
    return 0;
}

}  // namespace

void AddSafetyCommands(CLI::App& app) {
    auto opts = std::make_shared<SafetyOptions>();
    CLI::App* safety = app.add_subcommand("safety", "The safety gate: check inputs, measure rules");
    safety->require_subcommand(1);

    CLI::App* check = safety->add_subcommand(
        "check", "Classify stdin lines; print one JSON object per line");
    check->add_option("--rules", opts->rules_path, "Use this rules file instead of the built-in one")
        ->check(CLI::ExistingFile);
    check->callback([opts] {
        if (const int rc = RunCheck(*opts); rc != 0) throw CLI::RuntimeError(rc);
    });

    CLI::App* eval = safety->add_subcommand(
        "eval", "Score the gate on a level<TAB>text file: confusion matrix, recall, false alarms");
    eval->add_option("file", opts->eval_path, "Labelled lines (level<TAB>text, # comments)")
        ->required()
        ->check(CLI::ExistingFile);
    eval->add_option("--rules", opts->rules_path, "Use this rules file instead of the built-in one")
        ->check(CLI::ExistingFile);
    eval->add_flag("--misses", opts->show_misses, "List every line whose level differs");
    eval->callback([opts] {
        if (const int rc = RunEval(*opts); rc != 0) throw CLI::RuntimeError(rc);
    });

    CLI::App* respond = safety->add_subcommand(
        "respond", "Print the response each stdin line would get (crisis message or grounding)");
    respond->add_option("--locale", opts->locale, "Player locale, e.g. en-GB, de")
        ->capture_default_str();
    respond->add_option("--plan", opts->plan_path, "A safety plan JSON file to show")
        ->check(CLI::ExistingFile);
    respond->add_flag("--json", opts->json, "One JSON object per line instead of text");
    respond->callback([opts] {
        if (const int rc = RunRespond(*opts); rc != 0) throw CLI::RuntimeError(rc);
    });
}

}  // namespace tta::app
