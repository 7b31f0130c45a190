// The expression language (docs/worlds.md, "Expressions"): lexer, recursive-descent parser
// with name resolution and light type checks, and the evaluator. Syntax errors stop at the
// first one (later errors would only echo it); unknown names are all reported.
#include "tta/world/expr.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#include "tta/core/rng.hpp"
#include "tta/world/effect.hpp"
#include "tta/world/pack.hpp"
#include "tta/world/state.hpp"
#include "tta/world/suggest.hpp"

namespace tta::world {
namespace detail {

enum class Op : std::uint8_t {
    kLiteral,
    kVariable,
    kNot,
    kAnd,
    kOr,
    kEq,
    kNe,
    kLt,
    kLe,
    kGt,
    kGe,
    kAdd,
    kSub,
    kNeg,
    kHas,        // index: item
    kAt,         // index: place
    kHere,       // kind + index: person or item
    kVisited,    // index: place
    kTrust,      // index: person
    kDone,       // kind (rule or scene) + index; literal: outcome ("" any)
    kActive,     // index: scene
    kLocation,   // kind + index: person or item; value is the id of where it is
    kLocatedAt,  // kind + index: person or item; where: the place/person/player it is compared to
    kChance,     // literal: percent
};

// Static types; kAny when a name could not be resolved (so one error does not cascade).
enum class Type : std::uint8_t { kFlag, kNumber, kString, kAny };

struct Node {
    Op op = Op::kLiteral;
    Type type = Type::kAny;
    std::size_t offset = 0;
    Value literal = false;
    Kind kind = Kind::kVariable;
    int index = -1;
    Where where;
    // A bare name of a place, person, ... (a string literal holding the id): fine in
    // `location(x) == name`, a mistake as a condition of its own.
    bool entity_name = false;
    std::unique_ptr<Node> lhs;
    std::unique_ptr<Node> rhs;
};

enum class StmtOp : std::uint8_t {
    kAssign,  // index: variable; value
    kAdd,     // index: variable; value
    kSub,
    kTrustAssign,  // index: person; value
    kTrustAdd,
    kTrustSub,
    kGive,    // index: item
    kRemove,  // index: item
    kMove,    // kind + index: item or person; target: destination id ("player", "")
    kGo,      // index: place
    kReveal,  // index: place; target: direction
    kStart,   // index: scene
    kEnd,     // index: ending
    kCheckIn,  // index: person, or -1 when nobody in particular asks
};

struct Statement {
    StmtOp op = StmtOp::kAssign;
    std::string source;
    Kind kind = Kind::kVariable;
    int index = -1;
    std::string target;
    std::unique_ptr<Node> value;
    EffectSummary summary;
};

namespace {

enum class Tok : std::uint8_t {
    kIdent,
    kNumber,
    kString,
    kLParen,
    kRParen,
    kComma,
    kSemicolon,
    kEq,
    kNe,
    kLt,
    kLe,
    kGt,
    kGe,
    kAssign,
    kPlusAssign,
    kMinusAssign,
    kPlus,
    kMinus,
    kEnd,
};

struct Token {
    Tok kind = Tok::kEnd;
    std::size_t offset = 0;
    std::string text;  // identifier, string contents, or number digits
};

// Thrown inside this file only, caught by the Compile* entry points: a syntax error ends the
// parse of one expression.
struct SyntaxError {
    ExprError error;
};

constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxSource = 4096;

std::string Describe(const Token& t) {
    switch (t.kind) {
        case Tok::kIdent:
            return "'" + t.text + "'";
        case Tok::kNumber:
            return "number " + t.text;
        case Tok::kString:
            return "string \"" + t.text + "\"";
        case Tok::kLParen:
            return "'('";
        case Tok::kRParen:
            return "')'";
        case Tok::kComma:
            return "','";
        case Tok::kSemicolon:
            return "';'";
        case Tok::kEq:
            return "'=='";
        case Tok::kNe:
            return "'!='";
        case Tok::kLt:
            return "'<'";
        case Tok::kLe:
            return "'<='";
        case Tok::kGt:
            return "'>'";
        case Tok::kGe:
            return "'>='";
        case Tok::kAssign:
            return "'='";
        case Tok::kPlusAssign:
            return "'+='";
        case Tok::kMinusAssign:
            return "'-='";
        case Tok::kPlus:
            return "'+'";
        case Tok::kMinus:
            return "'-'";
        case Tok::kEnd:
            return "end of expression";
    }
    return "?";
}

[[noreturn]] void Fail(std::size_t offset, std::string message) {
    throw SyntaxError{{offset, std::move(message)}};
}

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

std::vector<Token> Lex(std::string_view src) {
    if (src.size() > kMaxSource) Fail(0, "expression longer than 4096 characters");
    std::vector<Token> out;
    std::size_t i = 0;
    auto push = [&](Tok kind, std::size_t start, std::size_t len) {
        out.push_back({kind, start, {}});
        i = start + len;
    };
    while (i < src.size()) {
        const char c = src[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++i;
            continue;
        }
        const std::size_t start = i;
        if (IsIdentStart(c)) {
            while (i < src.size() && IsIdentChar(src[i])) ++i;
            out.push_back({Tok::kIdent, start, std::string(src.substr(start, i - start))});
            continue;
        }
        if (c >= '0' && c <= '9') {
            while (i < src.size() && src[i] >= '0' && src[i] <= '9') ++i;
            if (i < src.size() && IsIdentStart(src[i])) {
                Fail(start, "names must start with a letter or '_'");
            }
            out.push_back({Tok::kNumber, start, std::string(src.substr(start, i - start))});
            continue;
        }
        if (c == '"' || c == '\'') {
            std::string text;
            ++i;
            for (;;) {
                if (i >= src.size()) Fail(start, "unterminated string");
                if (src[i] == c) break;
                if (src[i] == '\\' && i + 1 < src.size()) ++i;
                text += src[i++];
            }
            ++i;
            out.push_back({Tok::kString, start, std::move(text)});
            continue;
        }
        const char n = i + 1 < src.size() ? src[i + 1] : '\0';
        switch (c) {
            case '(':
                push(Tok::kLParen, start, 1);
                break;
            case ')':
                push(Tok::kRParen, start, 1);
                break;
            case ',':
                push(Tok::kComma, start, 1);
                break;
            case ';':
                push(Tok::kSemicolon, start, 1);
                break;
            case '=':
                n == '=' ? push(Tok::kEq, start, 2) : push(Tok::kAssign, start, 1);
                break;
            case '<':
                n == '=' ? push(Tok::kLe, start, 2) : push(Tok::kLt, start, 1);
                break;
            case '>':
                n == '=' ? push(Tok::kGe, start, 2) : push(Tok::kGt, start, 1);
                break;
            case '+':
                n == '=' ? push(Tok::kPlusAssign, start, 2) : push(Tok::kPlus, start, 1);
                break;
            case '-':
                n == '=' ? push(Tok::kMinusAssign, start, 2) : push(Tok::kMinus, start, 1);
                break;
            case '!':
                if (n == '=') {
                    push(Tok::kNe, start, 2);
                    break;
                }
                Fail(start, "use 'not' instead of '!'");
            case '&':
                Fail(start, "use 'and' instead of '&&'");
            case '|':
                Fail(start, "use 'or' instead of '||'");
            default: {
                std::string shown;
                if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) {
                    shown = std::string("'") + c + "'";
                } else {
                    shown = "byte 0x";
                    const char* hex = "0123456789abcdef";
                    shown += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
                    shown += hex[static_cast<unsigned char>(c) & 0xf];
                }
                Fail(start, "unexpected character " + shown);
            }
        }
    }
    out.push_back({Tok::kEnd, src.size(), {}});
    return out;
}

const char* const kConditionFunctions[] = {"has",  "at",       "here",   "visited", "trust",
                                           "done", "location", "active", "chance"};
const char* const kEffectFunctions[] = {"set",    "clear", "give", "remove", "move",    "go",
                                        "reveal", "start", "end",  "trust",  "check_in"};

bool IsKeyword(std::string_view s) {
    return s == "and" || s == "or" || s == "not" || s == "true" || s == "false";
}

Type TypeFromVar(VarType t) {
    switch (t) {
        case VarType::kFlag:
            return Type::kFlag;
        case VarType::kNumber:
            return Type::kNumber;
        case VarType::kString:
            return Type::kString;
    }
    return Type::kAny;
}

const char* TypeWord(Type t) {
    switch (t) {
        case Type::kFlag:
            return "a flag";
        case Type::kNumber:
            return "a number";
        case Type::kString:
            return "a string";
        case Type::kAny:
            return "a value";
    }
    return "a value";
}

}  // namespace

// Turns tokens into trees. With a null pack only syntax is checked (names are kAny).
struct Compiler {
    const Pack* pack;
    std::vector<ExprError>& errors;
    std::vector<Token> tokens;
    std::size_t pos = 0;
    std::size_t depth = 0;

