// The YAML loader (docs/worlds.md). Two passes: the first reads every section of every file
// into the Pack and remembers each expression with its position; once all ids are known
// (Pack::BuildIndex), the second compiles the expressions and resolves references. yaml-cpp
// throws on malformed input; everything it throws is caught here and becomes a Diagnostic.
#include "tta/world/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <kainjow/mustache.hpp>
#include <map>
#include <sstream>
#include <tuple>

#include "tta/world/suggest.hpp"

namespace tta::world {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;

constexpr const char* kSplitListHint =
    "inside [...] a ',' separates entries; write one effect per line "
    "('- set(tide, \"low\")') or one string ('effects: set(a), set(tide, \"low\")')";

const std::vector<std::string_view> kSections = {"world", "variables", "places", "people",
                                                 "items", "rules",     "scenes", "endings"};

struct File {
    int index = -1;
    std::string name;
    std::string_view text;
    std::vector<std::size_t> line_starts;
};

// An expression waiting for pass two: where it is, and where its compiled form goes.
struct Pending {
    const File* file = nullptr;
    YAML::Node node;
    std::string source;
    bool effects = false;
    std::function<Condition&(Pack&)> condition;
    std::function<Script&(Pack&)> script;
};

// A reference to an element, checked in pass two.
struct Reference {
    SourcePos pos;
    std::string id;
    std::vector<Kind> kinds;
    std::function<void(Pack&, Kind, int)> store;
};

bool IsId(std::string_view s) {
    if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string IdToName(std::string_view id) {
    std::string out(id);
    std::replace(out.begin(), out.end(), '_', ' ');
    return out;
}

class Loader {
  public:
    explicit Loader(std::vector<Diagnostic>& diagnostics) : diagnostics_(diagnostics) {
        pack_ = std::make_shared<Pack>();
    }

    Result<std::shared_ptr<const Pack>> Load(const std::vector<SourceFile>& sources) {
        const std::size_t before = diagnostics_.size();
        AddBuiltins();
        std::vector<YAML::Node> roots(sources.size());
        files_.reserve(sources.size());
        for (const SourceFile& source : sources) {
            File f;
            f.index = static_cast<int>(files_.size());
            f.name = source.name;
            f.text = source.text;
            f.line_starts.push_back(0);
            for (std::size_t i = 0; i < source.text.size(); ++i) {
                if (source.text[i] == '\n') f.line_starts.push_back(i + 1);
            }
            files_.push_back(std::move(f));
            pack_->files.push_back(source.name);
        }
        for (std::size_t i = 0; i < sources.size(); ++i) {
            const File& file = files_[i];
            try {
                if (sources[i].text.size() > kMaxFileBytes) {
                    Report(file, 1, 1, "file larger than 4 MiB");
                    continue;
                }
                YAML::Node root = YAML::Load(sources[i].text);
                ReadRoot(file, root);
            } catch (const YAML::Exception& e) {
                ReportYamlError(file, e);
            } catch (const std::exception& e) {
                Report(file, 1, 1, std::string("cannot read this file: ") + e.what());
            }
        }
        if (!world_seen_ && !sources.empty() && !yaml_failed_) {
            Report(files_.front(), 0, 0, "no 'world' section (id, title, start) in any file");
        }
        pack_->BuildIndex();  // duplicate ids were reported with positions by DefineId
        try {
            ResolveReferences();
            CompileExpressions();
            CheckTemplates();
        } catch (const std::exception& e) {
            Report(files_.empty() ? File{} : files_.front(), 0, 0,
                   std::string("cannot read this world: ") + e.what());
        }
        // Pass two finds some problems after pass one's; authors read them in file order.
        std::stable_sort(diagnostics_.begin() + static_cast<std::ptrdiff_t>(before),
                         diagnostics_.end(), [&](const Diagnostic& a, const Diagnostic& b) {
                             return std::make_tuple(FileOrder(a.file), a.line, a.col) <
                                    std::make_tuple(FileOrder(b.file), b.line, b.col);
                         });
        std::size_t errors = 0;
        for (std::size_t i = before; i < diagnostics_.size(); ++i) {
            if (diagnostics_[i].severity == Severity::kError) ++errors;
        }
        if (errors > 0) {
            return Error::Invalid(std::to_string(errors) + (errors == 1 ? " error" : " errors") +
                                  " in world '" + pack_->meta.id + "'");
        }
        return std::shared_ptr<const Pack>(std::move(pack_));
    }

  private:
    std::vector<Diagnostic>& diagnostics_;
    std::shared_ptr<Pack> pack_;
    std::vector<File> files_;
    std::vector<Pending> pending_;
    std::vector<Reference> references_;
    std::map<std::string, std::pair<Kind, SourcePos>, std::less<>> defined_;
    bool world_seen_ = false;
    bool yaml_failed_ = false;  // a file did not parse, so a missing section may be in it
    bool stress_declared_ = false;

    // ---- reporting ----

    std::size_t FileOrder(const std::string& name) const {
        for (const File& f : files_) {
            if (f.name == name) return static_cast<std::size_t>(f.index);
        }
        return files_.size();
    }

    void Report(const File& file, int line, int col, std::string message,
                Severity severity = Severity::kError) {
        diagnostics_.push_back({file.name, line, col, severity, std::move(message)});
    }
    void Report(const File& file, const YAML::Node& node, std::string message) {
        const YAML::Mark m = node.Mark();
        Report(file, m.line + 1, m.column + 1, std::move(message));
    }
    void Report(const SourcePos& pos, std::string message) {
        diagnostics_.push_back(pack_->At(pos, std::move(message)));
    }

    static SourcePos Pos(const File& file, const YAML::Node& node) {
        const YAML::Mark m = node.Mark();
        return {file.index, m.line + 1, m.column + 1};
    }

    void ReportYamlError(const File& file, const YAML::Exception& e) {
        yaml_failed_ = true;
        std::string message = e.msg;
        if (message == "illegal map value") {
            message += " (a ': ' inside text starts a new key; put the text in quotes)";
        }
        // The commonest slip in effect lists: `effects: [set(tide, "low")]` splits at the
        // comma inside the call, because ',' separates entries in a [...] list.
        const int line = e.mark.line;
        if (line >= 0 && static_cast<std::size_t>(line) < file.line_starts.size()) {
            const std::size_t start = file.line_starts[static_cast<std::size_t>(line)];
            const std::size_t end = file.text.find('\n', start);
            const std::string_view text = file.text.substr(
                start, end == std::string_view::npos ? std::string_view::npos : end - start);
            if (text.find('[') != std::string_view::npos &&
                text.find('(') != std::string_view::npos) {
                message += std::string(" (") + kSplitListHint + ")";
            }
        }
        if (e.mark.is_null()) {
            Report(file, 1, 1, "YAML: " + message);
        } else {
            Report(file, e.mark.line + 1, e.mark.column + 1, "YAML: " + message);
        }
    }

    // ---- generic readers ----

    // Reports unknown and duplicate keys; returns false when `node` is not a map.
    bool CheckMap(const File& file, const YAML::Node& node, std::string_view what,
                  const std::vector<std::string_view>& allowed) {
        if (!node.IsMap()) {
            Report(file, node, std::string(what) + " must be a map of keys (key: value)");
            return false;
        }
        std::vector<std::string> seen;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const YAML::Node key = it->first;
            if (!key.IsScalar()) {
                Report(file, key, "keys must be plain words");
                continue;
            }
            const std::string& k = key.Scalar();
            if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
                std::string hint;
                if (what == "a choice" && k == "text") {
                    hint = " (a choice's label is 'text'; what is said after choosing is 'reply')";
                }
                Report(file, key, "duplicate key '" + k + "'" + hint);
                continue;
            }
            seen.push_back(k);
            if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
                Report(file, key,
                       "unknown key '" + k + "' in " + std::string(what) +
                           detail::DidYouMean(k, allowed));
            }
        }
        return true;
    }

    static YAML::Node Get(const YAML::Node& map, std::string_view key) {
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
        }
        return YAML::Node(YAML::NodeType::Undefined);
    }

    static bool Present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

    std::optional<std::string> Scalar(const File& file, const YAML::Node& n, std::string_view key) {
        if (!Present(n)) return std::nullopt;
        if (!n.IsScalar()) {
            Report(
                file, n,
                "'" + std::string(key) + "' must be text, not a " + (n.IsMap() ? "map" : "list"));
            return std::nullopt;
        }
        return n.Scalar();
    }

    std::string String(const File& file, const YAML::Node& map, std::string_view key,
                       std::string fallback = {}) {
        auto s = Scalar(file, Get(map, key), key);
        return s ? *s : fallback;
    }

    std::optional<std::int64_t> Integer(const File& file, const YAML::Node& n,
                                        std::string_view key) {
        auto s = Scalar(file, n, key);
        if (!s) return std::nullopt;
        auto v = ParseNumber(*s);
        if (!v) {
            Report(file, n, "'" + std::string(key) + "' must be a whole number, not '" + *s + "'");
        }
        return v;
    }

    static std::optional<std::int64_t> ParseNumber(std::string_view s) {
        std::int64_t v = 0;
        const char* begin = s.data();
        const char* end = s.data() + s.size();
        if (begin != end && *begin == '+') ++begin;
        const auto [ptr, ec] = std::from_chars(begin, end, v);
        if (s.empty() || ec != std::errc() || ptr != end || v > 1'000'000'000 ||
            v < -1'000'000'000) {
            return std::nullopt;
        }
        return v;
    }

    // What an unquoted scalar looks like: "flag", "number" or "string" (quoted: always string).
    static std::string TypeOfScalar(const YAML::Node& n) {
        if (n.Tag() == "!") return "string";
        if (ParseBool(n.Scalar())) return "flag";
        if (ParseNumber(n.Scalar())) return "number";
        return "string";
    }

    static std::optional<bool> ParseBool(std::string_view s) {
        if (s == "true" || s == "yes" || s == "on" || s == "True" || s == "Yes") return true;
        if (s == "false" || s == "no" || s == "off" || s == "False" || s == "No") return false;
        return std::nullopt;
    }

    bool Bool(const File& file, const YAML::Node& map, std::string_view key, bool fallback) {
        const YAML::Node n = Get(map, key);
        auto s = Scalar(file, n, key);
        if (!s) return fallback;
        auto b = ParseBool(*s);
        if (!b) {
            Report(file, n, "'" + std::string(key) + "' must be true or false, not '" + *s + "'");
            return fallback;
        }
        return *b;
    }

    // A word or a list of words.
    std::vector<std::string> Words(const File& file, const YAML::Node& map, std::string_view key) {
        std::vector<std::string> out;
        const YAML::Node n = Get(map, key);
        if (!Present(n)) return out;
        if (n.IsScalar()) {
            out.push_back(n.Scalar());
            return out;
        }
        if (!n.IsSequence()) {
            Report(file, n, "'" + std::string(key) + "' must be a list of words");
            return out;
        }
        for (const YAML::Node& item : n) {
            if (!item.IsScalar()) {
                Report(file, item, "'" + std::string(key) + "' must be a list of words");
                continue;
            }
            out.push_back(item.Scalar());
        }
        return out;
    }

    // A text field: one template or a list of variants.
    Text ReadText(const File& file, const YAML::Node& map, std::string_view key) {
        Text t;
        const YAML::Node n = Get(map, key);
        if (!n.IsDefined()) return t;
        t.pos = Pos(file, n);
        if (n.IsNull()) {
            Report(file, n, "'" + std::string(key) + "' is empty");
            return t;
        }
        if (n.IsScalar()) {
            t.variants.push_back(n.Scalar());
        } else if (n.IsSequence()) {
            for (const YAML::Node& v : n) {
                if (!v.IsScalar()) {
                    Report(file, v, "each variant of '" + std::string(key) + "' must be text");
                    continue;
                }
                t.variants.push_back(v.Scalar());
            }
            if (t.variants.empty()) Report(file, n, "'" + std::string(key) + "' has no variants");
        } else {
            Report(file, n, "'" + std::string(key) + "' must be text or a list of text variants");
        }
        return t;
    }

    void DefineId(const File& file, const YAML::Node& key_node, const std::string& id, Kind kind) {
        const SourcePos pos = Pos(file, key_node);
        if (!IsId(id)) {
            Report(pos, "id '" + id + "' must be lowercase snake_case (a-z, 0-9, '_')");
        }
        auto [it, inserted] = defined_.emplace(id, std::make_pair(kind, pos));
        if (!inserted) {
            const Diagnostic first = pack_->At(it->second.second, "");
            Report(pos, "'" + id + "' is already defined as " +
                            detail::WithArticle(it->second.first) + " at " + first.file + ":" +
                            std::to_string(first.line) + ":" + std::to_string(first.col));
        }
    }

    void Expect(const File& file, const YAML::Node& node, std::string source, bool effects,
                std::function<Condition&(Pack&)> condition, std::function<Script&(Pack&)> script) {
        pending_.push_back(
            {&file, node, std::move(source), effects, std::move(condition), std::move(script)});
    }

    void Condition(const File& file, const YAML::Node& map, std::string_view key,
                   std::function<class Condition&(Pack&)> target) {
        const YAML::Node n = Get(map, key);
        if (!n.IsDefined()) return;
        if (n.IsScalar() && !n.Scalar().empty()) {
            Expect(file, n, n.Scalar(), false, std::move(target), nullptr);
        } else {
            Report(file, n, "'" + std::string(key) + "' must be a condition, like: has(lantern)");
        }
    }

    // `effects:` is one string (statements separated by ',' or ';') or a list of them.
    void Effects(const File& file, const YAML::Node& map, std::string_view key,
                 std::function<Script&(Pack&)> target) {
        const YAML::Node n = Get(map, key);
        if (!n.IsDefined()) return;
        if (n.IsScalar() && !n.Scalar().empty()) {
            Expect(file, n, n.Scalar(), true, nullptr, target);
        } else if (n.IsSequence()) {
            // `effects: [set(tide, "low")]` is split by YAML at the comma inside the call.
            if (n.Style() == YAML::EmitterStyle::Flow) {
                for (const YAML::Node& item : n) {
                    if (item.IsScalar() && Unbalanced(item.Scalar())) {
                        Report(file, n,
                               std::string("this [...] list was split at a ',' "
                                           "inside (...): ") +
                                   kSplitListHint);
                        return;
                    }
                }
            }
            for (const YAML::Node& item : n) {
                if (item.IsScalar() && !item.Scalar().empty()) {
                    Expect(file, item, item.Scalar(), true, nullptr, target);
                } else {
                    Report(file, item, "each effect must be text, like: set(lantern_lit)");
                }
            }
        } else {
            Report(file, n,
                   "'" + std::string(key) +
                       "' must be an effect or a list of effects, like: [give(key)]");
        }
    }

    static bool Unbalanced(std::string_view s) {
        return std::count(s.begin(), s.end(), '(') != std::count(s.begin(), s.end(), ')');
    }

    void Refer(const File& file, const YAML::Node& node, std::string id, std::vector<Kind> kinds,
               std::function<void(Pack&, Kind, int)> store) {
        references_.push_back({Pos(file, node), std::move(id), std::move(kinds), std::move(store)});
    }

    // ---- sections ----

    void AddBuiltins() {
        Variable turns;
        turns.id = std::string(kTurnsVariable);
        turns.type = VarType::kNumber;
        turns.initial = std::int64_t{0};
        turns.min = 0;
        turns.builtin = true;
        Variable stress;
        stress.id = std::string(kStressVariable);
        stress.type = VarType::kNumber;
        stress.initial = std::int64_t{5};
        stress.min = 0;
        stress.max = 10;
        stress.builtin = true;
        pack_->variables.push_back(std::move(turns));
        pack_->variables.push_back(std::move(stress));
    }

    void ReadRoot(const File& file, const YAML::Node& root) {
        if (!root.IsDefined() || root.IsNull()) return;  // an empty file is fine
        if (!root.IsMap()) {
            Report(file, root, "a world file is a map of sections: " + SectionList());
            return;
        }
        CheckMap(file, root, "a world file", kSections);
        for (auto it = root.begin(); it != root.end(); ++it) {
            if (!it->first.IsScalar()) continue;
            const std::string& section = it->first.Scalar();
            const YAML::Node body = it->second;
            if (section == "world") {
                ReadWorld(file, it->first, body);
                continue;
            }
            if (std::find(kSections.begin(), kSections.end(), section) == kSections.end()) {
                continue;
            }
            if (body.IsNull()) continue;
            if (section == "rules") {
                ReadRules(file, body);
                continue;
            }
            if (!body.IsMap()) {
                Report(file, body, "section '" + section + "' must be a map of ids");
                continue;
            }
            for (auto e = body.begin(); e != body.end(); ++e) {
                if (!e->first.IsScalar()) {
                    Report(file, e->first, "ids must be plain words");
                    continue;
                }
                const std::string id = e->first.Scalar();
                if (section == "variables") ReadVariable(file, e->first, id, e->second);
                if (section == "places") ReadPlace(file, e->first, id, e->second);
                if (section == "people") ReadPerson(file, e->first, id, e->second);
                if (section == "items") ReadItem(file, e->first, id, e->second);
                if (section == "scenes") ReadScene(file, e->first, id, e->second);
                if (section == "endings") ReadEnding(file, e->first, id, e->second);
            }
        }
    }

    static std::string SectionList() {
        std::string out;
        for (std::string_view s : kSections) out += (out.empty() ? "" : ", ") + std::string(s);
        return out;
    }

    void ReadWorld(const File& file, const YAML::Node& key, const YAML::Node& n) {
        if (world_seen_) {
            Report(file, key, "section 'world' is defined twice (once per world)");
            return;
        }
        world_seen_ = true;
        if (!CheckMap(file, n, "world",
                      {"id", "title", "version", "summary", "therapeutic_focus", "techniques",
                       "content_notes", "age_guidance", "locale", "start", "intro"})) {
            return;
        }
        Metadata& m = pack_->meta;
        m.pos = Pos(file, key);
        m.id = String(file, n, "id");
        m.title = String(file, n, "title");
        if (m.id.empty())
            Report(file, key, "world has no 'id'");
        else if (!IsId(m.id))
            Report(file, Get(n, "id"),
                   "world id '" + m.id + "' must be lowercase snake_case (a-z, 0-9, '_')");
        if (m.title.empty()) Report(file, key, "world has no 'title'");
        if (auto v = Integer(file, Get(n, "version"), "version")) m.version = static_cast<int>(*v);
        m.summary = String(file, n, "summary");
        m.therapeutic_focus = Words(file, n, "therapeutic_focus");
        m.techniques = Words(file, n, "techniques");
        m.content_notes = Words(file, n, "content_notes");
        m.age_guidance = String(file, n, "age_guidance");
        m.locale = String(file, n, "locale", "en");
        m.intro = ReadText(file, n, "intro");
        const YAML::Node start = Get(n, "start");
        if (auto s = Scalar(file, start, "start")) {
            m.start = *s;
            Refer(file, start, *s, {Kind::kPlace},
                  [](Pack& p, Kind, int i) { p.meta.start_index = i; });
        } else {
            Report(file, key, "world has no 'start' (the place id where play begins)");
        }
    }

    void ReadVariable(const File& file, const YAML::Node& key, const std::string& id,
                      const YAML::Node& n) {
        if (id == kTurnsVariable) {
            Report(file, key, "'turns' is built in (it counts turns) and cannot be declared");
            return;
        }
        Variable v;
        v.id = id;
        v.pos = Pos(file, key);
        // Short form: `lantern_lit: false`, `coins: 3`, `tide: high`.
        if (n.IsScalar()) {
            const std::string& s = n.Scalar();
            const std::string type = TypeOfScalar(n);
            if (type == "flag") {
                v.type = VarType::kFlag;
                v.initial = *ParseBool(s);
            } else if (type == "number") {
                v.type = VarType::kNumber;
                v.initial = *ParseNumber(s);
            } else {
                v.type = VarType::kString;
                v.initial = s;
            }
        } else if (CheckMap(file, n, "a variable", {"type", "initial", "min", "max", "values"})) {
            const YAML::Node type = Get(n, "type");
            const YAML::Node initial = Get(n, "initial");
            std::string t = String(file, n, "type");
            if (t.empty()) {
                if (!Present(initial)) {
                    Report(file, key,
                           "variable '" + id + "' needs a 'type' (flag, number or string)");
                    return;
                }
                auto s = Scalar(file, initial, "initial");
                if (!s) return;
                t = TypeOfScalar(initial);
            }
            if (t == "flag" || t == "bool" || t == "boolean") {
                v.type = VarType::kFlag;
                v.initial = false;
                if (auto s = Scalar(file, initial, "initial")) {
                    auto b = ParseBool(*s);
                    if (!b)
                        Report(file, initial, "'initial' of a flag must be true or false");
                    else
                        v.initial = *b;
                }
            } else if (t == "number") {
                v.type = VarType::kNumber;
                v.initial = std::int64_t{0};
                if (auto i = Integer(file, initial, "initial")) v.initial = *i;
                if (auto i = Integer(file, Get(n, "min"), "min")) v.min = *i;
                if (auto i = Integer(file, Get(n, "max"), "max")) v.max = *i;
                if (v.min && v.max && *v.min > *v.max) {
                    Report(file, Get(n, "min"), "'min' is greater than 'max'");
                }
                const std::int64_t init = std::get<std::int64_t>(v.initial);
                if ((v.min && init < *v.min) || (v.max && init > *v.max)) {
                    Report(file, Present(initial) ? initial : key,
                           "initial value " + std::to_string(init) + " is outside min..max");
                }
            } else if (t == "string" || t == "text") {
                v.type = VarType::kString;
                v.initial = std::string();
                if (auto s = Scalar(file, initial, "initial")) v.initial = *s;
                v.values = Words(file, n, "values");
                const std::string& init = std::get<std::string>(v.initial);
                if (!v.values.empty() &&
                    std::find(v.values.begin(), v.values.end(), init) == v.values.end()) {
                    Report(file, Present(initial) ? initial : key,
                           "initial value '" + init + "' is not one of the values");
                }
            } else {
                Report(file, type, "unknown type '" + t + "' (use flag, number or string)");
                return;
            }
            if (v.type != VarType::kNumber && (Present(Get(n, "min")) || Present(Get(n, "max")))) {
                Report(file, Present(Get(n, "min")) ? Get(n, "min") : Get(n, "max"),
                       "'min' and 'max' apply to numbers only");
            }
            if (v.type != VarType::kString && Present(Get(n, "values"))) {
                Report(file, Get(n, "values"), "'values' applies to strings only");
            }
        } else {
            return;
        }
        if (id == kStressVariable) {
            if (stress_declared_) {
                DefineId(file, key, id, Kind::kVariable);  // reports the duplicate
                return;
            }
            stress_declared_ = true;
            if (v.type != VarType::kNumber) {
                Report(file, key, "'stress' is a number (0 to 10 unless you set min and max)");
                return;
            }
            Variable& builtin = pack_->variables[1];
            builtin.initial = v.initial;
            if (v.min) builtin.min = v.min;
            if (v.max) builtin.max = v.max;
            builtin.pos = v.pos;
            defined_.emplace(id, std::make_pair(Kind::kVariable, v.pos));
            return;
        }
        DefineId(file, key, id, Kind::kVariable);
        pack_->variables.push_back(std::move(v));
    }

    void ReadPlace(const File& file, const YAML::Node& key, const std::string& id,
                   const YAML::Node& n) {
        DefineId(file, key, id, Kind::kPlace);
        if (!CheckMap(file, n, "a place",
                      {"name", "aliases", "description", "first_visit", "exits", "ending"})) {
            return;
        }
        const std::size_t index = pack_->places.size();
        Place p;
        p.id = id;
        p.pos = Pos(file, key);
        p.name = String(file, n, "name", IdToName(id));
        p.aliases = Words(file, n, "aliases");
        p.description = ReadText(file, n, "description");
        p.first_visit = ReadText(file, n, "first_visit");
        p.ending = Bool(file, n, "ending", false);
        const YAML::Node exits = Get(n, "exits");
        if (Present(exits)) {
            if (!exits.IsMap()) {
                Report(file, exits, "'exits' must be a map of direction: place");
            } else {
                CheckMap(file, exits, "exits", {});
                for (auto e = exits.begin(); e != exits.end(); ++e) {
                    if (!e->first.IsScalar()) continue;
                    ReadExit(file, index, p, e->first, e->second);
                }
            }
        }
        pack_->places.push_back(std::move(p));
    }

    void ReadExit(const File& file, std::size_t place, Place& p, const YAML::Node& key,
                  const YAML::Node& n) {
        const std::string& dir = key.Scalar();
        if (!IsDirection(dir)) {
            std::vector<std::string_view> dirs(std::begin(kDirections), std::end(kDirections));
            Report(file, key, "unknown direction '" + dir + "'" + detail::DidYouMean(dir, dirs));
            return;
        }
        const std::size_t index = p.exits.size();
        Exit x;
        x.direction = dir;
        x.pos = Pos(file, key);
        // yaml-cpp nodes are handles: assigning one to another rewrites the document, so the
        // destination node is chosen once, never reassigned.
        const YAML::Node to = n.IsMap() ? Get(n, "to") : n;
        if (n.IsMap()) {
            if (!CheckMap(file, n, "an exit", {"to", "name", "when", "blocked", "hidden"})) return;
            x.name = String(file, n, "name");
            x.blocked = ReadText(file, n, "blocked");
            x.hidden = Bool(file, n, "hidden", false);
            Condition(file, n, "when", [place, index](Pack& pk) -> class Condition& {
                return pk.places[place].exits[index].when;
            });
        }
        if (auto s = Scalar(file, to, "to")) {
            x.to = *s;
            Refer(file, to, *s, {Kind::kPlace}, [place, index](Pack& pk, Kind, int i) {
                pk.places[place].exits[index].to_index = i;
            });
        } else if (!to.IsDefined() || to.IsNull()) {
            Report(file, key, "exit " + dir + " has no destination ('to: PLACE')");
        }
        p.exits.push_back(std::move(x));
    }

    static std::optional<Pronouns> ParsePronouns(std::string_view s) {
        std::vector<std::string> parts;
        std::string current;
        for (char c : s) {
            if (c == '/') {
                parts.push_back(current);
                current.clear();
            } else if (c != ' ') {
                current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
        parts.push_back(current);
        if (std::any_of(parts.begin(), parts.end(),
                        [](const std::string& p) { return p.empty(); })) {
            return std::nullopt;
        }
        if (parts.size() == 3) return Pronouns{parts[0], parts[1], parts[2]};
        if (parts.size() != 2) return std::nullopt;
        if (parts[0] == "she") return Pronouns{"she", "her", "her"};
        if (parts[0] == "he") return Pronouns{"he", "him", "his"};
        if (parts[0] == "they") return Pronouns{"they", "them", "their"};
        if (parts[0] == "it") return Pronouns{"it", "it", "its"};
        return std::nullopt;
    }

    void ReadPerson(const File& file, const YAML::Node& key, const std::string& id,
                    const YAML::Node& n) {
        DefineId(file, key, id, Kind::kPerson);
        if (!CheckMap(file, n, "a person",
                      {"name", "aliases", "pronouns", "location", "description", "greeting",
                       "trust", "topics", "scene"})) {
            return;
        }
        const std::size_t index = pack_->people.size();
        Person p;
        p.id = id;
        p.pos = Pos(file, key);
        p.name = String(file, n, "name", IdToName(id));
        p.aliases = Words(file, n, "aliases");
        const YAML::Node pronouns = Get(n, "pronouns");
        if (auto s = Scalar(file, pronouns, "pronouns")) {
            if (auto parsed = ParsePronouns(*s)) {
                p.pronouns = *parsed;
                p.pronouns_source = *s;
            } else {
                Report(file, pronouns,
                       "pronouns: write 'she/her', 'he/him', 'they/them', "
                       "'it/its' or three words like 'xe/xem/xyr'");
            }
        }
        const YAML::Node location = Get(n, "location");
        if (auto s = Scalar(file, location, "location")) {
            p.location = *s;
            Refer(file, location, *s, {Kind::kPlace},
                  [index](Pack& pk, Kind, int i) { pk.people[index].location_index = i; });
        }
        p.description = ReadText(file, n, "description");
        p.greeting = ReadText(file, n, "greeting");
        if (auto t = Integer(file, Get(n, "trust"), "trust")) p.trust = *t;
        const YAML::Node scene = Get(n, "scene");
        if (auto s = Scalar(file, scene, "scene")) {
            p.scene = *s;
            Refer(file, scene, *s, {Kind::kScene},
                  [index](Pack& pk, Kind, int i) { pk.people[index].scene_index = i; });
        }
        const YAML::Node topics = Get(n, "topics");
        if (Present(topics) && CheckMap(file, topics, "topics", {})) {
            for (auto t = topics.begin(); t != topics.end(); ++t) {
                if (!t->first.IsScalar()) continue;
                ReadTopic(file, index, p, t->first, t->second);
            }
        }
        pack_->people.push_back(std::move(p));
    }

    void ReadTopic(const File& file, std::size_t person, Person& p, const YAML::Node& key,
                   const YAML::Node& n) {
        const std::string& id = key.Scalar();
        if (id == "default") {
            if (n.IsScalar()) {
                p.default_topic.variants.push_back(n.Scalar());
                p.default_topic.pos = Pos(file, n);
            } else if (CheckMap(file, n, "the default topic", {"text"})) {
                p.default_topic = ReadText(file, n, "text");
            }
            return;
        }
        if (!IsId(id)) {
            Report(file, key, "topic id '" + id + "' must be lowercase snake_case (a-z, 0-9, '_')");
        }
        const std::size_t index = p.topics.size();
        Topic t;
        t.id = id;
        t.pos = Pos(file, key);
        if (n.IsScalar() || n.IsSequence()) {
            // Short form: `weather: "'Cold,' she says."`
            t.text.pos = Pos(file, n);
            if (n.IsScalar()) {
                t.text.variants.push_back(n.Scalar());
            } else {
                for (const YAML::Node& v : n) {
                    if (v.IsScalar())
                        t.text.variants.push_back(v.Scalar());
                    else
                        Report(file, v, "each variant of a topic must be text");
                }
            }
        } else if (CheckMap(file, n, "a topic", {"aliases", "text", "when", "locked", "effects"})) {
            t.aliases = Words(file, n, "aliases");
            t.text = ReadText(file, n, "text");
            t.locked = ReadText(file, n, "locked");
            if (t.text.empty()) Report(file, key, "topic '" + id + "' has no 'text'");
            Condition(file, n, "when", [person, index](Pack& pk) -> class Condition& {
                return pk.people[person].topics[index].when;
            });
            Effects(file, n, "effects", [person, index](Pack& pk) -> Script& {
                return pk.people[person].topics[index].effects;
            });
        } else {
            return;
        }
        for (const Topic& other : p.topics) {
            if (other.id == id) Report(file, key, "topic '" + id + "' is defined twice");
        }
        p.topics.push_back(std::move(t));
    }

    void ReadItem(const File& file, const YAML::Node& key, const std::string& id,
                  const YAML::Node& n) {
        DefineId(file, key, id, Kind::kItem);
        if (!CheckMap(file, n, "an item",
                      {"name", "aliases", "description", "location", "portable", "take_text"})) {
            return;
        }
        const std::size_t index = pack_->items.size();
        Item item;
        item.id = id;
        item.pos = Pos(file, key);
        item.name = String(file, n, "name", IdToName(id));
        item.aliases = Words(file, n, "aliases");
        item.description = ReadText(file, n, "description");
        item.portable = Bool(file, n, "portable", true);
        item.take_text = ReadText(file, n, "take_text");
        const YAML::Node location = Get(n, "location");
        if (auto s = Scalar(file, location, "location")) {
            if (*s == "player") {
                item.location = {Where::Kind::kPlayer, -1};
            } else {
                Refer(file, location, *s, {Kind::kPlace, Kind::kPerson},
                      [index](Pack& pk, Kind kind, int i) {
                          pk.items[index].location = {
                              kind == Kind::kPlace ? Where::Kind::kPlace : Where::Kind::kPerson, i};
                      });
            }
        }
        pack_->items.push_back(std::move(item));
    }

    void ReadRules(const File& file, const YAML::Node& n) {
        if (!n.IsSequence()) {
            Report(file, n, "'rules' must be a list; start each rule with '- id: NAME'");
            return;
        }
        for (const YAML::Node& r : n) ReadRule(file, r);
    }

    void ReadRule(const File& file, const YAML::Node& n) {
        if (!CheckMap(file, n, "a rule", {"id", "on", "when", "effects", "text", "once", "then"})) {
            return;
        }
        const YAML::Node id_node = Get(n, "id");
        auto id = Scalar(file, id_node, "id");
        if (!id) {
            Report(file, n, "rule has no 'id'");
            return;
        }
        DefineId(file, id_node, *id, Kind::kRule);
        const std::size_t index = pack_->rules.size();
        Rule r;
        r.id = *id;
        r.pos = Pos(file, id_node);
        r.text = ReadText(file, n, "text");
        r.once = Bool(file, n, "once", false);
        const YAML::Node then = Get(n, "then");
        if (auto s = Scalar(file, then, "then")) {
            if (*s == "continue")
                r.then_continue = true;
            else if (*s != "stop")
                Report(file, then, "'then' must be 'continue' or 'stop'");
        }
        const YAML::Node on = Get(n, "on");
        if (auto s = Scalar(file, on, "on")) {
            r.on_source = *s;
            ReadPattern(file, on, *s, r.on);
        } else {
            Report(file, id_node,
                   "rule '" + *id + "' has no 'on' (what it reacts to, e.g. 'take key' or 'turn')");
        }
        Condition(file, n, "when",
                  [index](Pack& pk) -> class Condition& { return pk.rules[index].when; });
        Effects(file, n, "effects",
                [index](Pack& pk) -> Script& { return pk.rules[index].effects; });
        pack_->rules.push_back(std::move(r));
    }

    void ReadPattern(const File& file, const YAML::Node& node, const std::string& source,
                     Pattern& pattern) {
        std::vector<std::string> words;
        std::istringstream in(source);
        for (std::string w; in >> w;) words.push_back(w);
        static const std::vector<std::pair<std::string_view, Trigger>> kTriggers = {
            {"go", Trigger::kGo},           {"enter", Trigger::kEnter},
            {"take", Trigger::kTake},       {"drop", Trigger::kDrop},
            {"use", Trigger::kUse},         {"give", Trigger::kGive},
            {"open", Trigger::kOpen},       {"examine", Trigger::kExamine},
            {"talk", Trigger::kTalk},       {"ask", Trigger::kAsk},
            {"look", Trigger::kLook},       {"reflect", Trigger::kReflect},
            {"breathe", Trigger::kBreathe}, {"wait", Trigger::kWait},
            {"turn", Trigger::kTurn}};
        const std::string usage =
            "'on' must be one of: go PLACE, enter PLACE, take ITEM, drop ITEM, use ITEM, use ITEM "
            "on THING, give ITEM to PERSON, open ITEM, examine THING, talk PERSON, ask PERSON "
            "about TOPIC, look, reflect [EMOTION], breathe, wait, turn";
        if (words.empty()) {
            Report(file, node, usage);
            return;
        }
        auto found = std::find_if(kTriggers.begin(), kTriggers.end(),
                                  [&](const auto& t) { return t.first == words[0]; });
        if (found == kTriggers.end()) {
            std::vector<std::string_view> names;
            for (const auto& t : kTriggers) names.push_back(t.first);
            Report(file, node,
                   "unknown action '" + words[0] + "'" + detail::DidYouMean(words[0], names) +
                       "; " + usage);
            return;
        }
        pattern.trigger = found->second;
        if (pattern.trigger == Trigger::kTalk && words.size() > 1 && words[1] == "to") {
            words.erase(words.begin() + 1);
        }
        const std::vector<Kind> any_thing = {Kind::kPlace, Kind::kPerson, Kind::kItem};
        auto object = [&](std::string_view word, std::vector<Kind> kinds, bool target) {
            std::string& slot = target ? pattern.target : pattern.object;
            if (word == "any") return;
            slot = std::string(word);
            Refer(file, node, slot, std::move(kinds), nullptr);
        };
        auto shape = [&](std::size_t count, std::string_view joiner = {}) {
            const bool ok =
                words.size() == count && (joiner.empty() || (count == 4 && words[2] == joiner));
            if (!ok) Report(file, node, usage);
            return ok;
        };
        switch (pattern.trigger) {
            case Trigger::kLook:
            case Trigger::kBreathe:
            case Trigger::kWait:
            case Trigger::kTurn:
                shape(1);
                break;
            case Trigger::kReflect:
                if (words.size() == 2 && words[1] != "any")
                    pattern.object = words[1];
                else if (words.size() > 2)
                    Report(file, node, usage);
                break;
            case Trigger::kGo:
            case Trigger::kEnter:
                if (shape(2)) object(words[1], {Kind::kPlace}, false);
                break;
            case Trigger::kTake:
            case Trigger::kDrop:
            case Trigger::kOpen:
                if (shape(2)) object(words[1], {Kind::kItem}, false);
                break;
            case Trigger::kExamine:
                if (shape(2)) object(words[1], any_thing, false);
                break;
            case Trigger::kTalk:
                if (shape(2)) object(words[1], {Kind::kPerson}, false);
                break;
            case Trigger::kUse:
                if (words.size() == 2) {
                    object(words[1], {Kind::kItem}, false);
                } else if (shape(4, "on")) {
                    object(words[1], {Kind::kItem}, false);
                    object(words[3], any_thing, true);
                }
                break;
            case Trigger::kGive:
                if (shape(4, "to")) {
                    object(words[1], {Kind::kItem}, false);
                    object(words[3], {Kind::kPerson}, true);
                }
                break;
            case Trigger::kAsk:
                if (shape(4, "about")) {
                    object(words[1], {Kind::kPerson}, false);
                    if (words[3] != "any") pattern.target = words[3];
                    if (words[1] != "any" && words[3] != "any") {
                        asked_topics_.push_back({Pos(file, node), words[1], words[3]});
                    }
                }
                break;
        }
    }

    struct AskedTopic {
        SourcePos pos;
        std::string person;
        std::string topic;
    };
    std::vector<AskedTopic> asked_topics_;

    void ReadScene(const File& file, const YAML::Node& key, const std::string& id,
                   const YAML::Node& n) {
        DefineId(file, key, id, Kind::kScene);
        if (!CheckMap(file, n, "a scene",
                      {"technique", "person", "place", "when", "offer", "content_tags", "start",
                       "nodes"})) {
            return;
        }
        const std::size_t index = pack_->scenes.size();
        Scene s;
        s.id = id;
        s.pos = Pos(file, key);
        s.technique = String(file, n, "technique");
        s.offer = ReadText(file, n, "offer");
        s.content_tags = Words(file, n, "content_tags");
        const YAML::Node person = Get(n, "person");
        if (auto v = Scalar(file, person, "person")) {
            s.person = *v;
            Refer(file, person, *v, {Kind::kPerson},
                  [index](Pack& pk, Kind, int i) { pk.scenes[index].person_index = i; });
        }
        const YAML::Node place = Get(n, "place");
        if (auto v = Scalar(file, place, "place")) {
            s.place = *v;
            Refer(file, place, *v, {Kind::kPlace},
                  [index](Pack& pk, Kind, int i) { pk.scenes[index].place_index = i; });
        }
        Condition(file, n, "when",
                  [index](Pack& pk) -> class Condition& { return pk.scenes[index].when; });
        const YAML::Node nodes = Get(n, "nodes");
        if (!Present(nodes) || !nodes.IsMap() || nodes.size() == 0) {
            Report(file, Present(nodes) ? nodes : key,
                   "scene '" + id + "' needs 'nodes' (a map of node ids)");
        } else {
            CheckMap(file, nodes, "nodes", {});
            for (auto it = nodes.begin(); it != nodes.end(); ++it) {
                if (!it->first.IsScalar()) continue;
                ReadNode(file, index, s, it->first, it->second);
            }
        }
        const YAML::Node start = Get(n, "start");
        if (auto v = Scalar(file, start, "start")) {
            s.start = *v;
            if (s.FindNode(*v) == nullptr && !s.nodes.empty()) {
                Report(file, start,
                       "unknown node '" + *v + "' in scene '" + id + "'" + NodeSuggestion(s, *v));
            }
        } else if (!s.nodes.empty()) {
            s.start = s.nodes.front().id;
        }
        if (const SceneNode* first = s.FindNode(s.start))
            s.start_index = static_cast<int>(first - s.nodes.data());
        // goto targets, now that every node is known
        for (SceneNode& node : s.nodes) {
            for (Choice& c : node.choices) {
                if (c.go_to.empty()) continue;
                const SceneNode* target = s.FindNode(c.go_to);
                if (target == nullptr) {
                    Report(c.pos, "unknown node '" + c.go_to + "' in scene '" + id + "'" +
                                      NodeSuggestion(s, c.go_to));
                } else {
                    c.go_to_index = static_cast<int>(target - s.nodes.data());
                }
            }
        }
        pack_->scenes.push_back(std::move(s));
    }

    static std::string NodeSuggestion(const Scene& s, const std::string& word) {
        std::vector<std::string_view> ids;
        for (const SceneNode& node : s.nodes) ids.push_back(node.id);
        return detail::DidYouMean(word, ids);
    }

    void ReadNode(const File& file, std::size_t scene, Scene& s, const YAML::Node& key,
                  const YAML::Node& n) {
        const std::string& id = key.Scalar();
        if (!IsId(id))
            Report(file, key, "node id '" + id + "' must be lowercase snake_case (a-z, 0-9, '_')");
        if (s.FindNode(id) != nullptr) Report(file, key, "node '" + id + "' is defined twice");
        if (!CheckMap(file, n, "a scene node", {"text", "effects", "choices", "end"})) return;
        const std::size_t index = s.nodes.size();
        SceneNode node;
        node.id = id;
        node.pos = Pos(file, key);
        node.text = ReadText(file, n, "text");
        node.end = String(file, n, "end");
        Effects(file, n, "effects", [scene, index](Pack& pk) -> Script& {
            return pk.scenes[scene].nodes[index].effects;
        });
        const YAML::Node choices = Get(n, "choices");
        if (Present(choices)) {
            if (!choices.IsSequence()) {
                Report(file, choices,
                       "'choices' must be a list; start each choice with '- text: ...'");
            } else {
                for (const YAML::Node& c : choices) {
                    ReadChoice(file, scene, index, node, c);
                }
            }
        }
        if (!node.end.empty() && !node.choices.empty()) {
            Report(file, Get(n, "end"),
                   "a node with 'end' ends the scene; its choices would never be shown");
        }
        s.nodes.push_back(std::move(node));
    }

    void ReadChoice(const File& file, std::size_t scene, std::size_t node_index, SceneNode& node,
                    const YAML::Node& n) {
        if (!CheckMap(file, n, "a choice", {"text", "when", "effects", "reply", "goto", "end"})) {
            return;
        }
        const std::size_t index = node.choices.size();
        Choice c;
        c.pos = Pos(file, n);
        c.text = ReadText(file, n, "text");
        if (c.text.empty()) Report(file, n, "choice has no 'text' (the words the player picks)");
        c.reply = ReadText(file, n, "reply");
        c.go_to = String(file, n, "goto");
        c.end = String(file, n, "end");
        if (c.go_to.empty() && c.end.empty()) {
            Report(file, n, "choice needs 'goto: NODE' or 'end: OUTCOME'");
        } else if (!c.go_to.empty() && !c.end.empty()) {
            Report(file, Get(n, "end"), "choice has both 'goto' and 'end'; keep one");
        }
        Condition(file, n, "when", [scene, node_index, index](Pack& pk) -> class Condition& {
            return pk.scenes[scene].nodes[node_index].choices[index].when;
        });
        Effects(file, n, "effects", [scene, node_index, index](Pack& pk) -> Script& {
            return pk.scenes[scene].nodes[node_index].choices[index].effects;
        });
        node.choices.push_back(std::move(c));
    }

    void ReadEnding(const File& file, const YAML::Node& key, const std::string& id,
                    const YAML::Node& n) {
        DefineId(file, key, id, Kind::kEnding);
        if (!CheckMap(file, n, "an ending", {"title", "when", "text"})) return;
        const std::size_t index = pack_->endings.size();
        Ending e;
        e.id = id;
        e.pos = Pos(file, key);
        e.title = String(file, n, "title", IdToName(id));
        e.text = ReadText(file, n, "text");
        Condition(file, n, "when",
                  [index](Pack& pk) -> class Condition& { return pk.endings[index].when; });
        pack_->endings.push_back(std::move(e));
    }

    // ---- pass two ----

    std::vector<std::string_view> IdsOf(const std::vector<Kind>& kinds) const {
        std::vector<std::string_view> out;
        for (const auto& [id, entry] : defined_) {
            if (std::find(kinds.begin(), kinds.end(), entry.first) != kinds.end())
                out.push_back(id);
        }
        return out;
    }

    static std::string KindList(const std::vector<Kind>& kinds) {
        std::string out;
        for (std::size_t i = 0; i < kinds.size(); ++i) {
            if (i > 0) out += i + 1 == kinds.size() ? " or " : ", ";
            out += KindName(kinds[i]);
        }
        return out;
    }

    void ResolveReferences() {
        Pack& pack = *pack_;
        for (Reference& r : references_) {
            const std::optional<Kind> kind = pack.KindOf(r.id);
            if (!kind) {
                Report(r.pos, "unknown " + KindList(r.kinds) + " '" + r.id + "'" +
                                  detail::DidYouMean(r.id, IdsOf(r.kinds)));
                continue;
            }
            if (std::find(r.kinds.begin(), r.kinds.end(), *kind) == r.kinds.end()) {
                Report(r.pos, "'" + r.id + "' is " + detail::WithArticle(*kind) + "; expected " +
                                  KindList(r.kinds));
                continue;
            }
            if (!r.store) continue;
            int index = -1;
            switch (*kind) {
                case Kind::kPlace:
                    index = pack.PlaceIndex(r.id);
                    break;
                case Kind::kPerson:
                    index = pack.PersonIndex(r.id);
                    break;
                case Kind::kScene:
                    index = pack.SceneIndex(r.id);
                    break;
                default:
                    index = -1;
                    break;
            }
            r.store(pack, *kind, index);
        }
        for (const AskedTopic& a : asked_topics_) {
            const Person* person = pack.FindPerson(a.person);
            if (person != nullptr && person->FindTopic(a.topic) == nullptr) {
                std::vector<std::string_view> topics;
                for (const Topic& t : person->topics) topics.push_back(t.id);
                Report(a.pos, "'" + a.person + "' has no topic '" + a.topic + "'" +
                                  detail::DidYouMean(a.topic, topics));
            }
        }
    }

    // Where byte `offset` of a scalar's value sits in the file. Exact for one-line plain and
    // quoted scalars; for folded or block scalars (where the text was rewrapped) it points at
    // the start of the scalar.
    SourcePos OffsetPos(const File& file, const YAML::Node& node, const std::string& value,
                        std::size_t offset) {
        SourcePos pos = Pos(file, node);
        const YAML::Mark m = node.Mark();
        if (m.line < 0 || static_cast<std::size_t>(m.line) >= file.line_starts.size()) return pos;
        const std::size_t at =
            file.line_starts[static_cast<std::size_t>(m.line)] + static_cast<std::size_t>(m.column);
        if (at >= file.text.size()) return pos;
        const std::size_t quote = (file.text[at] == '"' || file.text[at] == '\'') ? 1 : 0;
        if (file.text.substr(at + quote, value.size()) != value ||
            value.find('\n') != std::string::npos) {
            return pos;
        }
        pos.col += static_cast<int>(quote + offset);
        return pos;
    }

    void CompileExpressions() {
        Pack& pack = *pack_;
        for (Pending& p : pending_) {
            std::vector<ExprError> errors;
            if (p.effects) {
                Script s = CompileEffects(p.source, pack, errors);
                if (errors.empty()) p.script(pack).Append(std::move(s));
            } else {
                class Condition c = CompileCondition(p.source, pack, errors);
                if (errors.empty()) p.condition(pack) = std::move(c);
            }
            for (const ExprError& e : errors) {
                Report(OffsetPos(*p.file, p.node, p.source, e.offset), e.message);
            }
        }
    }

    // Template syntax, and `{{var.x}}` / `{{#flag.x}}` names against the variables.
    void CheckTemplates() {
        Pack& pack = *pack_;
        auto check = [&](const Text& t) {
            for (const std::string& source : t.variants) CheckTemplate(pack, t, source);
        };
        check(pack.meta.intro);
        for (const Place& p : pack.places) {
            check(p.description);
            check(p.first_visit);
            for (const Exit& x : p.exits) check(x.blocked);
        }
        for (const Person& p : pack.people) {
            check(p.description);
            check(p.greeting);
            check(p.default_topic);
            for (const Topic& t : p.topics) {
                check(t.text);
                check(t.locked);
            }
        }
        for (const Item& i : pack.items) {
            check(i.description);
            check(i.take_text);
        }
        for (const Rule& r : pack.rules) check(r.text);
        for (const Scene& s : pack.scenes) {
            check(s.offer);
            for (const SceneNode& n : s.nodes) {
                check(n.text);
                for (const Choice& c : n.choices) {
                    check(c.text);
                    check(c.reply);
                }
            }
        }
        for (const Ending& e : pack.endings) check(e.text);
    }

    void CheckTemplate(const Pack& pack, const Text& t, const std::string& source) {
        kainjow::mustache::mustache tmpl(source);
        if (!tmpl.is_valid()) {
            Report(t.pos, "template: " + tmpl.error_message());
            return;
        }
        // Names inside {{...}}, {{#...}}, {{^...}}, {{{...}}}, {{&...}}.
        std::size_t i = 0;
        while ((i = source.find("{{", i)) != std::string::npos) {
            const std::size_t end = source.find("}}", i + 2);
            if (end == std::string::npos) break;
            std::string name = source.substr(i + 2, end - i - 2);
            i = end + 2;
            while (!name.empty() &&
                   (name.front() == '#' || name.front() == '^' || name.front() == '{' ||
                    name.front() == '&' || name.front() == '/' || name.front() == ' ')) {
                name.erase(name.begin());
            }
            while (!name.empty() && (name.back() == ' ' || name.back() == '}')) name.pop_back();
            for (std::string_view prefix : {"var.", "flag."}) {
                if (!name.starts_with(prefix)) continue;
                const std::string id = name.substr(prefix.size());
                const Variable* v = pack.FindVariable(id);
                std::vector<std::string_view> ids;
                for (const Variable& var : pack.variables) ids.push_back(var.id);
                if (v == nullptr) {
                    Report(t.pos, "template: unknown variable '" + id + "' in {{" + name + "}}" +
                                      detail::DidYouMean(id, ids));
                } else if (prefix == "flag." && v->type != VarType::kFlag) {
                    Report(t.pos, "template: '" + id + "' is a " + TypeName(v->type) +
                                      ", not a flag; use {{var." + id + "}}");
                }
            }
        }
    }
};

}  // namespace

