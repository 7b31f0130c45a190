// tta::world expressions: the small language authors write in `when:` conditions and
// `effects:` lists (grammar in docs/worlds.md, "Expressions"). Source text is lexed, parsed
// by recursive descent and resolved against the pack once, at load; a turn only walks the
// compiled tree, so evaluating a condition allocates nothing and takes nanoseconds.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tta/world/value.hpp"

namespace tta {
class Rng;
}

namespace tta::world {

struct Pack;
struct State;
struct Effect;

namespace detail {
struct Node;
struct Statement;
struct Compiler;
}  // namespace detail

// One problem in an expression. `offset` is the 0-based byte offset into the source text;
// the loader adds it to the YAML scalar's position to report line:col in the file.
struct ExprError {
    std::size_t offset = 0;
    std::string message;  // e.g. "expected ')'", "unknown name 'lantren' (did you mean 'lantern'?)"
    friend bool operator==(const ExprError&, const ExprError&) = default;
};

// What a condition or effect may read while it is evaluated. `rng` feeds `chance(N)`; when it
// is null (static checks, endings) `chance` reads as false.
struct EvalContext {
    const Pack& pack;
    const State& state;
    Rng* rng = nullptr;
};

// A compiled condition. The default (empty) condition always holds, so an absent `when:`
// needs no special case.
class Condition {
  public:
    Condition() = default;

    bool empty() const { return root_ == nullptr; }
    const std::string& source() const { return source_; }

    bool Holds(const EvalContext& ctx) const;
    // The value of the expression (a condition may also be read as a number or string).
    Value Evaluate(const EvalContext& ctx) const;

    // Ids of the places the condition requires the player to be at (`at(x)` joined by
    // `and`); the validator uses it to check that endings can be reached.
    std::vector<std::string> RequiredPlaces(const Pack& pack) const;

  private:
    friend struct detail::Compiler;
    std::shared_ptr<const detail::Node> root_;
    std::string source_;
};

// What one compiled effect statement does, for the validator's graph search.
struct EffectSummary {
    std::vector<std::string> goes_to;       // place ids from go(place)
    std::vector<std::string> reveals;       // "place.direction" from reveal(place, direction)
    std::vector<std::string> gives;         // item ids from give(item)
    std::vector<std::string> moves_items;   // item ids from move(item, ...) and remove(item)
    std::vector<std::string> moves_people;  // person ids from move(person, ...)
    std::vector<std::string> starts;        // scene ids from start(scene)
    std::vector<std::string> ends;          // ending ids from end(ending)
    bool checks_in = false;                 // check_in() or check_in(person)
};

// A compiled list of effect statements, run in order. Each statement sees the state left by
// the ones before it (so `set(x, 1)` then `x += 1` leaves 2).
class Script {
  public:
    Script() = default;

    bool empty() const { return statements_.empty(); }
    std::size_t size() const { return statements_.size(); }
    // The statements' source texts, one per statement.
    std::vector<std::string> Sources() const;
    EffectSummary Summary() const;

    // Appends the concrete effects (values resolved and clamped) to `out` and applies each to
    // `working` as it goes, so later statements read earlier results.
    void Run(const Pack& pack, State& working, Rng* rng, std::vector<Effect>& out) const;

    void Append(Script other);

  private:
    friend struct detail::Compiler;
    std::vector<std::shared_ptr<const detail::Statement>> statements_;
};

// Names an expression may use, looked up while compiling. The loader passes the pack being
// built; tests and the fuzzer may pass a pack with just the names they need.
// On failure the returned condition is empty and `errors` holds at least one entry; unknown
// names are all reported (not just the first), a syntax error stops at the first.
Condition CompileCondition(std::string_view source, const Pack& pack,
                           std::vector<ExprError>& errors);
// `source` holds one or more statements separated by ',' or ';' (outside parentheses).
Script CompileEffects(std::string_view source, const Pack& pack, std::vector<ExprError>& errors);

// Syntax only, no name resolution: for the fuzzer and for editors. Empty when it parses.
std::vector<ExprError> CheckConditionSyntax(std::string_view source);
std::vector<ExprError> CheckEffectsSyntax(std::string_view source);

}  // namespace tta::world