    const Token& Peek() const { return tokens[pos]; }
    const Token& Next() { return tokens[pos == tokens.size() - 1 ? pos : pos++]; }
    bool IsWord(std::string_view w) const { return Peek().kind == Tok::kIdent && Peek().text == w; }
    void Expect(Tok kind, const char* what) {
        if (Peek().kind != kind) {
            Fail(Peek().offset, std::string("expected ") + what + ", found " + Describe(Peek()));
        }
        Next();
    }
    void Error(std::size_t offset, std::string message) {
        errors.push_back({offset, std::move(message)});
    }

    struct Guard {
        Compiler& c;
        explicit Guard(Compiler& compiler, std::size_t offset) : c(compiler) {
            if (++c.depth > kMaxDepth) Fail(offset, "expression nested too deeply");
        }
        ~Guard() { --c.depth; }
    };

    static std::unique_ptr<Node> Make(Op op, Type type, std::size_t offset) {
        auto n = std::make_unique<Node>();
        n->op = op;
        n->type = type;
        n->offset = offset;
        return n;
    }

    std::vector<std::string_view> Candidates(std::initializer_list<Kind> kinds) const {
        std::vector<std::string_view> out;
        auto add = [&](const auto& elements) {
            for (const auto& e : elements) out.push_back(e.id);
        };
        for (Kind k : kinds) {
            switch (k) {
                case Kind::kVariable:
                    add(pack->variables);
                    break;
                case Kind::kPlace:
                    add(pack->places);
                    break;
                case Kind::kPerson:
                    add(pack->people);
                    break;
                case Kind::kItem:
                    add(pack->items);
                    break;
                case Kind::kRule:
                    add(pack->rules);
                    break;
                case Kind::kScene:
                    add(pack->scenes);
                    break;
                case Kind::kEnding:
                    add(pack->endings);
                    break;
                case Kind::kTopic:
                case Kind::kDirection:
                    break;
            }
        }
        return out;
    }

    static std::string KindList(std::initializer_list<Kind> kinds) {
        std::string out;
        std::size_t i = 0;
        for (Kind k : kinds) {
            if (i > 0) out += i + 1 == kinds.size() ? " or " : ", ";
            out += KindName(k);
            ++i;
        }
        return out;
    }

    // Resolves an argument that must name one of `kinds`; reports and returns -1 otherwise.
    int Resolve(const Token& t, std::string_view fn, std::initializer_list<Kind> kinds,
                Kind* kind_out) {
        if (pack == nullptr) return -1;
        const std::optional<Kind> kind = pack->KindOf(t.text);
        if (!kind) {
            Error(t.offset, "unknown " + KindList(kinds) + " '" + t.text + "'" +
                                DidYouMean(t.text, Candidates(kinds)));
            return -1;
        }
        if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end()) {
            Error(t.offset, std::string(fn) + "() needs " + WithArticle(*kinds.begin()) +
                                KindList(kinds).substr(std::strlen(KindName(*kinds.begin()))) +
                                "; '" + t.text + "' is " + WithArticle(*kind));
            return -1;
        }
        if (kind_out != nullptr) *kind_out = *kind;
        switch (*kind) {
            case Kind::kVariable:
                return pack->VariableIndex(t.text);
            case Kind::kPlace:
                return pack->PlaceIndex(t.text);
            case Kind::kPerson:
                return pack->PersonIndex(t.text);
            case Kind::kItem:
                return pack->ItemIndex(t.text);
            case Kind::kRule:
                return pack->RuleIndex(t.text);
            case Kind::kScene:
                return pack->SceneIndex(t.text);
            case Kind::kEnding:
                return pack->EndingIndex(t.text);
            case Kind::kTopic:
            case Kind::kDirection:
                break;
        }
        return -1;
    }

    const Token& NameArg(std::string_view fn) {
        const Token& t = Peek();
        if (t.kind != Tok::kIdent || IsKeyword(t.text)) {
            Fail(t.offset, std::string(fn) + "() expects a name, found " + Describe(t));
        }
        return Next();
    }

