#include "tta/core/metrics.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace tta::metrics {
namespace {

// A strict reader of the text format 0.0.4: every sample line belongs to the family announced
// by the HELP and TYPE lines before it, label syntax and escapes are exact, no series repeats,
// histogram buckets rise with `le`, end at +Inf and agree with _count. Returns "" when valid,
// else the first problem and its line.
std::string CheckExposition(const std::string& text) {
    if (!text.empty() && text.back() != '\n') return "missing final newline";
    static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*))");
    static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
    static const std::regex kSample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? )"
        R"(([-+]?(?:[0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?|Inf|NaN)))");
    static const std::regex kLabel(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)\")");
    std::istringstream in(text);
    std::string line, family, type;
    std::set<std::string> families, series;
    std::map<std::string, double> last_bucket;  // per series without le: last cumulative count
    std::map<std::string, double> last_le;
    std::map<std::string, double> inf_count;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        const std::string where = " at line " + std::to_string(n) + ": " + line;
        std::smatch m;
        if (line.starts_with("# HELP")) {
            if (!std::regex_match(line, m, kHelp)) return "bad HELP" + where;
            family = m[1];
            type.clear();
            if (!families.insert(family).second) return "family repeated" + where;
            continue;
        }
        if (line.starts_with("# TYPE")) {
            if (!std::regex_match(line, m, kType) || m[1] != family) return "bad TYPE" + where;
            type = m[2];
            continue;
        }
        if (!std::regex_match(line, m, kSample)) return "bad sample" + where;
        if (type.empty()) return "sample before TYPE" + where;
        const std::string name = m[1];
        std::string labels_without_le;
        std::string le;
        const std::string labels = m[3];
        for (std::sregex_iterator it(labels.begin(), labels.end(), kLabel), end; it != end; ++it) {
            if ((*it)[1] == "le") {
                le = (*it)[2];
            } else {
                labels_without_le += (*it)[0].str() + ",";
            }
        }
        if (!series.insert(name + "{" + labels + "}").second) return "series repeated" + where;
        const double value = std::strtod(m[4].str().c_str(), nullptr);
        if (type == "histogram") {
            const std::string key = family + "{" + labels_without_le + "}";
            if (name == family + "_bucket") {
                if (le.empty()) return "bucket without le" + where;
                const double bound = le == "+Inf" ? INFINITY : std::strtod(le.c_str(), nullptr);
                if (last_le.count(key) && !(bound > last_le[key])) return "le not rising" + where;
                if (last_bucket.count(key) && value < last_bucket[key]) {
                    return "bucket counts fall" + where;
                }
                last_le[key] = bound;
                last_bucket[key] = value;
                if (le == "+Inf") inf_count[key] = value;
            } else if (name == family + "_count") {
                if (!inf_count.count(key) || inf_count[key] != value) {
                    return "_count differs from +Inf bucket" + where;
                }
            } else if (name != family + "_sum") {
                return "sample outside its family" + where;
            }
        } else {
            if (name != family) return "sample outside its family" + where;
            if (type == "counter" && value < 0) return "negative counter" + where;
        }
    }
    return "";
}

TEST(Metrics, CounterCountsAndIsExposedWithHelpAndType) {
    Registry r;
    auto& c = r.AddCounter("tta_test_events_total", "Events seen.").With({});
    c.Inc();
    c.Inc(2.5);
    EXPECT_EQ(c.Value(), 3.5);
    EXPECT_EQ(r.Expose(),
              "# HELP tta_test_events_total Events seen.\n"
              "# TYPE tta_test_events_total counter\n"
              "tta_test_events_total 3.5\n");
}

TEST(Metrics, GaugeGoesUpAndDown) {
    Registry r;
    auto& g = r.AddGauge("tta_test_open", "Open things.", {"kind"}).With({"stream"});
    g.Inc();
    g.Inc();
    g.Dec();
    EXPECT_EQ(g.Value(), 1);
    g.Set(-4);
    EXPECT_NE(r.Expose().find("tta_test_open{kind=\"stream\"} -4\n"), std::string::npos);
}

