#include "tta/safety/normalize.hpp"

namespace tta::safety {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Decodes the code point at s[i] (s is valid UTF-8); sets len to its length in bytes.
char32_t Decode(std::string_view s, std::size_t i, std::size_t& len) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        len = 1;
        return b0;
    }
    char32_t cp = 0;
    if (b0 >= 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else if (b0 >= 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else {
        len = 2;
        cp = b0 & 0x1F;
    }
    if (i + len > s.size()) {  // not valid UTF-8 after all: take the byte as it is
        len = 1;
        return 0xFFFD;
    }
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return cp;
}

enum class Fold { kKeep, kDrop, kSpace, kChar };

// How one non-ASCII code point is folded; `out` is set for kChar.
Fold FoldCodePoint(char32_t cp, char& out) {
    switch (cp) {
        case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x00B4: case 0x2032:
            return Fold::kDrop;  // apostrophes, like '
        case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
            return Fold::kDrop;  // zero-width and soft hyphen
        case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
            out = '"';
            return Fold::kChar;
        case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
            out = '-';
            return Fold::kChar;
        case 0x2026:
            out = '.';
            return Fold::kChar;
        case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000: case 0x2028: case 0x2029:
            return Fold::kSpace;
        default:
            break;
    }
    if (cp >= 0x2000 && cp <= 0x200A) return Fold::kSpace;
    if (cp >= 0xFF01 && cp <= 0xFF5E) {  // full-width ASCII
        out = static_cast<char>(cp - 0xFEE0);
        if (out >= 'A' && out <= 'Z') out = static_cast<char>(out - 'A' + 'a');
        return Fold::kChar;
    }
    return Fold::kKeep;
}

char LookAlike(char c) {
    switch (c) {
        case '0': return 'o';
        case '1': return 'i';
        case '!': return 'i';
        case '3': return 'e';
        case '4': return 'a';
        case '@': return 'a';
        case '5': return 's';
        case '$': return 's';
        case '7': return 't';
        default: return 0;
    }
}

class Builder {
public:
    explicit Builder(std::size_t reserve) {
        out_.text.reserve(reserve);
        out_.begin.reserve(reserve);
        out_.end.reserve(reserve);
    }

    void Push(char c, std::size_t b, std::size_t e) {
        if (c == ' ') {
            if (out_.text.empty() || out_.text.back() == ' ') return;
        } else if (IsAsciiLetter(c)) {
            const std::size_t n = out_.text.size();
            if (n >= 2 && out_.text[n - 1] == c && out_.text[n - 2] == c) return;
        }
        out_.text.push_back(c);
        out_.begin.push_back(static_cast<std::uint32_t>(b));
        out_.end.push_back(static_cast<std::uint32_t>(e));
    }

    NormalizedText Finish() {
        while (!out_.text.empty() && out_.text.back() == ' ') {
            out_.text.pop_back();
            out_.begin.pop_back();
            out_.end.pop_back();
        }
        // Second pass, one byte for one byte: look-alikes and joiners between letters.
        std::string& t = out_.text;
        for (std::size_t i = 1; i + 1 < t.size(); ++i) {
            if (!IsAsciiLetter(t[i - 1]) || !IsAsciiLetter(t[i + 1])) continue;
            if (const char l = LookAlike(t[i])) {
                t[i] = l;
            } else if (t[i] == '-' || t[i] == '_') {
                t[i] = ' ';
            }
        }
        return std::move(out_);
    }

private:
    NormalizedText out_;
};

}  // namespace

NormalizedText Normalize(std::string_view s) {
    Builder b(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        const char c = s[i];
        if (static_cast<unsigned char>(c) < 0x80) {
            if (c >= 'A' && c <= 'Z') {
                b.Push(static_cast<char>(c - 'A' + 'a'), i, i + 1);
            } else if (c == '\'' || c == '`') {
                // dropped: contractions read as one word
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
                b.Push(' ', i, i + 1);
            } else if (c == '*' && i > 0 && i + 1 < s.size() && IsAsciiLetter(s[i - 1]) &&
                       IsAsciiLetter(s[i + 1])) {
                // "k*ll": a masked letter is dropped so the rest still reads
            } else {
                b.Push(c, i, i + 1);
            }
            i += 1;
            continue;
        }
        const char32_t cp = Decode(s, i, len);
        char folded = 0;
        switch (FoldCodePoint(cp, folded)) {
            case Fold::kDrop:
                break;
            case Fold::kSpace:
                b.Push(' ', i, i + len);
                break;
            case Fold::kChar:
                b.Push(folded, i, i + len);
                break;
            case Fold::kKeep:
                for (std::size_t k = 0; k < len; ++k) b.Push(s[i + k], i + k, i + k + 1);
                break;
        }
        i += len;
    }
    return b.Finish();
}

}  // namespace tta::safety