    void CloseCall(std::string_view fn, std::size_t expected) {
        if (Peek().kind == Tok::kComma) {
            Fail(Peek().offset, std::string(fn) + "() takes " + std::to_string(expected) +
                                    (expected == 1 ? " argument" : " arguments"));
        }
        Expect(Tok::kRParen, "')'");
    }

    // ---- conditions ----

    std::unique_ptr<Node> ParseCondition() {
        auto n = ParseOr();
        if (Peek().kind == Tok::kAssign) {
            Fail(Peek().offset, "use '==' to compare ('=' assigns, in effects)");
        }
        if (Peek().kind != Tok::kEnd) {
            Fail(Peek().offset,
                 "expected 'and', 'or' or end of expression, found " + Describe(Peek()));
        }
        CheckCondition(*n);
        return n;
    }

    // A bare place/person/... name is not a condition; say what was probably meant.
    void CheckCondition(const Node& n) {
        if (n.op == Op::kAnd || n.op == Op::kOr) {
            CheckCondition(*n.lhs);
            CheckCondition(*n.rhs);
            return;
        }
        if (n.op == Op::kNot) {
            CheckCondition(*n.lhs);
            return;
        }
        if (!n.entity_name) return;
        const std::string& id = std::get<std::string>(n.literal);
        const char* fn = "at";
        switch (n.kind) {
            case Kind::kItem:
                fn = "has";
                break;
            case Kind::kPerson:
                fn = "here";
                break;
            case Kind::kRule:
            case Kind::kScene:
                fn = "done";
                break;
            default:
                break;
        }
        if (n.kind == Kind::kEnding) {
            Error(n.offset, "'" + id + "' is an ending, not a condition");
            return;
        }
        Error(n.offset, "'" + id + "' is " + WithArticle(n.kind) +
                            ", not a condition (did you mean " + fn + "(" + id + ")?)");
    }

    std::unique_ptr<Node> ParseOr() {
        auto lhs = ParseAnd();
        while (IsWord("or")) {
            const std::size_t at = Next().offset;
            auto n = Make(Op::kOr, Type::kFlag, at);
            n->lhs = std::move(lhs);
            n->rhs = ParseAnd();
            lhs = std::move(n);
        }
        return lhs;
    }

    std::unique_ptr<Node> ParseAnd() {
        auto lhs = ParseNot();
        while (IsWord("and")) {
            const std::size_t at = Next().offset;
            auto n = Make(Op::kAnd, Type::kFlag, at);
            n->lhs = std::move(lhs);
            n->rhs = ParseNot();
            lhs = std::move(n);
        }
        return lhs;
    }

    std::unique_ptr<Node> ParseNot() {
        if (IsWord("not")) {
            const std::size_t at = Next().offset;
            Guard guard(*this, at);
            auto n = Make(Op::kNot, Type::kFlag, at);
            n->lhs = ParseNot();
            return n;
        }
        return ParseCompare();
    }

    static bool IsComparison(Tok t) {
        return t == Tok::kEq || t == Tok::kNe || t == Tok::kLt || t == Tok::kLe || t == Tok::kGt ||
               t == Tok::kGe;
    }

    std::unique_ptr<Node> ParseCompare() {
        auto lhs = ParseSum();
        if (!IsComparison(Peek().kind)) return lhs;
        const Token op = Next();
        auto rhs = ParseSum();
        if (IsComparison(Peek().kind)) {
            Fail(Peek().offset, "comparisons cannot be chained; join them with 'and'");
        }
        return MakeComparison(op, std::move(lhs), std::move(rhs));
    }

    std::unique_ptr<Node> MakeComparison(const Token& op, std::unique_ptr<Node> lhs,
                                         std::unique_ptr<Node> rhs) {
        const bool equality = op.kind == Tok::kEq || op.kind == Tok::kNe;
        // location(x) == name compiles to a direct test, without building id strings.
        if (equality && (lhs->op == Op::kLocation || rhs->op == Op::kLocation)) {
            if (lhs->op != Op::kLocation) std::swap(lhs, rhs);
            if (rhs->entity_name && rhs->kind != Kind::kPlace && rhs->kind != Kind::kPerson) {
                Error(rhs->offset, "a location is a place, a person, player or nowhere; '" +
                                       std::get<std::string>(rhs->literal) + "' is " +
                                       WithArticle(rhs->kind));
            } else if (rhs->entity_name || rhs->op == Op::kLiteral) {
                if (auto where = LocationLiteral(*rhs)) {
                    auto n = Make(Op::kLocatedAt, Type::kFlag, op.offset);
                    n->kind = lhs->kind;
                    n->index = lhs->index;
                    n->where = *where;
                    if (op.kind == Tok::kEq) return n;
                    auto negated = Make(Op::kNot, Type::kFlag, op.offset);
                    negated->lhs = std::move(n);
                    return negated;
                }
            }
        }
        Op kind = Op::kEq;
        switch (op.kind) {
            case Tok::kEq:
                kind = Op::kEq;
                break;
            case Tok::kNe:
                kind = Op::kNe;
                break;
            case Tok::kLt:
                kind = Op::kLt;
                break;
            case Tok::kLe:
                kind = Op::kLe;
                break;
            case Tok::kGt:
                kind = Op::kGt;
                break;
            default:
                kind = Op::kGe;
                break;
        }
        if (lhs->type != Type::kAny && rhs->type != Type::kAny) {
            if (!equality && (lhs->type != Type::kNumber || rhs->type != Type::kNumber)) {
                Error(op.offset, Describe(op) + " compares numbers; this compares " +
                                     TypeWord(lhs->type) + " with " + TypeWord(rhs->type));
            } else if (equality && lhs->type != rhs->type) {
                Error(op.offset, std::string("cannot compare ") + TypeWord(lhs->type) + " with " +
                                     TypeWord(rhs->type));
            }
        }
        if (equality) {
            CheckEnum(*lhs, *rhs);
            CheckEnum(*rhs, *lhs);
        }
        auto n = Make(kind, Type::kFlag, op.offset);
        n->lhs = std::move(lhs);
        n->rhs = std::move(rhs);
        return n;
    }

    // `tide == "lwo"` when tide's values are [high, low].
    void CheckEnum(const Node& var, const Node& literal) {
        if (pack == nullptr || var.op != Op::kVariable || literal.op != Op::kLiteral) return;
        const Variable& v = pack->variables[static_cast<std::size_t>(var.index)];
        const std::string* s = std::get_if<std::string>(&literal.literal);
        if (v.values.empty() || s == nullptr || literal.entity_name) return;
        CheckValue(v, *s, literal.offset);
    }