Result<std::shared_ptr<const Pack>> LoadPackFromSources(const std::vector<SourceFile>& files,
                                                        std::vector<Diagnostic>& diagnostics) {
    Loader loader(diagnostics);
    return loader.Load(files);
}

Result<std::shared_ptr<const Pack>> LoadPack(const std::filesystem::path& dir,
                                             std::vector<Diagnostic>& diagnostics) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        diagnostics.push_back({dir.string(), 0, 0, Severity::kError, "not a folder"});
        return Error::NotFound("no world folder at " + dir.string());
    }
    std::vector<fs::path> paths;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (it->is_regular_file(ec) && (p.extension() == ".yaml" || p.extension() == ".yml")) {
            paths.push_back(p);
        }
    }
    if (ec) {
        diagnostics.push_back(
            {dir.string(), 0, 0, Severity::kError, "cannot list: " + ec.message()});
        return Error::Unavailable("cannot list " + dir.string());
    }
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) {
        diagnostics.push_back({dir.string(), 0, 0, Severity::kError, "no *.yaml files"});
        return Error::NotFound("no world files in " + dir.string());
    }
    std::vector<SourceFile> sources;
    for (const fs::path& p : paths) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in.good() && !in.eof()) {
            diagnostics.push_back({p.string(), 0, 0, Severity::kError, "cannot read this file"});
            continue;
        }
        sources.push_back({p.string(), text.str()});
    }
    auto pack = LoadPackFromSources(sources, diagnostics);
    if (pack) {
        const std::string folder = fs::absolute(dir).lexically_normal().filename().string();
        const std::string name =
            folder.empty() ? fs::absolute(dir).lexically_normal().parent_path().filename().string()
                           : folder;
        const Pack& p = **pack;
        if (!p.meta.id.empty() && p.meta.id != name) {
            diagnostics.push_back(
                p.At(p.meta.pos,
                     "world id '" + p.meta.id + "' does not match its folder '" + name + "'"));
            diagnostics.back().severity = Severity::kWarning;
        }
    }
    return pack;
}

}  // namespace tta::world
