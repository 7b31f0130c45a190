#include "tta/narrative/model/model_narrator.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tta/core/utf8.hpp"
#include "tta/narrative/model/http_transport.hpp"
#include "tta/narrative/model/prompt.hpp"
#include "tta/safety/output_gate.hpp"

namespace tta::narrative::model {
namespace {

using world::EventKind;
using SteadyClock = std::chrono::steady_clock;

std::int64_t MillisSince(SteadyClock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start)
        .count();
}

// The end of the last complete sentence in `text` at or after `from` (after its closing
// quotes and the space that follows), or `from` when none is complete yet.
std::size_t CompleteSentences(std::string_view text, std::size_t from) {
    std::size_t end = from;
    for (std::size_t i = from; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            end = i + 1;
            continue;
        }
        if (c != '.' && c != '!' && c != '?') continue;
        std::size_t j = i + 1;
        while (j < text.size() && (text[j] == '"' || text[j] == '\'' || text[j] == ')' ||
                                   text[j] == '.' || text[j] == '!' || text[j] == '?')) {
            ++j;
        }
        // ” and ’ close quotations too.
        while (j + 2 < text.size() && static_cast<unsigned char>(text[j]) == 0xE2 &&
               static_cast<unsigned char>(text[j + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[j + 2]) == 0x9D ||
                static_cast<unsigned char>(text[j + 2]) == 0x99)) {
            j += 3;
        }
        if (j < text.size() && (text[j] == ' ' || text[j] == '\n')) end = j + 1;
        i = j - 1;
    }
    return end;
}

// Model text as paragraphs: trimmed, markdown emphasis dropped, blank lines between.
std::vector<std::string> Paragraphs(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        while (!current.empty() && (current.back() == ' ' || current.back() == '\t')) {
            current.pop_back();
        }
        if (!current.empty()) out.push_back(std::move(current));
        current.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            flush();
            continue;
        }
        if (c == '*' || c == '#' || c == '_') continue;  // markdown the prompt asked not for
        if ((c == ' ' || c == '\t') && (current.empty() || current.back() == ' ')) continue;
        current += c == '\t' ? ' ' : c;
    }
    flush();
    return out;
}

bool Mentions(std::string_view normalised_text, std::string_view name) {
    std::string words = NormaliseForMatching(name);
    for (std::string_view article : {" the ", " a ", " an ", " some "}) {
        if (words.starts_with(article)) {
            words = " " + words.substr(article.size());
            break;
        }
    }
    if (normalised_text.find(words) != std::string_view::npos) return true;
    // "the lantern" mentions "a brass lantern".
    const auto last = words.rfind(' ', words.size() - 2);
    return last != std::string::npos && last > 0 &&
           normalised_text.find(words.substr(last)) != std::string_view::npos;
}

bool IsVerbatim(EventKind k) {
    return k == EventKind::kSceneNode || k == EventKind::kChoiceReply || k == EventKind::kEnding ||
           k == EventKind::kSceneEnded || k == EventKind::kReflected;
}

bool IsWorthProse(EventKind k) {
    switch (k) {
        case EventKind::kIntro:
        case EventKind::kArrived:
        case EventKind::kLook:
        case EventKind::kExamined:
        case EventKind::kTook:
        case EventKind::kGave:
        case EventKind::kGreeting:
        case EventKind::kTopic:
        case EventKind::kTopicLocked:
        case EventKind::kUnknownTopic:
        case EventKind::kRuleText:
        case EventKind::kSceneOffered:
            return true;
        default:
            return false;
    }
}

}  // namespace

OutputCheck SafetyOutputCheck() {
    return [](std::string_view text) -> std::optional<std::string> {
        const safety::OutputVerdict verdict = safety::OutputGate::Embedded().Check(text);
        if (verdict.safe) return std::nullopt;
        const auto reasons = verdict.Reasons();
        return reasons.empty() ? std::string("unsafe") : reasons.front();
    };
}

ModelNarratorOptions NarratorOptionsFrom(const ModelsConfig& config) {
    ModelNarratorOptions o;
    o.turn_timeout = config.turn_timeout;
    o.min_chars = config.min_chars;
    o.max_chars = config.max_chars;
    o.window_turns = config.window_turns;
    if (!config.voices_dir.empty()) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(config.voices_dir, ec)) {
            if (entry.path().extension() != ".txt") continue;
            std::ifstream in(entry.path());
            std::stringstream text;
            text << in.rdbuf();
            o.voices[entry.path().stem().string()] = SanitizeUtf8(text.str());
        }
    }
    return o;
}