TEST(Metrics, EachLabelSetIsItsOwnCellAndLookupsReturnTheSameCell) {
    Registry r;
    auto& f = r.AddCounter("tta_test_requests_total", "Requests.", {"method", "code"});
    Counter& a = f.With({"GET", "200"});
    Counter& b = f.With({"GET", "404"});
    EXPECT_NE(&a, &b);
    EXPECT_EQ(&a, &f.With({"GET", "200"}));
    const std::vector<std::string> owned = {"GET", "200"};
    EXPECT_EQ(&a, &f.With(std::span<const std::string>(owned)));
    a.Inc();
    const std::string text = r.Expose();
    EXPECT_NE(text.find("tta_test_requests_total{method=\"GET\",code=\"200\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("tta_test_requests_total{method=\"GET\",code=\"404\"} 0\n"),
              std::string::npos);
}

TEST(Metrics, HistogramBoundsAreInclusiveAndBucketsCumulative) {
    Registry r;
    const double bounds[] = {0.1, 1.0};
    auto& h = r.AddHistogram("tta_test_wait_seconds", "Waits.", {}, bounds).With({});
    h.Observe(0.1);  // exactly on a bound: counts in that bucket
    h.Observe(0.5);
    h.Observe(7);
    EXPECT_EQ(r.Expose(),
              "# HELP tta_test_wait_seconds Waits.\n"
              "# TYPE tta_test_wait_seconds histogram\n"
              "tta_test_wait_seconds_bucket{le=\"0.1\"} 1\n"
              "tta_test_wait_seconds_bucket{le=\"1\"} 2\n"
              "tta_test_wait_seconds_bucket{le=\"+Inf\"} 3\n"
              "tta_test_wait_seconds_sum 7.6\n"
              "tta_test_wait_seconds_count 3\n");
}

TEST(Metrics, HistogramLabelsComeBeforeLe) {
    Registry r;
    const double bounds[] = {1};
    r.AddHistogram("tta_test_x_seconds", "X.", {"route"}, bounds).With({"/a"}).Observe(0.5);
    EXPECT_NE(r.Expose().find("tta_test_x_seconds_bucket{route=\"/a\",le=\"1\"} 1\n"),
              std::string::npos);
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
    Registry r;
    r.AddGauge("tta_test_g", "Back\\slash and\nnewline.", {"v"}).With({"a\"b\\c\nd"}).Set(1);
    const std::string text = r.Expose();
    EXPECT_NE(text.find("# HELP tta_test_g Back\\\\slash and\\nnewline.\n"), std::string::npos);
    EXPECT_NE(text.find("tta_test_g{v=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos);
    EXPECT_EQ(CheckExposition(text), "");
}

TEST(Metrics, ValuesUseShortestDecimalsAndPrometheusSpecialNames) {
    EXPECT_EQ(FormatValue(0), "0");
    EXPECT_EQ(FormatValue(42), "42");
    EXPECT_EQ(FormatValue(0.005), "0.005");
    EXPECT_EQ(FormatValue(1e21), "1e+21");
    EXPECT_EQ(FormatValue(INFINITY), "+Inf");
    EXPECT_EQ(FormatValue(-INFINITY), "-Inf");
    EXPECT_EQ(FormatValue(NAN), "NaN");
}

TEST(Metrics, NamesFollowThePrometheusGrammar) {
    EXPECT_TRUE(IsValidMetricName("tta_http_requests_total"));
    EXPECT_TRUE(IsValidMetricName("a:b_c9"));
    EXPECT_FALSE(IsValidMetricName("9lives"));
    EXPECT_FALSE(IsValidMetricName("tta-http"));
    EXPECT_FALSE(IsValidMetricName(""));
    EXPECT_TRUE(IsValidLabelName("route"));
    EXPECT_FALSE(IsValidLabelName("__reserved"));
    EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(Metrics, RegisteringTheSameFamilyAgainReturnsIt) {
    Registry r;
    auto& a = r.AddCounter("tta_test_a_total", "A.", {"x"});
    auto& b = r.AddCounter("tta_test_a_total", "A.", {"x"});
    EXPECT_EQ(&a, &b);
}

TEST(MetricsDeathTest, ConflictingDefinitionsAndBadNamesAbort) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            Registry r;
            r.AddCounter("tta_test_a_total", "A.", {"x"});
            r.AddGauge("tta_test_a_total", "A.", {"x"});
        },
        "different definitions");
    EXPECT_DEATH({ Registry().AddCounter("tta_test_events", "No suffix."); }, "_total");
    EXPECT_DEATH({ Registry().AddGauge("tta-bad", "Bad."); }, "invalid metric name");
    EXPECT_DEATH({ Registry().AddGauge("tta_test_g", "G.", {"a"}).With({}); },
                 "wrong number of label values");
    static const double kRepeated[] = {1, 1};
    EXPECT_DEATH({ Registry().AddHistogram("tta_test_h", "H.", {}, kRepeated); },
                 "strictly increasing");
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
    Registry r;
    auto& c = r.AddCounter("tta_test_hits_total", "Hits.").With({});
    auto& h = r.AddHistogram("tta_test_h_seconds", "H.", {}).With({});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                c.Inc();
                h.Observe(0.001);
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(c.Value(), 40000);
    EXPECT_EQ(h.Read().Count(), 40000u);
}

TEST(Metrics, ScrapeHooksRunBeforeEachExpositionAndMayRegister) {
    Registry r;
    int scrapes = 0;
    r.OnScrape([&] {
        ++scrapes;
        r.AddGauge("tta_test_scrapes", "Scrapes.").With({}).Set(scrapes);
    });
    r.Expose();
    EXPECT_NE(r.Expose().find("tta_test_scrapes 2\n"), std::string::npos);
}

TEST(Metrics, ExponentialBucketsGrowByTheFactor) {
    EXPECT_EQ(ExponentialBuckets(1, 2, 4), (std::vector<double>{1, 2, 4, 8}));
}

TEST(Metrics, ScopedTimerObservesOnce) {
    Histogram h(kLatencyBuckets);
    { ScopedTimer t(h); }
    EXPECT_EQ(h.Read().Count(), 1u);
}

// A registry with every kind of family, labels, escapes and special values.
std::string SampleExposition(Registry& r) {
    r.AddCounter("tta_http_requests_total", "HTTP requests by route.", {"route", "code"})
        .With({"/v1/sessions/{id}/turns", "200"})
        .Inc(12);
    r.AddCounter("tta_engine_turns_total", "Turns.").With({}).Inc();
    r.AddGauge("tta_http_open_connections", "Open connections.").With({}).Set(3);
    r.AddGauge("tta_test_weird", "Quotes \" and \\ and\nnewlines.", {"v"})
        .With({"x\"y\\z\n"})
        .Set(INFINITY);
    auto& h = r.AddHistogram("tta_http_request_seconds", "Latency.", {"route"});
    for (double v : {0.0001, 0.003, 0.2, 30.0}) h.With({"/healthz"}).Observe(v);
    h.With({"/metrics"});
    return r.Expose();
}

TEST(Metrics, ExpositionPassesAStrictReaderOfTheTextFormat) {
    Registry r;
    const std::string text = SampleExposition(r);
    EXPECT_EQ(CheckExposition(text), "") << text;
    // The reader itself rejects what it should.
    EXPECT_NE(CheckExposition("tta_x 1\n"), "");
    EXPECT_NE(CheckExposition("# HELP a A.\n# TYPE a gauge\na{l=\"x} 1\n"), "");
    EXPECT_NE(CheckExposition("# HELP a A.\n# TYPE a histogram\n"
                              "a_bucket{le=\"1\"} 2\na_bucket{le=\"+Inf\"} 1\n"),
              "");
}

TEST(Metrics, ExpositionPassesPromtool) {
    if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
        GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
    }
    Registry r;
    const std::string text = SampleExposition(r);
    const auto path = std::filesystem::temp_directory_path() /
                      ("tta_metrics_" + std::to_string(::getpid()) + ".prom");
    std::ofstream(path) << text;
    const std::string cmd = "promtool check metrics < " + path.string() + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string output;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p) != nullptr) output += buf;
    const int status = ::pclose(p);
    std::filesystem::remove(path);
    EXPECT_EQ(status, 0) << output << "\n" << text;
}

}  // namespace
}  // namespace tta::metrics