    void CheckValue(const Variable& v, const std::string& s, std::size_t offset) {
        if (v.values.empty() || std::find(v.values.begin(), v.values.end(), s) != v.values.end()) {
            return;
        }
        std::vector<std::string_view> options(v.values.begin(), v.values.end());
        std::string list;
        for (const std::string& value : v.values) list += (list.empty() ? "" : ", ") + value;
        Error(offset, "\"" + s + "\" is not one of " + v.id + "'s values (" + list + ")" +
                          DidYouMean(s, options));
    }

    // What a name means on the right of `location(x) ==`.
    std::optional<Where> LocationLiteral(const Node& n) const {
        if (pack == nullptr) return std::nullopt;
        const std::string* id = std::get_if<std::string>(&n.literal);
        if (id == nullptr) return std::nullopt;
        if (*id == "player") return Where{Where::Kind::kPlayer, -1};
        if (id->empty() || *id == "nowhere") return Where{Where::Kind::kNowhere, -1};
        if (int p = pack->PlaceIndex(*id); p >= 0) return Where{Where::Kind::kPlace, p};
        if (int p = pack->PersonIndex(*id); p >= 0) return Where{Where::Kind::kPerson, p};
        return std::nullopt;
    }

    std::unique_ptr<Node> ParseSum() {
        auto lhs = ParseUnary();
        while (Peek().kind == Tok::kPlus || Peek().kind == Tok::kMinus) {
            const Token op = Next();
            auto n = Make(op.kind == Tok::kPlus ? Op::kAdd : Op::kSub, Type::kNumber, op.offset);
            n->lhs = std::move(lhs);
            n->rhs = ParseUnary();
            CheckNumber(*n->lhs, op);
            CheckNumber(*n->rhs, op);
            lhs = std::move(n);
        }
        return lhs;
    }

    void CheckNumber(const Node& n, const Token& op) {
        if (n.type != Type::kNumber && n.type != Type::kAny) {
            Error(n.offset, Describe(op) + " needs numbers; this is " + TypeWord(n.type));
        }
    }

    std::unique_ptr<Node> ParseUnary() {
        if (Peek().kind == Tok::kMinus) {
            const Token op = Next();
            Guard guard(*this, op.offset);
            auto n = Make(Op::kNeg, Type::kNumber, op.offset);
            n->lhs = ParseUnary();
            CheckNumber(*n->lhs, op);
            return n;
        }
        return ParsePrimary();
    }

    std::unique_ptr<Node> ParsePrimary() {
        const Token& t = Peek();
        switch (t.kind) {
            case Tok::kNumber: {
                Next();
                return NumberLiteral(t);
            }
            case Tok::kString: {
                Next();
                auto n = Make(Op::kLiteral, Type::kString, t.offset);
                n->literal = t.text;
                return n;
            }
            case Tok::kLParen: {
                Next();
                Guard guard(*this, t.offset);
                auto n = ParseOr();
                Expect(Tok::kRParen, "')'");
                return n;
            }
            case Tok::kIdent:
                break;
            default:
                Fail(t.offset, "expected a value, found " + Describe(t));
        }
        Next();
        if (t.text == "true" || t.text == "false") {
            auto n = Make(Op::kLiteral, Type::kFlag, t.offset);
            n->literal = t.text == "true";
            return n;
        }
        if (IsKeyword(t.text)) Fail(t.offset, "expected a value, found " + Describe(t));
        if (Peek().kind == Tok::kLParen) return ParseCall(t);
        return ParseName(t);
    }

    std::unique_ptr<Node> NumberLiteral(const Token& t) {
        std::int64_t v = 0;
        const auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
        if (ec != std::errc() || ptr != t.text.data() + t.text.size() || v > 1'000'000'000) {
            Fail(t.offset, "number too large (at most 1000000000)");
        }
        auto n = Make(Op::kLiteral, Type::kNumber, t.offset);
        n->literal = v;
        return n;
    }

    std::unique_ptr<Node> ParseName(const Token& t) {
        if (pack == nullptr) {
            auto n = Make(Op::kLiteral, Type::kAny, t.offset);
            n->literal = t.text;
            return n;
        }
        const std::optional<Kind> kind = pack->KindOf(t.text);
        if (kind == Kind::kVariable) {
            const int index = pack->VariableIndex(t.text);
            auto n =
                Make(Op::kVariable,
                     TypeFromVar(pack->variables[static_cast<std::size_t>(index)].type), t.offset);
            n->index = index;
            return n;
        }
        auto n = Make(Op::kLiteral, Type::kString, t.offset);
        n->literal = t.text;
        if (kind) {
            n->entity_name = true;
            n->kind = *kind;
        } else if (t.text == "player" || t.text == "nowhere") {
            n->literal = t.text == "player" ? "player" : "";
        } else {
            n->type = Type::kAny;
            Error(t.offset,
                  "unknown name '" + t.text + "'" +
                      DidYouMean(t.text, Candidates({Kind::kVariable, Kind::kPlace, Kind::kPerson,
                                                     Kind::kItem, Kind::kRule, Kind::kScene,
                                                     Kind::kEnding})));
        }
        return n;
    }

    std::unique_ptr<Node> ParseCall(const Token& fn) {
        const std::size_t at = fn.offset;
        Expect(Tok::kLParen, "'('");
        const std::string& name = fn.text;
        auto one = [&](Op op, Type type, std::initializer_list<Kind> kinds) {
            const Token& arg = NameArg(name);
            auto n = Make(op, type, at);
            n->index = Resolve(arg, name, kinds, &n->kind);
            if (n->index < 0) n->type = op == Op::kLocation ? Type::kAny : type;
            CloseCall(name, 1);
            return n;
        };
        if (name == "has") return one(Op::kHas, Type::kFlag, {Kind::kItem});
        if (name == "at") return one(Op::kAt, Type::kFlag, {Kind::kPlace});
        if (name == "here") return one(Op::kHere, Type::kFlag, {Kind::kPerson, Kind::kItem});
        if (name == "visited") return one(Op::kVisited, Type::kFlag, {Kind::kPlace});
        if (name == "trust") return one(Op::kTrust, Type::kNumber, {Kind::kPerson});
        if (name == "active") return one(Op::kActive, Type::kFlag, {Kind::kScene});
        if (name == "location") {
            return one(Op::kLocation, Type::kString, {Kind::kPerson, Kind::kItem});
        }
        if (name == "done") {
            const Token& arg = NameArg(name);
            auto n = Make(Op::kDone, Type::kFlag, at);
            n->index = Resolve(arg, name, {Kind::kRule, Kind::kScene}, &n->kind);
            n->literal = std::string();
            if (Peek().kind == Tok::kComma) {
                Next();
                const Token& outcome = Peek();
                if (outcome.kind != Tok::kIdent && outcome.kind != Tok::kString) {
                    Fail(outcome.offset,
                         "done() expects an outcome name, found " + Describe(outcome));
                }
                Next();
                if (n->index >= 0 && n->kind == Kind::kRule) {
                    Error(outcome.offset,
                          "only scenes have outcomes; '" + arg.text + "' is a rule");
                }
                n->literal = outcome.text;
            }
            CloseCall(name, 2);
            return n;
        }
        if (name == "chance") {
            const Token& arg = Peek();
            if (arg.kind != Tok::kNumber) {
                Fail(arg.offset, "chance() expects a percentage, found " + Describe(arg));
            }
            Next();
            auto n = Make(Op::kChance, Type::kFlag, at);
            n->literal = NumberLiteral(arg)->literal;
            if (std::get<std::int64_t>(n->literal) > 100) {
                Error(arg.offset, "chance() takes a percentage from 0 to 100");
            }
            CloseCall(name, 1);
            return n;
        }
        std::vector<std::string_view> fns(std::begin(kConditionFunctions),
                                          std::end(kConditionFunctions));
        if (std::find(std::begin(kEffectFunctions), std::end(kEffectFunctions), name) !=
            std::end(kEffectFunctions)) {
            Fail(at, name + "() is an effect; it cannot be used in a condition");
        }
        Fail(at, "unknown function '" + name + "'" + DidYouMean(name, fns));
    }

