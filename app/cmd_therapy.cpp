// `tta therapy`: reviewer and clinician tools over the therapy module.
//   tta therapy techniques [--json] [--file FILE]   the catalogue (or a draft catalogue file)
//   tta therapy score phq9 A1,...,A9                {"total":N,"severity":"...","item9_flag":b}
//   tta therapy score gad7 A1,...,A7                {"total":N,"severity":"..."}
//   tta therapy plan SCENARIO.yaml                  the beat planner's decision, as JSON
// Invalid input (answers, files) is explained on stderr with exit code 2.
#include "cmd_therapy.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "tta/therapy/catalogue.hpp"
#include "tta/therapy/json.hpp"
#include "tta/therapy/measures.hpp"
#include "tta/therapy/planner.hpp"
#include "tta/therapy/planner_scenario.hpp"

namespace tta::app {
namespace {

constexpr int kInvalidInput = 2;

struct TherapyOptions {
    bool json = false;
    std::string file;
    std::vector<std::string> answers;  // "0,1,2" or "0 1 2": joined with commas
    std::string scenario;
};

int Fail(std::string_view command, const Error& e) {
    std::cerr << "tta therapy " << command << ": " << e.message << "\n";
    return e.code == ErrorCode::kInvalid || e.code == ErrorCode::kNotFound ? kInvalidInput : 1;
}

int RunTechniques(const TherapyOptions& opt) {
    auto catalogue =
        opt.file.empty() ? therapy::LoadBuiltinCatalogue() : therapy::LoadCatalogueFile(opt.file);
    if (!catalogue) return Fail("techniques", catalogue.error());
    if (opt.json) {
        std::cout << boost::json::serialize(boost::json::value_from(*catalogue)) << "\n";
    } else {
        std::cout << therapy::FormatTechniqueList(*catalogue);
    }
    return 0;
}

int RunScore(therapy::MeasureId measure, const TherapyOptions& opt) {
    const std::string command = fmt::format("score {}", therapy::Name(measure));
    std::string joined;
    for (const std::string& part : opt.answers) joined += (joined.empty() ? "" : ",") + part;
    auto answers = therapy::ParseAnswers(joined);
    if (!answers) return Fail(command, answers.error());
    auto score = therapy::Score(measure, *answers);
    if (!score) return Fail(command, score.error());
    std::cout << boost::json::serialize(boost::json::value_from(*score)) << "\n";
    if (score->item9_flag) {
        std::cerr << "Note: question 9 (thoughts of being better off dead or of hurting yourself) "
                     "was answered above 0. In play this starts TTA's safety response. If you or "
                     "the person answering may be in danger now, contact local emergency services "
                     "or a crisis line.\n";
    }
    return 0;
}

int RunPlan(const TherapyOptions& opt) {
    auto catalogue = therapy::LoadBuiltinCatalogue();
    if (!catalogue) return Fail("plan", catalogue.error());
    std::ifstream in(opt.scenario, std::ios::binary);
    if (!in) return Fail("plan", Error::NotFound(opt.scenario + ": cannot be opened"));
    std::ostringstream text;
    text << in.rdbuf();
    auto scenario = therapy::ParsePlannerScenario(*catalogue, text.str(), opt.scenario);
    if (!scenario) return Fail("plan", scenario.error());
    const therapy::BeatDecision decision =
        therapy::BeatPlanner(*catalogue).Decide(scenario->input);
    std::cout << boost::json::serialize(boost::json::value_from(decision)) << "\n";
    if (!scenario->expect) return 0;
    const auto problems = therapy::CheckExpectation(*scenario->expect, decision);
    for (const std::string& p : problems) std::cerr << opt.scenario << ": " << p << "\n";
    return problems.empty() ? 0 : 1;
}

void Exit(int code) {
    if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void AddTherapyCommands(CLI::App& app) {
    auto opt = std::make_shared<TherapyOptions>();
    CLI::App* therapy =
        app.add_subcommand("therapy", "Therapeutic techniques, questionnaires and the planner");
    therapy->require_subcommand(1);

    CLI::App* techniques = therapy->add_subcommand("techniques", "List the technique catalogue");
    techniques->add_flag("--json", opt->json, "Print the whole catalogue as JSON");
    techniques->add_option("--file", opt->file,
                           "Check and list a catalogue file instead of the built-in one");
    techniques->callback([opt] { Exit(RunTechniques(*opt)); });

    CLI::App* score = therapy->add_subcommand("score", "Score a questionnaire; prints JSON");
    score->require_subcommand(1);
    for (therapy::MeasureId measure : {therapy::MeasureId::kPhq9, therapy::MeasureId::kGad7}) {
        const therapy::MeasureDefinition& def = therapy::Definition(measure);
        CLI::App* sub = score->add_subcommand(
            std::string(therapy::Name(measure)),
            fmt::format("Score the {} from {} answers, each 0-3", def.title, def.items.size()));
        // Not required here: missing answers are invalid answers, explained with exit code 2.
        sub->add_option("answers", opt->answers,
                        fmt::format("Answers separated by commas, e.g. {}",
                                    measure == therapy::MeasureId::kPhq9 ? "0,1,2,3,0,1,2,3,0"
                                                                         : "0,1,2,3,0,1,2"));
        sub->callback([opt, measure] { Exit(RunScore(measure, *opt)); });
    }

    CLI::App* plan =
        therapy->add_subcommand("plan", "Run the beat planner on a scenario file; prints JSON");
    plan->add_option("scenario", opt->scenario, "A planner scenario (YAML)")->required();
    plan->callback([opt] { Exit(RunPlan(*opt)); });
}

}  // namespace tta::app