std::optional<Task> TaskForTurn(const world::Outcome& outcome) {
    bool prose = false;
    bool dialogue = false;
    for (const auto& e : outcome.events) {
        if (IsVerbatim(e.kind)) return std::nullopt;
        prose = prose || IsWorthProse(e.kind);
        dialogue = dialogue || e.kind == EventKind::kGreeting || e.kind == EventKind::kTopic ||
                   e.kind == EventKind::kTopicLocked || e.kind == EventKind::kUnknownTopic;
    }
    if (!prose) return std::nullopt;
    return dialogue ? Task::kDialogue : Task::kNarration;
}

ModelNarrator::ModelNarrator(std::shared_ptr<ChatTransport> transport,
                             std::shared_ptr<ModelRouter> router, OutputCheck output_check,
                             ModelNarratorOptions options, metrics::Registry* registry)
    : transport_(std::move(transport)),
      router_(std::move(router)),
      output_check_(std::move(output_check)),
      options_(std::move(options)) {
    if (registry != nullptr) {
        turns_ = &registry->AddCounter(
            "tta_narrative_model_turns_total",
            "Turns by who narrated them (model or authored) and why authored text was used.",
            {"narrator", "reason"});
        checks_failed_ = &registry->AddCounter(
            "tta_narrative_model_checks_failed_total",
            "Model drafts refused before display, by the check that refused them.", {"check"});
        seconds_ = &registry
                        ->AddHistogram("tta_narrative_model_seconds",
                                       "Model work per narrated turn, regeneration included.", {})
                        .With({});
    }
}

const CoherenceChecker& ModelNarrator::CheckerFor(const world::Pack& pack) {
    std::lock_guard lock(checkers_mu_);
    auto& slot = checkers_[&pack];
    if (!slot) slot = std::make_unique<CoherenceChecker>(pack);
    return *slot;
}

std::vector<std::string> ModelNarrator::Window(const std::string& session,
                                               const std::string& previous) {
    std::lock_guard lock(windows_mu_);
    auto& window = windows_[session];
    // The engine's head text is the truth: after an undo, a restart or a turn narrated
    // elsewhere, what this process remembers no longer leads up to it.
    if (!previous.empty() && (window.empty() || window.back() != previous)) {
        window.assign(1, previous);
    }
    const std::size_t keep = static_cast<std::size_t>(std::max(0, options_.window_turns));
    const std::size_t from = window.size() > keep ? window.size() - keep : 0;
    return {window.begin() + static_cast<long>(from), window.end()};
}

void ModelNarrator::Remember(const std::string& session, std::string text) {
    std::lock_guard lock(windows_mu_);
    if (windows_.size() >= options_.max_sessions && !windows_.contains(session)) {
        windows_.erase(windows_.begin());  // any one; a lost window only costs continuity
    }
    auto& window = windows_[session];
    window.push_back(std::move(text));
    while (window.size() > static_cast<std::size_t>(std::max(1, options_.window_turns))) {
        window.pop_front();
    }
}