    // ---- effects ----

    void ParseEffects(std::vector<std::shared_ptr<const Statement>>& out, std::string_view src) {
        if (Peek().kind == Tok::kEnd) Fail(0, "expected an effect, found end of expression");
        for (;;) {
            const std::size_t start = Peek().offset;
            auto statement = ParseStatement();
            std::size_t end = Peek().offset;
            statement->source = std::string(src.substr(start, end - start));
            while (!statement->source.empty() &&
                   (statement->source.back() == ' ' || statement->source.back() == '\n' ||
                    statement->source.back() == '\t' || statement->source.back() == '\r')) {
                statement->source.pop_back();
            }
            out.push_back(std::move(statement));
            if (Peek().kind == Tok::kComma || Peek().kind == Tok::kSemicolon) {
                Next();
                if (Peek().kind == Tok::kEnd) break;
                continue;
            }
            if (Peek().kind == Tok::kEnd) break;
            Fail(Peek().offset, "expected ',' or ';' between effects, found " + Describe(Peek()));
        }
    }

    std::unique_ptr<Statement> ParseStatement() {
        const Token& t = Peek();
        if (t.kind != Tok::kIdent || IsKeyword(t.text)) {
            Fail(t.offset, "expected an effect, found " + Describe(t));
        }
        Next();
        auto s = std::make_unique<Statement>();
        if (t.text == "trust" && Peek().kind == Tok::kLParen) {
            Next();
            const Token& arg = NameArg("trust");
            s->index = Resolve(arg, "trust", {Kind::kPerson}, nullptr);
            s->kind = Kind::kPerson;
            CloseCall("trust", 1);
            const Token op = Peek();
            if (op.kind != Tok::kAssign && op.kind != Tok::kPlusAssign &&
                op.kind != Tok::kMinusAssign) {
                Fail(op.offset, "expected '+=', '-=' or '=' after trust(" + arg.text + "), found " +
                                    Describe(op));
            }
            Next();
            s->op = op.kind == Tok::kAssign       ? StmtOp::kTrustAssign
                    : op.kind == Tok::kPlusAssign ? StmtOp::kTrustAdd
                                                  : StmtOp::kTrustSub;
            s->value = ParseValue(Type::kNumber, "trust");
            return s;
        }
        if (Peek().kind == Tok::kLParen) return ParseEffectCall(t, std::move(s));
        const Token op = Peek();
        if (op.kind == Tok::kEq) Fail(op.offset, "use '=' to assign ('==' compares)");
        if (op.kind != Tok::kAssign && op.kind != Tok::kPlusAssign &&
            op.kind != Tok::kMinusAssign) {
            Fail(op.offset,
                 "expected '=', '+=', '-=' or '(' after '" + t.text + "', found " + Describe(op));
        }
        Next();
        s->op = op.kind == Tok::kAssign       ? StmtOp::kAssign
                : op.kind == Tok::kPlusAssign ? StmtOp::kAdd
                                              : StmtOp::kSub;
        const Variable* var = ResolveVariable(t);
        Type want = var != nullptr ? TypeFromVar(var->type) : Type::kAny;
        if (s->op != StmtOp::kAssign) {
            if (var != nullptr && var->type != VarType::kNumber) {
                Error(op.offset,
                      Describe(op) + " needs a number; '" + t.text + "' is " + TypeWord(want));
            }
            want = Type::kNumber;
        }
        s->index = var != nullptr ? pack->VariableIndex(var->id) : -1;
        s->value = ParseValue(want, t.text);
        if (var != nullptr) CheckAssignedValue(*var, *s->value);
        return s;
    }

    const Variable* ResolveVariable(const Token& t) {
        if (pack == nullptr) return nullptr;
        const std::optional<Kind> kind = pack->KindOf(t.text);
        if (!kind) {
            Error(t.offset, "unknown variable '" + t.text + "'" +
                                DidYouMean(t.text, Candidates({Kind::kVariable})));
            return nullptr;
        }
        if (*kind != Kind::kVariable) {
            Error(t.offset, "'" + t.text + "' is " + WithArticle(*kind) + ", not a variable");
            return nullptr;
        }
        if (t.text == kTurnsVariable) {
            Error(t.offset, "'turns' counts itself and cannot be assigned");
        }
        return pack->FindVariable(t.text);
    }

    void CheckAssignedValue(const Variable& var, const Node& value) {
        if (value.op == Op::kLiteral && var.type == VarType::kString) {
            if (const std::string* s = std::get_if<std::string>(&value.literal)) {
                if (!value.entity_name) CheckValue(var, *s, value.offset);
            }
        }
    }

    // A value for an assignment: any expression (a condition reads as a flag).
    std::unique_ptr<Node> ParseValue(Type want, std::string_view what) {
        const std::size_t at = Peek().offset;
        auto n = ParseOr();
        if (want != Type::kAny && n->type != Type::kAny && n->type != want) {
            Error(at, std::string(what) + " is " + TypeWord(want) + "; cannot assign " +
                          TypeWord(n->type));
        }
        return n;
    }

