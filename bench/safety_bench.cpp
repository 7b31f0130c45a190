// Input and output gate cost per call (issue: <= 50 us for a typical input). Build with the
// release-like config: cmake -B build/safety-rel -G Ninja -DCMAKE_BUILD_TYPE=Release
// -DTTA_BUILD_TESTS=OFF && cmake --build build/safety-rel --target tta_safety_bench
#include <benchmark/benchmark.h>

#include <string>

#include "tta/safety/input_gate.hpp"
#include "tta/safety/output_gate.hpp"

namespace {

using tta::safety::InputGate;
using tta::safety::OutputGate;

const char* const kCommand = "take the lantern";
const char* const kIdiom = "this puzzle is killing me lol, I could murder a sandwich";
const char* const kCrisis = "I have the pills in my hand and I'm going to take all of them tonight";
const char* const kParagraph =
    "I walk down to the harbour and ask Mira about the lighthouse. She says the keeper has not "
    "been seen since the storm, and that the lamp has been dark for three nights. I feel a bit "
    "nervous about going up there alone, but I take the lantern from the table, check that I "
    "still have the rope, and tell her I will be back before dark. On the way I stop at the "
    "inn, buy some bread and cheese, and listen to the fishermen argue about the weather. One "
    "of them says the ghost of the old keeper walks the cliffs at night. I laugh, but I keep "
    "my hand on the knife all the same.";

void BM_InputGate(benchmark::State& state, const char* text) {
    const InputGate& gate = InputGate::Embedded();
    const std::string input = text;
    for (auto _ : state) benchmark::DoNotOptimize(gate.Classify(input));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                            static_cast<int64_t>(input.size()));
}
BENCHMARK_CAPTURE(BM_InputGate, short_command, kCommand);
BENCHMARK_CAPTURE(BM_InputGate, idiom, kIdiom);
BENCHMARK_CAPTURE(BM_InputGate, paragraph, kParagraph);
BENCHMARK_CAPTURE(BM_InputGate, crisis_line, kCrisis);

void BM_OutputGate(benchmark::State& state) {
    const OutputGate& gate = OutputGate::Embedded();
    const std::string text = kParagraph;
    for (auto _ : state) benchmark::DoNotOptimize(gate.Check(text));
}
BENCHMARK(BM_OutputGate);

// Compiling every rule once at start-up: paid once per process.
void BM_CompileRules(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(InputGate::Create(tta::safety::EmbeddedRules()));
    }
}
BENCHMARK(BM_CompileRules)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