Narration ModelNarrator::Narrate(const world::Pack& pack, const world::Outcome& outcome,
                                 const PlayerInfo& player, Rng& rng,
                                 const NarrationContext& context) {
    const auto started = SteadyClock::now();
    Narration authored = authored_.Narrate(pack, outcome, player, rng, context);
    Provenance prov;
    bool sent = false;  // text reached the sink
    auto count = [&](std::string_view narrator, std::string_view reason) {
        if (turns_ != nullptr) turns_->With({narrator, reason}).Inc();
    };
    auto answer_authored = [&](std::string reason, bool fell_back) {
        if (sent && context.sink) context.sink({NarrationChunk::Kind::kRestart, ""});
        prov.narrator = "authored";
        prov.fell_back = fell_back;
        prov.reason = std::move(reason);
        prov.latency_ms = prov.attempts > 0 ? MillisSince(started) : 0;
        count("authored", prov.reason);
        if (!context.session_id.empty()) {
            std::string text;
            for (const auto& p : authored.paragraphs) text += (text.empty() ? "" : "\n\n") + p;
            Remember(context.session_id, std::move(text));
        }
        authored.provenance = prov;
        return authored;
    };

    const std::optional<Task> task = TaskForTurn(outcome);
    if (!task) return answer_authored("authored_turn", false);
    if (!router_->Serves(*task)) return answer_authored("no_provider", true);

    const CoherenceChecker& checker = CheckerFor(pack);
    const std::string authored_text = authored.Text();
    const TurnScope scope = checker.Scope(outcome, authored_text, player.name);
    const std::vector<std::string> window = context.session_id.empty()
                                                ? std::vector<std::string>{}
                                                : Window(context.session_id, context.previous_text);

    std::optional<Beat> beat = context.beat;
    if (!beat) {
        for (const auto& e : outcome.events) {
            if (e.kind != EventKind::kSceneOffered) continue;
            if (const auto* scene = pack.FindScene(e.subject); scene && !scene->technique.empty()) {
                beat = Beat{scene->technique, scene->id, "offered by the story"};
            }
        }
    }
    const auto voice = options_.voices.find(pack.meta.id);
    PromptInput input{.pack = &pack,
                      .outcome = &outcome,
                      .player = &player,
                      .action = context.action,
                      .authored = &authored,
                      .beat = beat,
                      .window = window,
                      .voice = voice == options_.voices.end() ? "" : voice->second,
                      .max_chars = options_.max_chars,
                      .correction = ""};
    const auto deadline = resilience::Deadline::After(options_.turn_timeout);

    // Why a draft is refused: the check's name and what to tell the model about it.
    struct Refusal {
        std::string check;
        std::string note;
    };
    auto refuse_sentence = [&](std::string_view sentence) -> std::optional<Refusal> {
        if (auto unsafe = output_check_ ? output_check_(sentence) : std::nullopt) {
            return Refusal{"output_gate",
                           "it touched on something the story must not (" + *unsafe + ")"};
        }
        auto issues = checker.Check(sentence, scope);
        if (!issues.empty()) return Refusal{issues.front().check, issues.front().detail};
        return std::nullopt;
    };

    std::string last_reason = "unavailable";
    for (int round = 0; round < 2; ++round) {
        const Prompt prompt = BuildPrompt(input);
        prov.prompt_hash = prompt.hash;

        std::string text;
        std::size_t checked = 0;  // bytes of `text` validated (and sent)
        std::optional<Refusal> refusal;
        Provider* provider = nullptr;

        RouteRequest request;
        request.task = *task;
        request.messages = prompt.messages;
        request.deadline = deadline;
        request.cancel = context.cancel;
        request.on_attempt = [&](Provider& p) {
            provider = &p;
            text.clear();
            checked = 0;
            if (sent && context.sink) context.sink({NarrationChunk::Kind::kRestart, ""});
            sent = false;
        };
        request.on_text = [&](std::string_view piece) {
            if (prov.first_token_ms < 0) prov.first_token_ms = MillisSince(started);
            text.append(piece);
            if (text.size() > options_.max_chars) {
                refusal = Refusal{"length", "it was too long; keep under " +
                                                std::to_string(options_.max_chars / 6) + " words"};
                return false;
            }
            const std::size_t end = CompleteSentences(text, checked);
            if (end == checked) return true;
            const std::string_view sentences(text.data() + checked, end - checked);
            if ((refusal = refuse_sentence(sentences))) return false;
            if (context.sink) {
                context.sink({NarrationChunk::Kind::kText, std::string(sentences)});
                sent = true;
            }
            checked = end;
            return true;
        };

        const RouteResult routed = router_->Route(request);
        prov.attempts += routed.attempts;
        prov.prompt_tokens += routed.usage.prompt_tokens;
        prov.completion_tokens += routed.usage.completion_tokens;
        prov.tokens_estimated = prov.tokens_estimated || routed.usage_estimated;
        if (routed.provider != nullptr) {
            prov.provider = routed.provider->Name();
            prov.model = routed.model;
        }

        if (routed.ok) {
            // The whole text: the tail after the last full sentence, then every check again
            // over all of it (a pattern can span sentences), then the length bounds.
            const std::string_view tail(text.data() + checked, text.size() - checked);
            if (!tail.empty()) refusal = refuse_sentence(tail);
            if (!refusal) refusal = refuse_sentence(text);
            std::size_t visible = 0;
            for (const auto& p : Paragraphs(text)) visible += p.size();
            if (!refusal && (visible < options_.min_chars || visible > options_.max_chars)) {
                refusal = Refusal{"length", visible < options_.min_chars ? "it was too short"
                                                                         : "it was too long"};
            }
            if (!refusal) {
                if (context.sink && !tail.empty()) {
                    context.sink({NarrationChunk::Kind::kText, std::string(tail)});
                }
                Narration out;
                out.paragraphs = Paragraphs(text);
                // What the player needs to act on, whether or not the prose said it.
                const std::string said = NormaliseForMatching(text);
                bool place_shown = false;
                for (const auto& e : outcome.events) {
                    place_shown =
                        place_shown || e.kind == EventKind::kArrived || e.kind == EventKind::kLook;
                }
                if (place_shown) {
                    const world::State& state = outcome.state;
                    std::vector<std::string> things;
                    for (int i : world::ItemsAt(state, state.player)) {
                        if (!Mentions(said, pack.items[i].name))
                            things.push_back(pack.items[i].name);
                    }
                    if (!things.empty()) {
                        out.paragraphs.push_back("You can see " + JoinList(things) + " here.");
                    }
                    std::vector<std::string> people;
                    for (int i : world::PeopleAt(state, state.player)) {
                        if (!Mentions(said, pack.people[i].name)) {
                            people.push_back(pack.people[i].name);
                        }
                    }
                    if (!people.empty()) {
                        out.paragraphs.push_back(JoinList(people) +
                                                 (people.size() == 1 ? " is" : " are") + " here.");
                    }
                    std::vector<std::string> exits;
                    for (const auto& exit : world::PlayerPlace(pack, state).exits) {
                        if (!world::ExitVisible(state, exit)) continue;
                        const std::string& to =
                            exit.name.empty() ? pack.places[exit.to_index].name : exit.name;
                        exits.push_back(exit.direction + " (" + to + ")");
                    }
                    if (!exits.empty()) out.paragraphs.push_back("Exits: " + JoinList(exits) + ".");
                }
                out.choices = authored.choices;
                prov.narrator = "model";
                prov.validated = true;
                prov.fell_back = false;
                prov.reason.clear();
                prov.latency_ms = MillisSince(started);
                if (seconds_ != nullptr) {
                    seconds_->Observe(
                        std::chrono::duration<double>(SteadyClock::now() - started).count());
                }
                count("model", "");
                if (!context.session_id.empty()) {
                    std::string remembered;
                    for (const auto& p : out.paragraphs) {
                        remembered += (remembered.empty() ? "" : "\n\n") + p;
                    }
                    Remember(context.session_id, std::move(remembered));
                }
                out.provenance = prov;
                return out;
            }
        }
        if (!refusal) {
            // The provider side failed (none available, all failed, out of time, cancelled,
            // broke off mid-stream): no regeneration, the authored text answers now.
            last_reason = routed.reason.empty() ? "unavailable" : routed.reason;
            break;
        }
        last_reason = refusal->check;
        if (checks_failed_ != nullptr) checks_failed_->With({refusal->check}).Inc();
        if (provider != nullptr) provider->Monitor().RecordRejection(refusal->check);
        input.correction = refusal->note;
    }
    if (seconds_ != nullptr && prov.attempts > 0) {
        seconds_->Observe(std::chrono::duration<double>(SteadyClock::now() - started).count());
    }
    return answer_authored(last_reason, true);
}

std::unique_ptr<NarrativeStage> MakeNarrator(const ModelsConfig& config,
                                             metrics::Registry& registry, const Clock& clock,
                                             std::vector<std::string>* warnings) {
    auto resolved = ResolveProviders(config);
    if (!resolved) {
        if (warnings != nullptr) warnings->push_back(resolved.error().message);
        return std::make_unique<AuthoredNarrator>();
    }
    if (warnings != nullptr) {
        warnings->insert(warnings->end(), resolved->warnings.begin(), resolved->warnings.end());
    }
    if (resolved->providers.empty()) return std::make_unique<AuthoredNarrator>();
    auto transport = std::make_shared<HttpTransport>();
    auto router = std::make_shared<ModelRouter>(
        std::move(resolved->providers), RouterOptionsFrom(config), *transport, clock, &registry);
    return std::make_unique<ModelNarrator>(std::move(transport), std::move(router),
                                           SafetyOutputCheck(), NarratorOptionsFrom(config),
                                           &registry);
}

}  // namespace tta::narrative::model