    std::unique_ptr<Statement> ParseEffectCall(const Token& fn, std::unique_ptr<Statement> s) {
        Next();  // '('
        const std::string& name = fn.text;
        auto resolve = [&](const Token& arg, std::initializer_list<Kind> kinds) {
            Kind kind = *kinds.begin();
            const int index = Resolve(arg, name, kinds, &kind);
            s->kind = kind;
            return index;
        };
        if (name == "set" || name == "clear") {
            const Token& arg = NameArg(name);
            const Variable* var = ResolveVariable(arg);
            s->index = var != nullptr ? pack->VariableIndex(var->id) : -1;
            s->op = StmtOp::kAssign;
            if (name == "set" && Peek().kind == Tok::kComma) {
                Next();
                s->value =
                    ParseValue(var != nullptr ? TypeFromVar(var->type) : Type::kAny, arg.text);
                if (var != nullptr) CheckAssignedValue(*var, *s->value);
                CloseCall(name, 2);
                return s;
            }
            if (var != nullptr && var->type != VarType::kFlag) {
                Error(arg.offset,
                      name + "(" + arg.text + ") needs a flag; '" + arg.text + "' is " +
                          TypeWord(TypeFromVar(var->type)) +
                          (name == "set" ? " (use set(" + arg.text + ", VALUE))" : std::string()));
            }
            s->value = Make(Op::kLiteral, Type::kFlag, arg.offset);
            s->value->literal = name == "set";
            CloseCall(name, name == "set" ? 2 : 1);
            return s;
        }
        if (name == "give" || name == "remove") {
            const Token& arg = NameArg(name);
            s->op = name == "give" ? StmtOp::kGive : StmtOp::kRemove;
            s->index = resolve(arg, {Kind::kItem});
            (name == "give" ? s->summary.gives : s->summary.moves_items).push_back(arg.text);
            CloseCall(name, 1);
            return s;
        }
        if (name == "move") {
            const Token& arg = NameArg(name);
            s->op = StmtOp::kMove;
            s->index = resolve(arg, {Kind::kItem, Kind::kPerson});
            Expect(Tok::kComma, "',' and a destination");
            const Token& dest = NameArg(name);
            s->target = dest.text;
            if (dest.text == "nowhere") s->target.clear();
            if (pack != nullptr && dest.text != "nowhere" &&
                !(dest.text == "player" && s->kind == Kind::kItem)) {
                const bool item = s->kind == Kind::kItem;
                Kind dest_kind = Kind::kPlace;
                if (item) {
                    Resolve(dest, name, {Kind::kPlace, Kind::kPerson}, &dest_kind);
                } else {
                    Resolve(dest, name, {Kind::kPlace}, &dest_kind);
                }
            }
            (s->kind == Kind::kItem ? s->summary.moves_items : s->summary.moves_people)
                .push_back(arg.text);
            CloseCall(name, 2);
            return s;
        }
        if (name == "go") {
            const Token& arg = NameArg(name);
            s->op = StmtOp::kGo;
            s->index = resolve(arg, {Kind::kPlace});
            s->summary.goes_to.push_back(arg.text);
            CloseCall(name, 1);
            return s;
        }
        if (name == "reveal") {
            const Token& arg = NameArg(name);
            s->op = StmtOp::kReveal;
            s->index = resolve(arg, {Kind::kPlace});
            Expect(Tok::kComma, "',' and a direction");
            const Token& dir = NameArg(name);
            s->target = dir.text;
            if (!IsDirection(dir.text)) {
                std::vector<std::string_view> dirs(std::begin(kDirections), std::end(kDirections));
                Error(dir.offset,
                      "unknown direction '" + dir.text + "'" + DidYouMean(dir.text, dirs));
            } else if (s->index >= 0) {
                const Place& place = pack->places[static_cast<std::size_t>(s->index)];
                if (place.FindExit(dir.text) == nullptr) {
                    Error(dir.offset, "place '" + place.id + "' has no exit " + dir.text);
                }
            }
            s->summary.reveals.push_back(arg.text + "." + dir.text);
            CloseCall(name, 2);
            return s;
        }
        if (name == "start") {
            const Token& arg = NameArg(name);
            s->op = StmtOp::kStart;
            s->index = resolve(arg, {Kind::kScene});
            s->summary.starts.push_back(arg.text);
            CloseCall(name, 1);
            return s;
        }
        if (name == "end") {
            const Token& arg = NameArg(name);
            s->op = StmtOp::kEnd;
            s->index = resolve(arg, {Kind::kEnding});
            s->summary.ends.push_back(arg.text);
            CloseCall(name, 1);
            return s;
        }
        if (name == "check_in") {
            // check_in() or check_in(person): who asks is optional.
            s->op = StmtOp::kCheckIn;
            s->summary.checks_in = true;
            if (Peek().kind == Tok::kRParen) {
                Next();
                return s;
            }
            const Token& arg = NameArg(name);
            s->index = resolve(arg, {Kind::kPerson});
            s->target = arg.text;
            CloseCall(name, 1);
            return s;
        }
        std::vector<std::string_view> fns(std::begin(kEffectFunctions), std::end(kEffectFunctions));
        if (std::find(std::begin(kConditionFunctions), std::end(kConditionFunctions), name) !=
            std::end(kConditionFunctions)) {
            Fail(fn.offset, name + "() is a condition; it cannot be used as an effect");
        }
        Fail(fn.offset, "unknown effect '" + name + "'" + DidYouMean(name, fns));
    }

    template <typename F>
    static bool Run(std::vector<ExprError>& errors, F&& f) {
        const std::size_t before = errors.size();
        try {
            f();
        } catch (const SyntaxError& e) {
            errors.push_back(e.error);
        }
        return errors.size() == before;
    }

    static Condition MakeCondition(std::unique_ptr<Node> root, std::string_view source) {
        Condition c;
        c.root_ = std::shared_ptr<const Node>(std::move(root));
        c.source_ = std::string(source);
        return c;
    }

    static Script MakeScript(std::vector<std::shared_ptr<const Statement>> statements) {
        Script s;
        s.statements_ = std::move(statements);
        return s;
    }

    static const Node* Root(const Condition& c) { return c.root_.get(); }
};

