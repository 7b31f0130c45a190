// tta::therapy catalogue: the evidence-based techniques TTA weaves into its worlds (box
// breathing, grounding, thought records, DBT and ACT skills, ...), the tags that say what each
// helps with, the feeling words of mood check-ins and the thinking traps of the thought record.
// The catalogue is reviewed data (data/therapy/techniques.yaml) compiled into the binary; this
// header loads and validates it, reporting problems as `file:line: message`.
#pragma once

#include "tta/core/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tta::therapy {

enum class Framework { kCbt, kDbt, kAct, kMindfulness, kCompassion };
// Ordered from least to most demanding, so a preference can be compared with `<=`.
enum class Intensity { kGentle, kModerate, kActive };
enum class Valence { kPleasant, kNeutral, kUnpleasant };
// What a world binds a technique to so that it happens inside the story.
enum class BindingRole { kGuide, kPlace, kObject };

// Stable lowercase names, as written in the catalogue and in JSON: "cbt", "gentle", ...
std::string_view Name(Framework f);
std::string_view Name(Intensity i);
std::string_view Name(Valence v);
std::string_view Name(BindingRole r);
// A short display label: "CBT", "DBT", "ACT", "mindfulness", "compassion".
std::string_view Label(Framework f);
Result<Framework> ParseFramework(std::string_view name);
Result<Intensity> ParseIntensity(std::string_view name);

// A described id: a tag (what a technique helps with) or a health condition.
struct Term {
    std::string id;
    std::string description;
};

struct Feeling {
    std::string word;
    Valence valence = Valence::kNeutral;
    std::vector<std::string> tags;  // needs this feeling points to, e.g. "anxious" -> anxiety
};

struct Distortion {
    std::string id;
    std::string name;
    std::string description;
    std::string example;
    std::string question;  // a gentle question that helps reframe a thought caught in this trap
};

// A reason not to use a technique. With cues or conditions it is a rule the beat planner
// enforces; without them it is a caution shown with the steps.
struct Contraindication {
    std::string text;
    std::vector<std::string> cues;        // tags that rule it out right now, e.g. panic
    std::vector<std::string> conditions;  // profile conditions, e.g. heart_condition
};

struct Evidence {
    std::string note;
    std::vector<std::string> references;
};

struct Binding {
    BindingRole role = BindingRole::kGuide;
    std::string hint;
};

struct Technique {
    std::string id;
    std::string name;
    Framework framework = Framework::kMindfulness;
    std::string summary;
    Intensity intensity = Intensity::kGentle;
    int min_minutes = 0;
    int max_minutes = 0;
    std::vector<std::string> helps_with;    // tags
    std::vector<std::string> content_tags;  // what a player may ask to avoid, e.g. breath_focus
    std::vector<std::string> steps;         // plain, warm, second person
    std::vector<Contraindication> when_not_to_use;
    Evidence evidence;
    std::vector<Binding> bindings;

    bool HelpsWith(std::string_view tag) const;
};

struct Catalogue {
    int version = 0;
    std::string source;  // the file it was read from, e.g. "data/therapy/techniques.yaml"
    std::vector<Term> tags;
    std::vector<Term> conditions;
    std::vector<Feeling> feelings;
    std::vector<Distortion> distortions;
    std::vector<Technique> techniques;

    const Technique* FindTechnique(std::string_view id) const;
    const Feeling* FindFeeling(std::string_view word) const;
    bool HasTag(std::string_view id) const;
    bool HasCondition(std::string_view id) const;
    // The tags an emotion label stands for: a feeling word gives its tags ("panicky" ->
    // panic, anxiety), a tag gives itself ("worry" -> worry), anything else gives none.
    std::vector<std::string> TagsForLabel(std::string_view label) const;
};

// Parses and validates catalogue YAML. Every problem is reported as an Invalid error
// "<file_name>:<line>: <message>"; the first problem found ends the load.
Result<Catalogue> ParseCatalogue(std::string_view yaml_text, std::string_view file_name);

// The catalogue compiled into this binary from data/therapy/techniques.yaml.
Result<Catalogue> LoadBuiltinCatalogue();
// Reads and parses a catalogue file, e.g. a reviewer's draft; errors name the path given.
Result<Catalogue> LoadCatalogueFile(const std::string& path);

// A plain-text overview for the terminal: a heading, then one line per technique with its id,
// framework, intensity, minutes, name and what it helps with.
std::string FormatTechniqueList(const Catalogue& catalogue);

}  // namespace tta::therapy
