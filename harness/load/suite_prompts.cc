#include "harness/load/suite_prompts.h"

#include <fmt/format.h>

#include "harness/load/dataset_prompts.h"
#include "harness/load/trace_replay.h"

namespace llmbench::load {

PromptSourcePtr make_prompt_source(const PromptSpec& spec) {
  if (spec.kind == PromptSpec::Kind::jsonl) return load_jsonl_prompts(spec.file, spec.tokenizer, spec.selection);
  if (spec.kind == PromptSpec::Kind::trace) return make_trace_prompts(spec.trace, spec.tokenizer, spec.synthetic.seed);
  if (spec.kind == PromptSpec::Kind::sharegpt) {
    const DatasetSummary& n = spec.dataset_summary;
    return make_dataset_prompts(
        fmt::format("{} (sharegpt: {} of {} conversations{}{})", spec.file.string(), n.selected, n.records,
                    spec.selection.sample ? fmt::format(", sampled with seed {}{}", spec.selection.seed,
                                                        spec.selection.replacement ? " with replacement" : "")
                                          : std::string(),
                    spec.tokenizer ? "; tokens counted by " + spec.tokenizer->description() : std::string()),
        spec.dataset);
  }
  SyntheticPromptOptions options = spec.synthetic;
  options.tokenizer = spec.tokenizer;
  return make_synthetic_prompts(options);
}

}  // namespace llmbench::load