namespace {

bool IsLocated(const State& state, Kind kind, int index, const Where& where) {
    if (index < 0) return false;
    const std::size_t i = static_cast<std::size_t>(index);
    if (kind == Kind::kPerson) {
        return where.kind == Where::Kind::kPlace     ? state.people[i] == where.index
               : where.kind == Where::Kind::kNowhere ? state.people[i] < 0
                                                     : false;
    }
    const Where& w = state.items[i];
    return w.kind == where.kind && (w.kind == Where::Kind::kNowhere ||
                                    w.kind == Where::Kind::kPlayer || w.index == where.index);
}

std::int64_t Number(const Value& v) {
    if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) return *n;
    if (const bool* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
    return 0;
}

std::int64_t Saturate(__int128 v) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    return v > kMax ? kMax : v < kMin ? kMin : static_cast<std::int64_t>(v);
}

Value Eval(const Node& n, const EvalContext& ctx);

bool Test(const Node& n, const EvalContext& ctx) {
    const State& s = ctx.state;
    switch (n.op) {
        case Op::kNot:
            return !Test(*n.lhs, ctx);
        case Op::kAnd:
            return Test(*n.lhs, ctx) && Test(*n.rhs, ctx);
        case Op::kOr:
            return Test(*n.lhs, ctx) || Test(*n.rhs, ctx);
        case Op::kVariable:
            return n.index >= 0 && Truthy(s.variables[static_cast<std::size_t>(n.index)]);
        case Op::kHas:
            return n.index >= 0 &&
                   s.items[static_cast<std::size_t>(n.index)].kind == Where::Kind::kPlayer;
        case Op::kAt:
            return n.index >= 0 && s.player == n.index;
        case Op::kHere:
            if (n.index < 0) return false;
            if (n.kind == Kind::kPerson)
                return s.people[static_cast<std::size_t>(n.index)] == s.player;
            return IsLocated(s, Kind::kItem, n.index, {Where::Kind::kPlace, s.player}) ||
                   IsLocated(s, Kind::kItem, n.index, {Where::Kind::kPlayer, -1});
        case Op::kVisited:
            return n.index >= 0 && s.visited[static_cast<std::size_t>(n.index)] != 0;
        case Op::kDone: {
            if (n.index < 0) return false;
            const std::size_t i = static_cast<std::size_t>(n.index);
            if (n.kind == Kind::kRule) return s.fired[i] != 0;
            const std::string& want = std::get<std::string>(n.literal);
            return want.empty() ? !s.outcomes[i].empty() : s.outcomes[i] == want;
        }
        case Op::kActive:
            return n.index >= 0 && s.scene == n.index;
        case Op::kLocatedAt:
            return IsLocated(s, n.kind, n.index, n.where);
        case Op::kChance:
            return ctx.rng != nullptr && static_cast<std::int64_t>(ctx.rng->Below(100)) <
                                             std::get<std::int64_t>(n.literal);
        case Op::kEq:
        case Op::kNe: {
            // Compare in place when both sides are stored values: no string copies.
            const Value* a = n.lhs->op == Op::kLiteral ? &n.lhs->literal
                             : n.lhs->op == Op::kVariable && n.lhs->index >= 0
                                 ? &s.variables[static_cast<std::size_t>(n.lhs->index)]
                                 : nullptr;
            const Value* b = n.rhs->op == Op::kLiteral ? &n.rhs->literal
                             : n.rhs->op == Op::kVariable && n.rhs->index >= 0
                                 ? &s.variables[static_cast<std::size_t>(n.rhs->index)]
                                 : nullptr;
            bool equal = false;
            if (a != nullptr && b != nullptr) {
                equal = *a == *b;
            } else {
                equal = Eval(*n.lhs, ctx) == Eval(*n.rhs, ctx);
            }
            return n.op == Op::kEq ? equal : !equal;
        }
        case Op::kLt:
            return Number(Eval(*n.lhs, ctx)) < Number(Eval(*n.rhs, ctx));
        case Op::kLe:
            return Number(Eval(*n.lhs, ctx)) <= Number(Eval(*n.rhs, ctx));
        case Op::kGt:
            return Number(Eval(*n.lhs, ctx)) > Number(Eval(*n.rhs, ctx));
        case Op::kGe:
            return Number(Eval(*n.lhs, ctx)) >= Number(Eval(*n.rhs, ctx));
        default:
            return Truthy(Eval(n, ctx));
    }
}

Value Eval(const Node& n, const EvalContext& ctx) {
    const State& s = ctx.state;
    switch (n.op) {
        case Op::kLiteral:
            return n.literal;
        case Op::kVariable:
            return n.index >= 0 ? s.variables[static_cast<std::size_t>(n.index)] : Value{false};
        case Op::kTrust:
            return n.index >= 0 ? s.trust[static_cast<std::size_t>(n.index)] : std::int64_t{0};
        case Op::kAdd:
            return Saturate(static_cast<__int128>(Number(Eval(*n.lhs, ctx))) +
                            Number(Eval(*n.rhs, ctx)));
        case Op::kSub:
            return Saturate(static_cast<__int128>(Number(Eval(*n.lhs, ctx))) -
                            Number(Eval(*n.rhs, ctx)));
        case Op::kNeg:
            return Saturate(-static_cast<__int128>(Number(Eval(*n.lhs, ctx))));
        case Op::kLocation: {
            if (n.index < 0) return std::string();
            const std::size_t i = static_cast<std::size_t>(n.index);
            if (n.kind == Kind::kPerson) {
                return s.people[i] < 0 ? std::string()
                                       : ctx.pack.places[static_cast<std::size_t>(s.people[i])].id;
            }
            return WhereId(ctx.pack, s.items[i]);
        }
        default:
            return Test(n, ctx);
    }
}

void CollectPlaces(const Node* n, const Pack& pack, std::vector<std::string>& out) {
    if (n == nullptr) return;
    if (n->op == Op::kAnd) {
        CollectPlaces(n->lhs.get(), pack, out);
        CollectPlaces(n->rhs.get(), pack, out);
    } else if (n->op == Op::kAt && n->index >= 0) {
        out.push_back(pack.places[static_cast<std::size_t>(n->index)].id);
    }
}

}  // namespace

}  // namespace detail

using detail::Compiler;

bool Condition::Holds(const EvalContext& ctx) const {
    return root_ == nullptr || detail::Test(*root_, ctx);
}

Value Condition::Evaluate(const EvalContext& ctx) const {
    return root_ == nullptr ? Value{true} : detail::Eval(*root_, ctx);
}

std::vector<std::string> Condition::RequiredPlaces(const Pack& pack) const {
    std::vector<std::string> out;
    detail::CollectPlaces(root_.get(), pack, out);
    return out;
}

std::vector<std::string> Script::Sources() const {
    std::vector<std::string> out;
    out.reserve(statements_.size());
    for (const auto& s : statements_) out.push_back(s->source);
    return out;
}

