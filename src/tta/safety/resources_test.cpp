#include "tta/safety/resources.hpp"

#include <gtest/gtest.h>

namespace tta::safety {
namespace {

const ResourceDirectory& Dir() { return ResourceDirectory::Embedded(); }

bool HasLine(const CountryResources& c, std::string_view phone_or_sms) {
    for (const Helpline& h : c.helplines) {
        if (h.phone == phone_or_sms || h.sms == phone_or_sms) return true;
    }
    return false;
}

struct LocaleCase {
    const char* locale;
    const char* country;
};

TEST(Resources, ResolvesLocalesToCountries) {
    const LocaleCase cases[] = {
        {"en-GB", "GB"},  {"en_US", "US"},       {"en_US.UTF-8", "US"}, {"de", "DE"},
        {"de-AT", "AT"},  {"fr_CA", "CA"},       {"pt-BR", "BR"},       {"en-IE", "IE"},
        {"en-UK", "GB"},  {"GB", "GB"},          {"zh-Hant-HK", "HK"},  {"nb_NO", "NO"},
        {"en", ""},       {"", ""},              {"C", ""},             {"es-419", ""},
        {"de-LU", ""},    {"sr-RS@latin", ""},
    };
    for (const LocaleCase& c : cases) EXPECT_EQ(Dir().CountryOf(c.locale), c.country) << c.locale;
}

TEST(Resources, CarriesTheCrisisLinesTheIssueNames) {
    const CountryResources& us = Dir().ForLocale("en-US");
    EXPECT_EQ(us.emergency, "911");
    EXPECT_TRUE(HasLine(us, "988"));
    EXPECT_TRUE(HasLine(us, "741741"));
    EXPECT_TRUE(HasLine(Dir().ForLocale("en-GB"), "116 123"));
    EXPECT_TRUE(HasLine(Dir().ForLocale("en-IE"), "116 123"));
    EXPECT_TRUE(HasLine(Dir().ForLocale("en-CA"), "988"));
    EXPECT_TRUE(HasLine(Dir().ForLocale("en-AU"), "13 11 14"));
    EXPECT_TRUE(HasLine(Dir().ForLocale("en-NZ"), "1737"));
    for (const char* l : {"en-IN", "de", "fr", "es"}) {
        EXPECT_NE(Dir().ForLocale(l).code, "") << l;
    }
}

TEST(Resources, UnknownLocalesGetTheInternationalFallback) {
    const CountryResources& f = Dir().ForLocale("xx-ZZ");
    EXPECT_EQ(f.code, "");
    ASSERT_FALSE(f.helplines.empty());
    EXPECT_NE(f.helplines[0].url.find("findahelpline.com"), std::string::npos);
    EXPECT_NE(f.emergency.find("emergency"), std::string::npos);
}

TEST(Resources, EveryCountryHasAnEmergencyNumberAndACrisisLine) {
    for (const auto& [code, c] : Dir().countries()) {
        EXPECT_FALSE(c.emergency.empty()) << code;
        bool crisis = false;
        for (const Helpline& h : c.helplines) crisis = crisis || h.HasTopic("crisis");
        EXPECT_TRUE(crisis) << code;
    }
    EXPECT_GE(Dir().countries().size(), 20u);
}

TEST(Resources, ValidationErrorsNameTheLine) {
    auto r = ResourceDirectory::Parse(
        "version: \"1\"\nreviewed: x\nfallback:\n  name: I\n  emergency: e\n  helplines:\n"
        "    - name: F\n      url: https://f\n      topics: [crisis]\ncountries:\n  US:\n"
        "    name: U\n    emergency: \"911\"\n    helplines:\n      - name: L\n"
        "        phone: \"98x\"\n        topics: [crisis]\n",
        "res.yaml");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "res.yaml:15: 'L': bad character in number '98x'");
}

}  // namespace
}  // namespace tta::safety
