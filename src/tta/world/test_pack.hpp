// Test helpers for the world module: the small pack in testdata/lighthouse, loaded once.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tta/world/loader.hpp"
#include "tta/world/simulator.hpp"

namespace tta::world::testing {

inline std::string TestData(const std::string& name) {
    return std::string(TTA_SOURCE_DIR) + "/src/tta/world/testdata/" + name;
}

inline std::shared_ptr<const Pack> LighthousePack() {
    static const std::shared_ptr<const Pack> pack = [] {
        std::vector<Diagnostic> diagnostics;
        auto loaded = LoadPack(TestData("lighthouse"), diagnostics);
        for (const Diagnostic& d : diagnostics) ADD_FAILURE() << d.ToString();
        return loaded ? *loaded : nullptr;
    }();
    return pack;
}

// "kind subject object" for each event, trailing blanks dropped: compact to compare.
inline std::vector<std::string> Events(const Outcome& o) {
    std::vector<std::string> out;
    for (const Event& e : o.events) {
        std::string s = EventKindName(e.kind);
        if (!e.subject.empty()) s += " " + e.subject;
        if (!e.object.empty()) s += " " + e.object;
        if (!e.reason.empty()) s += " (" + e.reason + ")";
        out.push_back(s);
    }
    return out;
}

inline Action Act(Verb verb, std::string object = {}, std::string target = {}) {
    Action a;
    a.verb = verb;
    a.object = std::move(object);
    a.target = std::move(target);
    return a;
}

inline Action GoDir(std::string direction) {
    Action a;
    a.verb = Verb::kGo;
    a.direction = std::move(direction);
    return a;
}

inline Action Ask(std::string person, std::string topic) {
    Action a;
    a.verb = Verb::kAsk;
    a.object = std::move(person);
    a.topic = std::move(topic);
    return a;
}

inline Action Choose(int n) {
    Action a;
    a.verb = Verb::kChoose;
    a.choice = n;
    return a;
}

}  // namespace tta::world::testing