EffectSummary Script::Summary() const {
    EffectSummary out;
    auto append = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
        to.insert(to.end(), from.begin(), from.end());
    };
    for (const auto& s : statements_) {
        append(out.goes_to, s->summary.goes_to);
        append(out.reveals, s->summary.reveals);
        append(out.gives, s->summary.gives);
        append(out.moves_items, s->summary.moves_items);
        append(out.moves_people, s->summary.moves_people);
        append(out.starts, s->summary.starts);
        append(out.ends, s->summary.ends);
        out.checks_in = out.checks_in || s->summary.checks_in;
    }
    return out;
}

void Script::Append(Script other) {
    statements_.insert(statements_.end(), std::make_move_iterator(other.statements_.begin()),
                       std::make_move_iterator(other.statements_.end()));
}

namespace {

std::int64_t Clamp(const Variable& v, std::int64_t n) {
    if (v.min && n < *v.min) n = *v.min;
    if (v.max && n > *v.max) n = *v.max;
    return n;
}

void Emit(const Pack& pack, State& working, std::vector<Effect>& out, Effect e) {
    (void)Apply(pack, working, e);
    out.push_back(std::move(e));
}

}  // namespace

void Script::Run(const Pack& pack, State& working, Rng* rng, std::vector<Effect>& out) const {
    using detail::StmtOp;
    for (const auto& sp : statements_) {
        const detail::Statement& s = *sp;
        // Unresolved (the pack did not load cleanly); only check_in() may name nobody.
        if (s.index < 0 && s.op != StmtOp::kCheckIn) continue;
        const std::size_t i = static_cast<std::size_t>(s.index);
        const EvalContext ctx{pack, working, rng};
        switch (s.op) {
            case StmtOp::kAssign:
            case StmtOp::kAdd:
            case StmtOp::kSub: {
                const Variable& var = pack.variables[i];
                Value v = detail::Eval(*s.value, ctx);
                const Value& old = working.variables[i];
                if (var.type == VarType::kNumber) {
                    __int128 n = detail::Number(v);
                    if (s.op == StmtOp::kAdd) n = detail::Number(old) + n;
                    if (s.op == StmtOp::kSub) n = detail::Number(old) - n;
                    v = Clamp(var, detail::Saturate(n));
                } else if (var.type == VarType::kFlag) {
                    v = Truthy(v);
                } else if (!std::holds_alternative<std::string>(v)) {
                    v = ToString(v);
                }
                if (v == old) break;
                Emit(pack, working, out, {EffectKind::kSetVariable, var.id, {}, std::move(v), 0});
                break;
            }
            case StmtOp::kTrustAssign:
            case StmtOp::kTrustAdd:
            case StmtOp::kTrustSub: {
                const std::int64_t old = working.trust[i];
                __int128 n = detail::Number(detail::Eval(*s.value, ctx));
                if (s.op == StmtOp::kTrustAdd) n = old + n;
                if (s.op == StmtOp::kTrustSub) n = old - n;
                const std::int64_t now = detail::Saturate(n);
                if (now == old) break;
                Emit(pack, working, out,
                     {EffectKind::kSetTrust, pack.people[i].id, {}, false, now});
                break;
            }
            case StmtOp::kGive:
            case StmtOp::kRemove: {
                const Where want{
                    s.op == StmtOp::kGive ? Where::Kind::kPlayer : Where::Kind::kNowhere, -1};
                if (working.items[i] == want) break;
                Emit(pack, working, out,
                     {EffectKind::kMoveItem, pack.items[i].id,
                      s.op == StmtOp::kGive ? "player" : "", false, 0});
                break;
            }
            case StmtOp::kMove:
                Emit(pack, working, out,
                     {s.kind == Kind::kItem ? EffectKind::kMoveItem : EffectKind::kMovePerson,
                      s.kind == Kind::kItem ? pack.items[i].id : pack.people[i].id, s.target, false,
                      0});
                break;
            case StmtOp::kGo:
                if (working.player == s.index) break;
                Emit(pack, working, out,
                     {EffectKind::kMovePlayer, pack.places[i].id, {}, false, 0});
                break;
            case StmtOp::kReveal:
                Emit(pack, working, out,
                     {EffectKind::kExitRevealed, pack.places[i].id, s.target, false, 0});
                break;
            case StmtOp::kStart: {
                const Scene& scene = pack.scenes[i];
                Emit(pack, working, out,
                     {EffectKind::kSceneStarted, scene.id, scene.start, false, 0});
                break;
            }
            case StmtOp::kEnd:
                if (working.ending >= 0) break;
                Emit(pack, working, out,
                     {EffectKind::kEndingReached, pack.endings[i].id, {}, false, 0});
                break;
            case StmtOp::kCheckIn:
                // Changes nothing in the world: it asks the engine for a mood check-in.
                Emit(pack, working, out,
                     {EffectKind::kCheckIn, s.index >= 0 ? pack.people[i].id : std::string(), {},
                      false, 0});
                break;
        }
    }
}

Condition CompileCondition(std::string_view source, const Pack& pack,
                           std::vector<ExprError>& errors) {
    Compiler c{&pack, errors, {}};
    std::unique_ptr<detail::Node> root;
    const std::size_t before = errors.size();
    Compiler::Run(errors, [&] {
        c.tokens = detail::Lex(source);
        root = c.ParseCondition();
    });
    if (errors.size() != before || root == nullptr) return {};
    return Compiler::MakeCondition(std::move(root), source);
}

Script CompileEffects(std::string_view source, const Pack& pack, std::vector<ExprError>& errors) {
    Compiler c{&pack, errors, {}};
    std::vector<std::shared_ptr<const detail::Statement>> statements;
    const std::size_t before = errors.size();
    Compiler::Run(errors, [&] {
        c.tokens = detail::Lex(source);
        c.ParseEffects(statements, source);
    });
    if (errors.size() != before) return {};
    return Compiler::MakeScript(std::move(statements));
}

std::vector<ExprError> CheckConditionSyntax(std::string_view source) {
    std::vector<ExprError> errors;
    Compiler c{nullptr, errors, {}};
    Compiler::Run(errors, [&] {
        c.tokens = detail::Lex(source);
        c.ParseCondition();
    });
    return errors;
}

std::vector<ExprError> CheckEffectsSyntax(std::string_view source) {
    std::vector<ExprError> errors;
    Compiler c{nullptr, errors, {}};
    std::vector<std::shared_ptr<const detail::Statement>> statements;
    Compiler::Run(errors, [&] {
        c.tokens = detail::Lex(source);
        c.ParseEffects(statements, source);
    });
    return errors;
}

}  // namespace tta::world
